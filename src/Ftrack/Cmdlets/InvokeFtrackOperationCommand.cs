using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using Ftrack.Core.Operations;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Invoke-FtrackOperation: the raw batch call. Every operation given (as hashtables, also from
    /// the pipeline) goes in ONE request — one transaction on the server — and one result per
    /// operation comes back, decoded and merged like query results.
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

        protected override void ProcessRecord()
        {
            foreach (var op in Operation)
            {
                var body = new Dictionary<string, object?>(StringComparer.Ordinal);
                // Deep: entities and hashtables nested in entity_data arrive wrapped in PSObjects too.
                foreach (DictionaryEntry entry in op) body[Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture)!] = PowerShellValues.ToClr(entry.Value);
                if (!body.TryGetValue("action", out var action) || action is not string { Length: > 0 })
                {
                    ThrowTerminatingError(new ErrorRecord(new ArgumentException("Every operation needs an 'action', e.g. @{ action = 'query'; expression = 'select name from Task' }."),
                        "Ftrack.InvalidOperation", ErrorCategory.InvalidArgument, op));
                }
                _operations.Add(new RawOperation(body));
            }
        }

        protected override void EndProcessing()
        {
            if (_operations.Count == 0) return;
            var session = ResolveSession();
            var target = _operations.Count == 1 ? _operations[0].Describe() : _operations.Count + " operations in one request";
            var readOnly = _operations.TrueForAll(o => o.IsReadOnly);
            if (!readOnly && !ShouldProcess(session.Server.ToString(), target)) return;
            object?[] results;
            try { results = session.Call(_operations, NewCallOptions()); }
            catch (Exception e) when (IsFtrackFailure(e)) { ThrowFtrackError(e, target); return; }
            foreach (var result in results) WriteObject(ToOutput(result));
        }

        private static object? ToOutput(object? result)
        {
            switch (result)
            {
                case QueryResult query:
                    var output = new PSObject();
                    output.TypeNames.Insert(0, "Ftrack.QueryResult");
                    output.Properties.Add(new PSNoteProperty("action", "query"));
                    output.Properties.Add(new PSNoteProperty("data", query.Data.ToArray()));
                    output.Properties.Add(new PSNoteProperty("metadata", query.Metadata));
                    return output;
                case RawJsonResult raw:
                    return System.Text.Encoding.UTF8.GetString(raw.Json);
                default:
                    return result;
            }
        }

    }
}
