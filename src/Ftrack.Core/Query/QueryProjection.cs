using System.Collections.Generic;
using System.Linq;

namespace Ftrack.Core.Query
{
    /// <summary>
    /// What a query selected: its entity type and the attribute paths of its select list, in their
    /// order — the columns its result is shown with. Made once per query and held by the result's
    /// decode context, so it costs the rows nothing; an entity of the result is shown with it when
    /// it is of the queried type (or of a type that aliases it: a Task of a TypedContext query).
    /// </summary>
    public sealed class QueryProjection
    {
        private QueryProjection(string entityType, IReadOnlyList<string> paths)
        {
            EntityType = entityType;
            Paths = paths;
            TypeName = "Ftrack.Entity#Select#" + StableHash.Of(entityType + "\n" + string.Join("\n", paths));
        }

        /// <summary>The type after "from".</summary>
        public string EntityType { get; }

        /// <summary>The selected attribute paths as written (status.name), in the select's order.</summary>
        public IReadOnlyList<string> Paths { get; }

        /// <summary>
        /// The type name the rows carry first, "Ftrack.Entity#Select#&lt;hash of type and paths&gt;": the
        /// same for the same select in any session, so one table view per select serves them all.
        /// </summary>
        public string TypeName { get; }

        /// <summary>Whether an entity of <paramref name="shape"/> in the result is one of its rows' kind (and so shown with these columns).</summary>
        public bool Covers(Entities.EntityShape shape, Schema.SchemaRegistry? schemas)
        {
            if (string.Equals(shape.EntityType, EntityType, System.StringComparison.OrdinalIgnoreCase)) return true;
            // A query of the whole of a stored type (TypedContext) returns its kinds (Shot, Task) as rows.
            return schemas?.Find(EntityType, ignoreCase: true) is { AliasFor: { } table, IsClassifiedAlias: false }
                && schemas.Find(shape.EntityType) is { AliasFor: { } kindOf, IsClassifiedAlias: true }
                && string.Equals(table, kindOf, System.StringComparison.Ordinal);
        }

        /// <summary>The projection of a query with a select list of attribute paths, read to the end; null otherwise (and for aggregates, whose rows are no entities).</summary>
        internal static QueryProjection? Of(QueryOutline outline) =>
            outline.IsComplete && outline.Root.EntityType is { } type && outline.Root.Projections.Count > 0 && !outline.Root.IsAggregate
                ? new QueryProjection(type, outline.Root.Projections.Select(p => p.Text).ToArray())
                : null;

    }
}
