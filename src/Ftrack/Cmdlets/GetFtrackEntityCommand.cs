using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Ftrack.Completers;
using Ftrack.Core.Entities;
using Ftrack.Core.Operations;
using Ftrack.Core.Query;
using Ftrack.Core.Writes;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Get-FtrackEntity: entities by id. Ids from the pipeline are gathered into "id in (...)" queries
    /// of at most 200 ids each, not one request per id. Ids that do not exist are reported as errors.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FtrackEntity")]
    [OutputType(typeof(FtrackEntity))]
    public sealed class GetFtrackEntityCommand : FtrackCmdlet
    {
        private const int IdsPerQuery = 200;
        private readonly List<string> _pending = new();

        [Parameter(Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(EntityTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string EntityType { get; set; } = "";

        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Projections to load (e.g. name, status.name); the type's default projections when omitted.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(AttributeCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Property { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var id in Id)
            {
                _pending.Add(id);
                if (_pending.Count >= IdsPerQuery) Flush();
            }
        }

        protected override void EndProcessing() => Flush();

        private void Flush()
        {
            if (_pending.Count == 0) return;
            var ids = _pending.Distinct(StringComparer.Ordinal).ToList();
            _pending.Clear();
            var session = ResolveSession();
            try
            {
                var schema = WritePlanner.SchemaFor(session, EntityType);
                if (schema.PrimaryKey.Length != 1 || schema.PrimaryKey[0] != "id")
                    throw new FtrackSchemaException("Ftrack.UnsupportedKey", schema.Id + " is keyed by " + string.Join(", ", schema.PrimaryKey)
                        + ", not by a single id: use Invoke-FtrackQuery with a where clause on those attributes.");
                var select = Property is { Length: > 0 } ? "select " + string.Join(", ", schema.PrimaryKey.Concat(Property).Distinct()) + " from " : "";
                var expression = select + schema.Id + " where id in (" + string.Join(", ", ids.Select(id => QueryLiteral.Of(id))) + ")";
                var result = (QueryResult)session.Call(new FtrackOperation[] { new QueryOperation(expression) }, NewCallOptions())[0]!;
                var found = new HashSet<string>(StringComparer.Ordinal);
                foreach (var row in result.Data)
                {
                    if (row is FtrackEntity entity && entity["id"] is string id) found.Add(id);
                    WriteObject(row);
                }
                foreach (var id in ids.Where(i => !found.Contains(i)))
                    WriteError(new ErrorRecord(new ItemNotFoundException("No " + schema.Id + " has the id '" + id + "'."), "Ftrack.EntityNotFound", ErrorCategory.ObjectNotFound, id));
            }
            catch (Exception e) when (IsFtrackFailure(e))
            {
                WriteFtrackError(e, EntityType);
            }
        }
    }
}
