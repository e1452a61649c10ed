using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

// One file, compiled into Ftrack.Core (the module's client) and into Ftrack.Server (the local
// server's event hub, as a linked source): a subscription matches the same events on both sides.
namespace Ftrack.Core.Events
{
    /// <summary>
    /// A subscription or target expression as ftrack reads it (the grammar of the official Python
    /// client's <c>ftrack_api.event.expression.Parser</c>): conditions <c>key=value</c> with
    /// <c>=</c>, <c>!=</c>, <c>&gt;=</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&lt;</c> on dotted keys
    /// (<c>source.user.username</c>), values bare (<c>ftrack.update</c>, <c>my.*</c>) or quoted
    /// (<c>"Jane Doe"</c>), joined by <c>not</c>, <c>and</c>, <c>or</c> (tightest first, any case)
    /// and parentheses. Matched against an event (a subscription) or a subscriber's metadata (a
    /// target) as the Python client matches: a missing key never matches; <c>=</c> with a value
    /// ending in <c>*</c> matches text that contains what comes before the star (so
    /// <c>topic=ftrack.*</c> matches <c>ftrack.update</c>); text compares with text, code point by
    /// code point. One addition: a JSON number compares with a value that reads as a number by
    /// value (<c>data.count&gt;5</c>), where the Python client only ever compares text.
    /// </summary>
    internal abstract class EventExpression
    {
        /// <summary>Whether the candidate (an event, or a subscriber's metadata) satisfies the expression.</summary>
        public abstract bool Matches(JsonElement candidate);

        /// <summary>The expression as ftrack's own parser prints it (for messages and tests).</summary>
        public abstract override string ToString();

        /// <summary>Parses <paramref name="text"/>; null and an error saying where, when it does not parse.</summary>
        public static EventExpression? TryParse(string? text, out EventExpressionError? error)
        {
            var parser = new Parser(text ?? "");
            return parser.ParseAll(out error);
        }

        /// <summary>Parses <paramref name="text"/>, or throws <see cref="FormatException"/> with the error's message.</summary>
        public static EventExpression Parse(string text) =>
            TryParse(text, out var error) ?? throw new FormatException(error!.Message);

        private sealed class Parser
        {
            private readonly string _text;
            private int _position;
            // The furthest place a parse failed, and what was wanted there: the error reported.
            private int _failedAt = -1;
            private string _wanted = "";

            public Parser(string text) => _text = text;

            public EventExpression? ParseAll(out EventExpressionError? error)
            {
                error = null;
                SkipSpace();
                if (_position == _text.Length)
                {
                    error = new EventExpressionError(_text, 0, "The expression is empty: write a condition such as topic=ftrack.update.");
                    return null;
                }
                var result = ParseOr();
                SkipSpace();
                if (result != null && _position == _text.Length)
                    return result;
                if (result != null)
                    Fail(_position, Describe(_position) + " cannot follow a complete condition: join conditions with and, or, not");
                error = new EventExpressionError(_text, _failedAt, _wanted);
                return null;
            }

            private string Describe(int at) => at >= _text.Length ? "The end of the expression" : "\"" + Shorten(_text.Substring(at)) + "\"";

            private static string Shorten(string rest)
            {
                var end = rest.IndexOfAny(new[] { ' ', '\t', '\r', '\n' });
                var word = end < 0 ? rest : rest.Substring(0, end);
                return word.Length > 40 ? word.Substring(0, 40) + "..." : word;
            }

            private void Fail(int at, string wanted)
            {
                if (at >= _failedAt)
                {
                    _failedAt = at;
                    _wanted = wanted;
                }
            }

            private void SkipSpace()
            {
                while (_position < _text.Length && IsSpace(_text[_position])) _position++;
            }

            private static bool IsSpace(char c) => c == ' ' || c == '\t' || c == '\r' || c == '\n';

