using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Ftrack.Completers;
using Ftrack.Core;
using Ftrack.Core.Entities;
using Ftrack.Core.Query;
using Ftrack.PipeBinds;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Get-FtrackEntity: entities by id (-EntityType with -Id, or anything naming entities from the
    /// pipeline). Ids are gathered into "id in (...)" queries of at most 200 ids per type, not one
    /// request per id. Ids that do not exist are reported as errors.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FtrackEntity", DefaultParameterSetName = EntityInputs.IdSet)]
    [OutputType(typeof(FtrackEntity))]
    public sealed class GetFtrackEntityCommand : FtrackCmdlet
    {
        private const int IdsPerQuery = 200;
        // Entity type (as the schema spells it) → ids waiting for their query, in arrival order.
        private readonly Dictionary<string, List<string>> _pending = new(StringComparer.Ordinal);

        /// <summary>The entity type, e.g. Task (with -InputObject: the type of inputs that do not name one).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = EntityInputs.IdSet)]
        [Parameter(Position = 0, ParameterSetName = EntityInputs.InputObjectSet)]
        [ArgumentCompleter(typeof(EntityTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string? EntityType { get; set; }

        /// <summary>The ids to get.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = EntityInputs.IdSet)]
        [ValidateNotNullOrEmpty]
        public string[]? Id { get; set; }

        /// <summary>What names the entities: entity objects, ids (with -EntityType), hashtables or CSV rows.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = EntityInputs.InputObjectSet)]
        [ValidateNotNull]
        public EntityPipeBind? InputObject { get; set; }

        /// <summary>Projections to load (e.g. name, status.name); the type's default projections when omitted.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(AttributeCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Property { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            var session = ResolveSession();
            foreach (var input in EntityInputs.Of(InputObject, Id))
            {
                ForItem(input, () =>
                {
                    var entity = input.Resolve(session.GetSchemas(NewCallOptions()), EntityType);
                    var type = entity.GetEntityType();
                    if (entity.Shape.PrimaryKey.Length != 1 || entity.Shape.PrimaryKey[0] != "id")
                        throw new FtrackUsageException(FtrackErrorIds.UnsupportedKey, type + " is keyed by " + string.Join(", ", entity.Shape.PrimaryKey)
                            + ", not by a single id: use Invoke-FtrackQuery with a where clause on those attributes.");
                    if (!_pending.TryGetValue(type, out var ids)) _pending[type] = ids = new List<string>();
                    ids.Add(entity.GetValue("id") as string ?? throw new FtrackUsageException(FtrackErrorIds.MissingKey, entity + " has no id: select it in the query that returned it."));
                    if (ids.Count >= IdsPerQuery) Flush(type);
                });
            }
        }

        /// <inheritdoc />
        protected override void End()
        {
            foreach (var type in _pending.Keys.ToList()) Flush(type);
        }

        private void Flush(string type)
        {
            var ids = _pending[type].Distinct(StringComparer.Ordinal).ToList();
            _pending.Remove(type);
            if (ids.Count == 0) return;
            var session = ResolveSession();
            ForItem(type, () =>
            {
                var schema = session.GetSchemas(NewCallOptions()).Require(type);
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
