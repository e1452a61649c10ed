using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Ftrack.Completers;
using Ftrack.Core;
using Ftrack.Core.Entities;
using Ftrack.Core.Query;

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

        /// <summary>The entity type, e.g. Task.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(EntityTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string EntityType { get; set; } = "";

        /// <summary>The ids to get.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Projections to load (e.g. name, status.name); the type's default projections when omitted.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(AttributeCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Property { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            foreach (var id in Id)
            {
                _pending.Add(id);
                if (_pending.Count >= IdsPerQuery) Flush();
            }
        }

        /// <inheritdoc />
        protected override void End() => Flush();

        private void Flush()
        {
            if (_pending.Count == 0) return;
            var ids = _pending.Distinct(StringComparer.Ordinal).ToList();
            _pending.Clear();
            var session = ResolveSession();
            ForItem(EntityType, () =>
            {
                var schema = session.GetSchemas(NewCallOptions()).Require(EntityType);
                if (schema.PrimaryKey.Length != 1 || schema.PrimaryKey[0] != "id")
                    throw new FtrackUsageException(FtrackErrorIds.UnsupportedKey, schema.Id + " is keyed by " + string.Join(", ", schema.PrimaryKey)
                        + ", not by a single id: use Invoke-FtrackQuery with a where clause on those attributes.");
                var select = Property is { Length: > 0 } ? "select " + string.Join(", ", schema.PrimaryKey.Concat(Property).Distinct()) + " from " : "";
                var expression = select + schema.Id + " where id in (" + string.Join(", ", ids.Select(id => QueryLiteral.Of(id))) + ")";
                var found = new HashSet<string>(StringComparer.Ordinal);
                foreach (var row in session.Query(expression, NewCallOptions()).Data)
                {
                    if (row is FtrackEntity entity && entity.GetValue("id") is string id) found.Add(id);
                    WriteObject(row);
                }
                foreach (var id in ids.Where(i => !found.Contains(i)))
                    WriteFailure(FtrackErrorRecords.Usage(FtrackErrorIds.EntityNotFound, "No " + schema.Id + " has the id '" + id + "'.", id, UsageErrorKind.NotFound));
            });
        }
    }
}
