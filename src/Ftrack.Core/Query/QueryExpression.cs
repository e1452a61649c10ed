using System;
using System.Collections.Generic;
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
            var tokens = Tokenize(expression);
            int? offset = null, limit = null;
            var end = tokens.Count;
            // Peel "offset N" / "limit N" pairs off the end: that is where the language puts them.
            while (end >= 2)
            {
                var keyword = tokens[end - 2];
                var number = tokens[end - 1];
                if (!keyword.IsWord || !number.IsWord || !int.TryParse(number.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) break;
                if (keyword.Text.Equals("offset", StringComparison.OrdinalIgnoreCase) && offset is null) offset = n;
                else if (keyword.Text.Equals("limit", StringComparison.OrdinalIgnoreCase) && limit is null) limit = n;
                else break;
                end -= 2;
            }
            var body = end == tokens.Count ? expression.Trim() : expression.Substring(0, tokens[end - 1 < 0 ? 0 : end - 1].End).Trim();
            if (end == 0) body = "";
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

        private readonly struct Token
        {
            public Token(string text, int end, bool isWord) { Text = text; End = end; IsWord = isWord; }
            public string Text { get; }
            public int End { get; }
            /// <summary>A bare word or number at parenthesis depth 0 (not a string, not inside parentheses).</summary>
            public bool IsWord { get; }
        }

        private static List<Token> Tokenize(string s)
        {
            var tokens = new List<Token>();
            var depth = 0;
            var i = 0;
            while (i < s.Length)
            {
                var c = s[i];
                if (char.IsWhiteSpace(c)) { i++; continue; }
                if (c == '"' || c == '\'')
                {
                    var quote = c;
                    i++;
                    while (i < s.Length && s[i] != quote) i += s[i] == '\\' ? 2 : 1;
                    i = Math.Min(i + 1, s.Length);
                    tokens.Add(new Token("", i, false));
                    continue;
                }
                if (c == '(' || c == ')')
                {
                    depth += c == '(' ? 1 : -1;
                    i++;
                    tokens.Add(new Token(c.ToString(), i, false));
                    continue;
                }
                if (IsWordChar(c))
                {
                    var start = i;
                    while (i < s.Length && IsWordChar(s[i])) i++;
                    tokens.Add(new Token(s.Substring(start, i - start), i, depth == 0));
                    continue;
                }
                // Operators and punctuation: one token per run.
                var opStart = i;
                while (i < s.Length && !char.IsWhiteSpace(s[i]) && !IsWordChar(s[i]) && s[i] != '"' && s[i] != '\'' && s[i] != '(' && s[i] != ')') i++;
                tokens.Add(new Token(s.Substring(opStart, i - opStart), i, false));
            }
            return tokens;
        }

        private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == ':';
    }
}