            // pyparsing's alphanums: ASCII letters and digits only.
            private static bool IsAlphanumeric(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

            private static bool IsFieldChar(char c) => IsAlphanumeric(c) || c == '_' || c == '.';

            private static bool IsValueChar(char c) => IsAlphanumeric(c) || c == '-' || c == '_' || c == ',' || c == '.' || c == '/' || c == '*' || c == '@' || c == '+';

            /// <summary>A keyword (any case), not followed by a letter, digit, _ or $ (pyparsing's keyword rule).</summary>
            private bool TryKeyword(string keyword)
            {
                SkipSpace();
                if (_position + keyword.Length > _text.Length) return false;
                if (string.Compare(_text, _position, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) != 0) return false;
                var after = _position + keyword.Length;
                if (after < _text.Length && (IsAlphanumeric(_text[after]) || _text[after] == '_' || _text[after] == '$')) return false;
                _position = after;
                return true;
            }

            // or: and-expressions joined by "or" (one alone is itself).
            private EventExpression? ParseOr()
            {
                var first = ParseAnd();
                if (first == null) return null;
                var terms = new List<EventExpression> { first };
                while (true)
                {
                    var mark = _position;
                    if (!TryKeyword("or")) break;
                    var next = ParseAnd();
                    if (next == null)
                    {
                        // pyparsing stops before a dangling "or"; the leftover is the error.
                        _position = mark;
                        break;
                    }
                    terms.Add(next);
                }
                return terms.Count == 1 ? first : new Any(terms);
            }

            private EventExpression? ParseAnd()
            {
                var first = ParseNot();
                if (first == null) return null;
                var terms = new List<EventExpression> { first };
                while (true)
                {
                    var mark = _position;
                    if (!TryKeyword("and")) break;
                    var next = ParseNot();
                    if (next == null)
                    {
                        _position = mark;
                        break;
                    }
                    terms.Add(next);
                }
                return terms.Count == 1 ? first : new All(terms);
            }

            private EventExpression? ParseNot()
            {
                var mark = _position;
                if (TryKeyword("not"))
                {
                    var inner = ParseNot();
                    if (inner != null) return new Not(inner);
                    // "not" can be a key too (not=1): read it as a condition instead.
                    _position = mark;
                }
                return ParsePrimary();
            }

            private EventExpression? ParsePrimary()
            {
                SkipSpace();
                var start = _position;
                if (_position < _text.Length && _text[_position] == '(')
                {
                    _position++;
                    var inner = ParseOr();
                    if (inner == null)
                    {
                        _position = start;
                        return null;
                    }
                    SkipSpace();
                    if (_position < _text.Length && _text[_position] == ')')
                    {
                        _position++;
                        return inner;
                    }
                    Fail(_position, Describe(_position) + " where a closing parenthesis \")\" (or and, or) was expected");
                    _position = start;
                    return null;
                }
                return ParseCondition();
            }

            private EventExpression? ParseCondition()
            {
                SkipSpace();
                var start = _position;
                while (_position < _text.Length && IsFieldChar(_text[_position])) _position++;
                if (_position == start)
                {
                    Fail(start, Describe(start) + " where a condition was expected, such as topic=ftrack.update (keys are letters, digits, _ and .)");
                    return null;
                }
                var key = _text.Substring(start, _position - start);
                SkipSpace();
                var operatorStart = _position;
                var op = ReadOperator();
                if (op == null)
                {
                    Fail(operatorStart, Describe(operatorStart) + " after \"" + key + "\" where an operator was expected: =, !=, >, >=, < or <=");
                    _position = start;
                    return null;
                }
                SkipSpace();
                var valueStart = _position;
                var value = ReadValue();
                if (value == null)
                {
                    _position = start;
                    return null;
                }
                return new Condition(key, op, value, valueStart);
            }

            private string? ReadOperator()
            {
                // Longest first, as pyparsing's oneOf orders them.
                foreach (var op in new[] { "!=", ">=", "<=", "=", ">", "<" })
                {
                    if (string.CompareOrdinal(_text, _position, op, 0, op.Length) == 0 && _position + op.Length <= _text.Length)
                    {
                        _position += op.Length;
                        return op;
                    }
                }
                return null;
            }

            private string? ReadValue()
            {
                var start = _position;
                if (_position < _text.Length && (_text[_position] == '"' || _text[_position] == '\''))
                {
                    // pyparsing's quotedString: no line breaks inside; a backslash escapes the next
                    // character and a doubled quote stands for itself; the quotes are removed and
                    // the rest is kept as written.
                    var quote = _text[_position];
                    var i = _position + 1;
                    while (i < _text.Length)
                    {
                        var c = _text[i];
                        if (c == '\n' || c == '\r') break;
                        if (c == '\\' && i + 1 < _text.Length) { i += 2; continue; }
                        if (c == quote)
                        {
                            if (i + 1 < _text.Length && _text[i + 1] == quote) { i += 2; continue; }
                            _position = i + 1;
                            return _text.Substring(start + 1, i - start - 1);
                        }
                        i++;
                    }
                    Fail(start, "The quoted value starting at " + Describe(start) + " has no closing quote (on the same line)");
                    return null;
                }
                while (_position < _text.Length && IsValueChar(_text[_position])) _position++;
                if (_position == start)
                {
                    Fail(start, Describe(start) + " where a value was expected: letters, digits and - _ , . / * @ +, or a quoted value such as \"Jane Doe\"");
                    return null;
                }
                return _text.Substring(start, _position - start);
            }
        }

