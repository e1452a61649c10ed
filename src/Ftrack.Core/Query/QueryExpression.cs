using System;
using System.Globalization;
using System.Text;

namespace Ftrack.Core.Query
{
    /// <summary>
    /// A query expression split into its body and its trailing "offset N" / "limit N" clauses, found
    /// by tokenizing (quotes and parentheses respected), never by matching text inside strings.
    /// </summary>
    public sealed class QueryExpression
    {
        private QueryExpression(string body, int? offset, int? limit)
        {
            Body = body;
            Offset = offset;
            Limit = limit;
        }

        /// <summary>The expression without its trailing offset/limit clauses.</summary>
        public string Body { get; }
        /// <summary>The expression's own trailing offset, if it has one.</summary>
        public int? Offset { get; }
        /// <summary>The expression's own trailing limit, if it has one.</summary>
        public int? Limit { get; }

        /// <summary>Splits trailing offset/limit off an expression, found by tokenizing (never inside quoted strings).</summary>
        public static QueryExpression Parse(string expression)
        {
            if (expression is null) throw new ArgumentNullException(nameof(expression));
            var tokens = QueryTokenizer.Tokenize(expression);
            int? offset = null, limit = null;
            var end = tokens.Count;
            // Peel "offset N" / "limit N" pairs off the end: that is where the language puts them.
            while (end >= 2)
            {
                var keyword = tokens[end - 2];
                var number = tokens[end - 1];
                if (!IsTopLevelWord(keyword) || !IsTopLevelWord(number) || !int.TryParse(number.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) break;
                if (keyword.Is("offset") && offset is null) offset = n;
                else if (keyword.Is("limit") && limit is null) limit = n;
                else break;
                end -= 2;
            }
            var body = end == 0 ? "" : end == tokens.Count ? expression.Trim() : expression.Substring(0, tokens[end - 1].End).Trim();
            return new QueryExpression(body, offset, limit);
        }

        /// <summary>The body with the given paging clauses appended.</summary>
        public string WithPaging(long? offset, long? limit)
        {
            var sb = new StringBuilder(Body.Length + 32).Append(Body);
            if (offset is { } o) sb.Append(" offset ").Append(o.ToString(CultureInfo.InvariantCulture));
            if (limit is { } l) sb.Append(" limit ").Append(l.ToString(CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        private static bool IsTopLevelWord(QueryToken token) => token.Kind == QueryTokenKind.Word && token.Depth == 0;
    }
}
