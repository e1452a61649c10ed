using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Ftrack.Core.Schema;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Query
{
    /// <summary>
    /// How many rows a query has in all, asked of the server with one aggregate query: the same type
    /// and where clause (select, order by, offset and limit dropped), counted. ftrack answers
    /// aggregates only with a group by, so the count is grouped by a column with few values — the
    /// project where the type has one, else its status, type, user, ..., a boolean, a foreign key —
    /// and the groups' counts are added up. An expression the outline cannot read to the end, or one that is an aggregate
    /// itself, has no such count.
    /// </summary>
    public static class QueryCount
    {
        /// <summary>The counting expression for <paramref name="expression"/>, or null when it cannot be derived.</summary>
        public static string? ExpressionFor(string expression, SchemaRegistry schemas)
        {
            var outline = QueryOutline.Parse(expression);
            var root = outline.Root;
            if (!outline.IsComplete || root.IsAggregate || root.EntityType is not { } type || schemas.Find(type, ignoreCase: true) is not { } schema) return null;
            var where = root.WhereStart < 0 ? "" : " " + expression.Substring(root.WhereStart, root.WhereEnd - root.WhereStart);
            return "select count(" + schema.PrimaryKey[0] + ") from " + type + where + " group by " + GroupKey(schema);
        }

        /// <summary>
        /// The number of rows <paramref name="expression"/> has in all, within its own offset and limit;
        /// null when no count can be derived. Throws what the server answers (an older server refuses
        /// aggregates), or <see cref="FtrackProtocolException"/> when its answer holds no counts.
        /// </summary>
        public static long? Total(FtrackSession session, string expression, CallOptions? options = null)
        {
            if (ExpressionFor(expression, session.GetSchemas(options)) is not { } counting) return null;
            long total = 0;
            foreach (var row in session.Query(counting, options).Data)
            {
                // A server that does not know aggregates may answer rows of another kind: no count at all.
                if (row is not IDictionary<string, object?> group || !group.Any(p => p.Key.StartsWith("count_", StringComparison.Ordinal) && p.Value is IConvertible))
                    throw new FtrackProtocolException("The server answered \"" + counting + "\" without counts: it does not count with aggregates.");
                foreach (var pair in group)
                    if (pair.Key.StartsWith("count_", StringComparison.Ordinal)) total += ((IConvertible)pair.Value!).ToInt64(CultureInfo.InvariantCulture);
            }
            var own = QueryExpression.Parse(expression);
            if (own.Offset is { } offset) total = Math.Max(0, total - offset);
            if (own.Limit is { } limit) total = Math.Min(total, limit);
            return total;
        }

        /// <summary>
        /// A stored column of the type with few distinct values: a reference to a lookup (its project,
        /// status, type, user, ...), else a boolean, else any foreign key, else its key (one group per row).
        /// </summary>
        private static string GroupKey(EntitySchema schema)
        {
            bool Plain(AttributeSchema a) => !a.IsCollection && !a.IsReference && Array.IndexOf(schema.Computed, a.Name) < 0;
            var attributes = schema.Attributes.Values.Where(Plain).ToList();
            return FewValues.Select(name => attributes.FirstOrDefault(a => a.Name == name)?.Name).FirstOrDefault(name => name != null)
                   ?? attributes.FirstOrDefault(a => a.Type == "boolean")?.Name
                   ?? attributes.FirstOrDefault(a => a.Format == "foreign_key")?.Name
                   ?? schema.PrimaryKey[0];
        }

        // References to lookups that studios have few of, best first.
        private static readonly string[] FewValues = { "project_id", "status_id", "type_id", "object_type_id", "user_id", "category_id" };
    }
}