        private sealed class All : EventExpression
        {
            private readonly EventExpression[] _terms;
            public All(List<EventExpression> terms) => _terms = terms.ToArray();
            public override bool Matches(JsonElement candidate)
            {
                foreach (var term in _terms)
                    if (!term.Matches(candidate)) return false;
                return true;
            }
            public override string ToString() => "<All [" + string.Join(" ", (object[])_terms) + "]>";
        }

        private sealed class Any : EventExpression
        {
            private readonly EventExpression[] _terms;
            public Any(List<EventExpression> terms) => _terms = terms.ToArray();
            public override bool Matches(JsonElement candidate)
            {
                foreach (var term in _terms)
                    if (term.Matches(candidate)) return true;
                return false;
            }
            public override string ToString() => "<Any [" + string.Join(" ", (object[])_terms) + "]>";
        }

        private sealed class Not : EventExpression
        {
            private readonly EventExpression _inner;
            public Not(EventExpression inner) => _inner = inner;
            public override bool Matches(JsonElement candidate) => !_inner.Matches(candidate);
            public override string ToString() => "<Not " + _inner + ">";
        }

        private sealed class Condition : EventExpression
        {
            private readonly string _key;
            private readonly string[] _path;
            private readonly string _operator;
            private readonly string _value;
            private readonly bool _wildcard;
            private readonly string _prefix;
            private readonly double? _number;

            public Condition(string key, string op, string value, int position)
            {
                _key = key;
                _path = key.Split('.');
                _operator = op;
                _value = value;
                Position = position;
                _wildcard = op == "=" && value.Length > 0 && value[value.Length - 1] == '*';
                _prefix = _wildcard ? value.Substring(0, value.Length - 1) : value;
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !double.IsNaN(number) && !double.IsInfinity(number))
                    _number = number;
            }

            /// <summary>Where the value starts in the expression.</summary>
            public int Position { get; }

            public override bool Matches(JsonElement candidate)
            {
                var value = candidate;
                foreach (var part in _path)
                {
                    if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(part, out value))
                        return false;
                }
                switch (value.ValueKind)
                {
                    case JsonValueKind.String:
                        if (_wildcard) return value.GetString()!.IndexOf(_prefix, StringComparison.Ordinal) >= 0;
                        if (_operator == "=") return value.ValueEquals(_value);
                        if (_operator == "!=") return !value.ValueEquals(_value);
                        return Ordered(CompareCodePoints(value.GetString()!, _value));
                    case JsonValueKind.Number when _number is { } number && !_wildcard:
                        return Ordered(value.GetDouble().CompareTo(number));
                    default:
                        // Python compares other values with text as unequal (and cannot order them).
                        return _operator == "!=";
                }
            }

            private bool Ordered(int comparison) => _operator switch
            {
                "=" => comparison == 0,
                "!=" => comparison != 0,
                ">" => comparison > 0,
                ">=" => comparison >= 0,
                "<" => comparison < 0,
                _ => comparison <= 0,
            };

            /// <summary>Python's order of text: by code point (UTF-16 order differs above U+D7FF).</summary>
            private static int CompareCodePoints(string a, string b)
            {
                int i = 0, j = 0;
                while (i < a.Length && j < b.Length)
                {
                    var x = NextCodePoint(a, ref i);
                    var y = NextCodePoint(b, ref j);
                    if (x != y) return x < y ? -1 : 1;
                }
                return (a.Length - i).CompareTo(b.Length - j) switch { < 0 => -1, > 0 => 1, _ => 0 };
            }

            private static int NextCodePoint(string text, ref int index)
            {
                var c = text[index++];
                if (char.IsHighSurrogate(c) && index < text.Length && char.IsLowSurrogate(text[index]))
                    return char.ConvertToUtf32(c, text[index++]);
                return c;
            }

            public override string ToString() => "<Condition " + _key + _operator + _value + ">";
        }
    }

    /// <summary>Why an expression does not parse: the place (0-based) and what was wanted there.</summary>
    internal sealed class EventExpressionError
    {
        public EventExpressionError(string expression, int position, string reason)
        {
            Expression = expression;
            Position = Math.Max(0, Math.Min(position, expression.Length));
            Reason = reason;
        }

        public string Expression { get; }

        public int Position { get; }

        public string Reason { get; }

        /// <summary>One line: the reason and the place, as a person reads it (position 1-based).</summary>
        public string Message => "Cannot parse \"" + (Expression.Length > 200 ? Expression.Substring(0, 200) + "..." : Expression) + "\" at position " + (Position + 1) + ": " + Reason + ".";

        /// <summary>The expression and a caret under the place.</summary>
        public string Pointer
        {
            get
            {
                var line = Expression.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
                var builder = new StringBuilder();
                builder.Append("  ").Append(line).Append(Environment.NewLine).Append("  ").Append(' ', Position).Append('^');
                return builder.ToString();
            }
        }
    }
}
