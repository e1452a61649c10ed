using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using Ftrack.Adapters;
using Ftrack.Batches;
using Ftrack.Core;
using Ftrack.Core.Operations;
using Ftrack.Core.Writes;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Invoke-FtrackOperation: the raw batch call. Every operation given (as hashtables, also from
    /// the pipeline) goes in ONE request — one transaction on the server — and one result per
    /// operation comes back, decoded and merged like query results, as one object each. Writes go the way every write
    /// goes: into the batch open in this runspace (they are sent with it), or through the write
    /// path that never resends and checks a lost answer.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "FtrackOperation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PSObject))]
    public sealed class InvokeFtrackOperationCommand : FtrackCmdlet
    {
        private readonly List<FtrackOperation> _operations = new();

        /// <summary>Operations such as @{ action = 'query'; expression = 'select name from Task' }.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        public IDictionary[] Operation { get; set; } = Array.Empty<IDictionary>();

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            foreach (var op in Operation)
            {
                var body = new Dictionary<string, object?>(StringComparer.Ordinal);
                // Deep: entities and hashtables nested in entity_data arrive wrapped in PSObjects too.
                foreach (DictionaryEntry entry in op) body[Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture)!] = PowerShellValues.ToClr(entry.Value);
                if (!body.TryGetValue("action", out var action) || action is not string { Length: > 0 })
                    throw new FtrackUsageException(FtrackErrorIds.InvalidOperation, "Every operation needs an 'action', e.g. @{ action = 'query'; expression = 'select name from Task' }.");
                _operations.Add(new RawOperation(body));
            }
        }

        /// <inheritdoc />
        protected override void End()
        {
            if (_operations.Count == 0) return;
            var session = ResolveSession();
            var target = _operations.Count == 1 ? _operations[0].Describe() : _operations.Count + " operations in one request";
            var writes = _operations.FindAll(o => !o.IsReadOnly).Count;
            if (writes == 0)
            {
                WriteResults(session.Call(_operations, NewCallOptions()));
                return;
            }
            if (!ShouldProcess(session.Server.ToString(), target)) return;
            if (RunspaceBatches.Current != null)
            {
                // One request is one transaction: reads cannot be split off a batch that is not sent yet.
                if (writes != _operations.Count)
                    throw new FtrackUsageException(FtrackErrorIds.InvalidOperation, "A batch is open in this runspace: writes given to Invoke-FtrackOperation are queued into it, "
                        + "but this call mixes reads with writes. Send the reads separately.", UsageErrorKind.InvalidOperation);
                foreach (var op in _operations)
                    if (EntityWrites.Queue(session, op) is { } batch) BatchProgress.Queued(this, batch);
                WriteVerbose("Queued " + target + " into the open batch; its results come when the batch is submitted.");
                return;
            }
            WriteResults(WriteExecutor.Execute(session, _operations, NewCallOptions()));
        }

        private void WriteResults(object?[] results)
        {
            for (var i = 0; i < results.Length; i++) WriteObject(ToOutput(_operations[i], results[i]));
        }

        /// <summary>
        /// One object per operation, whatever its result: a query's rows (entities) with its metadata,
        /// any other result's members as properties. Results of different actions carry different
        /// type names (Ftrack.OperationResult#&lt;action&gt;), so each shows as its own table or list.
        /// </summary>
        private static object? ToOutput(FtrackOperation operation, object? result)
        {
            var typeName = "Ftrack.OperationResult";
            switch (result)
            {
                case QueryResult query:
                    var output = ResultObjects.From(new Dictionary<string, object?>
                    {
                        ["action"] = "query",
                        ["data"] = query.Data.ToArray(),
                        ["metadata"] = query.Metadata,
                    }, typeName + "#query", "Ftrack.QueryResult", typeName);
                    return output;
                case RawJsonResult raw:
                    return System.Text.Encoding.UTF8.GetString(raw.Json);
                default:
                    return ResultObjects.From(result, typeName + "#" + operation.Action, typeName);
            }
        }
    }
}
