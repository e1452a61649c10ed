using System;
using Ftrack.Core.Schema;

namespace Ftrack.Core.Query
{
    /// <summary>
    /// Checks a query expression against the schemas before it is sent, as writes are checked: the
    /// entity type after every "from", and every attribute path — of select (aggregates included),
    /// of where (inside "has (...)"/"any (...)" relative to the relation), of group and order by, in
    /// subqueries too — through references, collections and casts. Only what the schemas prove
    /// wrong is refused, with the close names and a pointer to the place in the expression. An
    /// expression it cannot read to the end, or a path the schemas cannot follow, goes to the server
    /// as written: the server is the judge of anything else.
    /// </summary>
    internal static class QueryCheck
    {
        /// <summary>Throws <see cref="FtrackUsageException"/> (UnknownEntityType, UnknownAttribute) for the first proven mistake.</summary>
        public static void Verify(SchemaRegistry schemas, string expression, QueryOutline outline)
        {
            if (!outline.IsComplete) return;
            foreach (var query in outline.Queries)
            {
                var type = query.EntityType!;
                // Another spelling of a known type is the server's to judge.
                if (schemas.Find(type, ignoreCase: true) != null) continue;
                throw Mistake(expression, query.EntityTypeStart, "The server has no entity type '" + type + "'. "
                    + Suggestions.DidYouMean(type, schemas.EntityTypeNames) + "Get-FtrackSchema lists them all.", FtrackErrorIds.UnknownEntityType);
            }
            foreach (var path in outline.Paths)
            {
                // An aggregate's rows are ordered by its own columns (order by count_id).
                if (path.Clause == QueryClause.OrderBy && path.Query.Columns.Contains(path.Text) && path.Query.IsAggregate) continue;
                if (StartOf(schemas, path) is not { } start) continue;
                var resolution = AttributePaths.Resolve(schemas, start, path.Text);
                if (resolution.IsMistake) throw Mistake(expression, path.Start + resolution.Offset, resolution.Message!, resolution.ErrorId);
            }
        }

        /// <summary>The schema a path is relative to: its query's type, through the relations it is inside; null when unknown.</summary>
        internal static EntitySchema? StartOf(SchemaRegistry schemas, QueryPath path)
        {
            if (path.Within is null) return path.Query.EntityType is { } type ? schemas.Find(type) : null;
            return StartOf(schemas, path.Within) is { } outer ? AttributePaths.Resolve(schemas, outer, path.Within.Text).Target : null;
        }

        private static FtrackUsageException Mistake(string expression, int position, string message, string errorId) =>
            new(errorId, message.TrimEnd() + Environment.NewLine + Pointer(expression, position));

        /// <summary>The line of the expression with the mistake, and a caret under its place.</summary>
        private static string Pointer(string expression, int position)
        {
            var lineStart = expression.LastIndexOf('\n', Math.Max(0, Math.Min(position, expression.Length) - 1)) + 1;
            if (position == 0) lineStart = 0;
            var lineEnd = expression.IndexOf('\n', lineStart);
            var line = (lineEnd < 0 ? expression.Substring(lineStart) : expression.Substring(lineStart, lineEnd - lineStart)).TrimEnd('\r').Replace('\t', ' ');
            return "  " + line + Environment.NewLine + "  " + new string(' ', Math.Max(0, position - lineStart)) + "^";
        }
    }
}
