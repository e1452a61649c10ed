using System.Collections.Generic;

namespace Ftrack.Core.Query
{
    /// <summary>What a token of a query expression is.</summary>
    internal enum QueryTokenKind
    {
        /// <summary>A name, keyword, attribute path (casts included: parent[Shot].name), number or bare value.</summary>
        Word,
        /// <summary>A quoted string (its text is the source, quotes included).</summary>
        String,
        /// <summary>=, !=, &lt;, &gt;, &lt;=, &gt;= or any other run of punctuation.</summary>
        Operator,
        /// <summary>(</summary>
        LeftParen,
        /// <summary>)</summary>
        RightParen,
        /// <summary>,</summary>
        Comma,
    }

    /// <summary>One token: its kind, its source text, where it is, and its parenthesis depth.</summary>
    internal readonly struct QueryToken
    {
        public QueryToken(QueryTokenKind kind, string text, int start, int end, int depth)
        {
            Kind = kind; Text = text; Start = start; End = end; Depth = depth;
        }

        public QueryTokenKind Kind { get; }
        public string Text { get; }
        /// <summary>Offset of the first character in the expression.</summary>
        public int Start { get; }
        /// <summary>Offset just past the last character.</summary>
        public int End { get; }
        /// <summary>How many parentheses enclose the token (0 at the top level).</summary>
        public int Depth { get; }

        /// <summary>A word equal to <paramref name="keyword"/>, in any case (keywords are case-insensitive).</summary>
        public bool Is(string keyword) => Kind == QueryTokenKind.Word && string.Equals(Text, keyword, System.StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Splits a query expression into tokens with their positions. Never fails: an unterminated
    /// string runs to the end and an unknown character is an operator, so every expression —
    /// half-typed ones too (tab completion) — has tokens, and the server stays the judge of syntax.
    /// </summary>
    internal static class QueryTokenizer
    {
        public static List<QueryToken> Tokenize(string s)
        {
            var tokens = new List<QueryToken>();
            var depth = 0;
            var i = 0;
            while (i < s.Length)
            {
                var c = s[i];
                var start = i;
                if (char.IsWhiteSpace(c)) { i++; continue; }
                switch (c)
                {
                    case '"' or '\'':
                        i++;
                        while (i < s.Length && s[i] != c) i += s[i] == '\\' ? 2 : 1;
                        i = System.Math.Min(i + 1, s.Length);
                        tokens.Add(new QueryToken(QueryTokenKind.String, s.Substring(start, i - start), start, i, depth));
                        continue;
                    case '(':
                        tokens.Add(new QueryToken(QueryTokenKind.LeftParen, "(", start, ++i, depth++));
                        continue;
                    case ')':
                        if (depth > 0) depth--;
                        tokens.Add(new QueryToken(QueryTokenKind.RightParen, ")", start, ++i, depth));
                        continue;
                    case ',':
                        tokens.Add(new QueryToken(QueryTokenKind.Comma, ",", start, ++i, depth));
                        continue;
                }
                if (IsWordChar(c))
                {
                    while (i < s.Length && IsWordChar(s[i])) i++;
                    tokens.Add(new QueryToken(QueryTokenKind.Word, s.Substring(start, i - start), start, i, depth));
                    continue;
                }
                while (i < s.Length && !char.IsWhiteSpace(s[i]) && !IsWordChar(s[i]) && s[i] is not ('"' or '\'' or '(' or ')' or ',')) i++;
                tokens.Add(new QueryToken(QueryTokenKind.Operator, s.Substring(start, i - start), start, i, depth));
            }
            return tokens;
        }

        /// <summary>Characters of names, paths (with casts), numbers, dates and bare values, as the server reads them.</summary>
        public static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '.' or '-' or ':' or '+' or '$' or '@' or '/' or '[' or ']';
    }
}
