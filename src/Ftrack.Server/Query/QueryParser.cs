using System;
using System.Collections.Generic;
using System.Globalization;
using Ftrack.Server.Api;

namespace Ftrack.Server.Query;

/// <summary>
/// Recursive-descent parser for the ftrack query language. Precedence: not binds tightest,
/// then and, then or. Keywords are case-insensitive; attribute paths are not.
/// </summary>
internal sealed class QueryParser
{
    /// <summary>
    /// Deeper nesting (parentheses, not, has, any, subqueries) is refused: the parser, the
    /// compiler and SQLite's own expression depth (1,000) all recurse once or more per level.
    /// </summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// Longer attribute paths are refused: every later stage follows a path segment by segment,
    /// and each reference in it is a join (SQLite joins at most 64 tables).
    /// </summary>
    public const int MaxPathSegments = 32;

    /// <summary>No attribute path is this long; a longer one would only make long error messages.</summary>
    private const int MaxPathLength = 1000;


    private static readonly Dictionary<string, string> Operators = new(System.StringComparer.OrdinalIgnoreCase)
    {
        ["is"] = "is", ["="] = "is", ["is_not"] = "is_not", ["!="] = "is_not",
        [">"] = ">", ["after"] = ">", ["<"] = "<", ["before"] = "<", [">="] = ">=", ["<="] = "<=",
        ["like"] = "like", ["not_like"] = "not_like",
    };

    private static readonly HashSet<string> Reserved = new(System.StringComparer.OrdinalIgnoreCase)
    {
        "select", "from", "where", "and", "or", "not", "has", "any", "in", "not_in", "order", "by", "offset", "limit",
    };

    private readonly string _expression;
    private readonly List<Token> _tokens;
    private int _position;
    private int _depth;

    private QueryParser(string expression)
    {
        _expression = expression;
        _tokens = QueryLexer.Tokenize(expression);
    }

    public static ParsedQuery Parse(string expression)
    {
        var parser = new QueryParser(expression);
        var query = parser.ParseQuery();
        if (parser.Peek.Kind != TokenKind.End)
            throw parser.Unexpected();
        return query;
    }

    public static FtrackError Error(string expression, string detail) =>
        FtrackError.Parse($"Unable to parse expression \"{FtrackError.Shorten(expression)}\": {detail}.");

    private void Nest()
    {
        if (++_depth > MaxDepth)
            throw Error(_expression, $"conditions and subqueries are nested more than {MaxDepth} levels deep");
    }

    private Token Peek => _tokens[_position];

    private Token Next() => _tokens[_position++];

    private FtrackError Unexpected()
    {
        var token = Peek;
        return Error(_expression, token.Kind == TokenKind.End
            ? "unexpected end of expression"
            : $"unexpected \"{FtrackError.Shorten(token.Text)}\" at position {token.Position}");
    }

    private void Expect(TokenKind kind)
    {
        if (Peek.Kind != kind)
            throw Unexpected();
        _position++;
    }

    private void ExpectWord(string keyword)
    {
        if (!Peek.IsWord(keyword))
            throw Unexpected();
        _position++;
    }

    private static readonly HashSet<string> AggregateFunctions = new(System.StringComparer.OrdinalIgnoreCase) { "count", "sum", "avg", "min", "max" };

    private ParsedQuery ParseQuery()
    {
        Nest();
        var projections = new List<string>();
        var aggregates = new List<Aggregate>();
        if (Peek.IsWord("select"))
        {
            _position++;
            do
            {
                if (projections.Count + aggregates.Count > 0)
                    _position++;
                if (Peek.Kind == TokenKind.Word && AggregateFunctions.Contains(Peek.Text) && _tokens[_position + 1].Kind == TokenKind.LeftParen)
                {
                    var function = Next().Text.ToLowerInvariant();
                    Expect(TokenKind.LeftParen);
                    aggregates.Add(new Aggregate(function, ParsePath(allowFrom: true)));
                    Expect(TokenKind.RightParen);
                }
                else
                {
                    projections.Add(ParseSelected());
                }
            }
            while (Peek.Kind == TokenKind.Comma);
            ExpectWord("from");
        }
        var type = ParsePath();
        Criteria? where = null;
        if (Peek.IsWord("where"))
        {
            _position++;
            where = ParseOr();
        }
        var groupBy = new List<string>();
        // "group" is no keyword elsewhere: CustomAttributeConfiguration has an attribute of that name.
        if (Peek.IsWord("group") && _tokens[_position + 1].IsWord("by"))
        {
            _position += 2;
            groupBy.Add(ParsePath(allowFrom: true));
            while (Peek.Kind == TokenKind.Comma)
            {
                _position++;
                groupBy.Add(ParsePath(allowFrom: true));
            }
        }
        var order = new List<OrderKey>();
        if (Peek.IsWord("order"))
        {
            _position++;
            ExpectWord("by");
            do
            {
                if (order.Count > 0)
                    _position++;
                var path = ParsePath(allowFrom: true);
                var descending = false;
                if (Peek.IsWord("desc") || Peek.IsWord("descending")) { descending = true; _position++; }
                else if (Peek.IsWord("asc") || Peek.IsWord("ascending")) { _position++; }
                order.Add(new OrderKey(path, descending));
            }
            while (Peek.Kind == TokenKind.Comma);
        }
        long? offset = null, limit = null;
        while (Peek.IsWord("offset") || Peek.IsWord("limit"))
        {
            var isOffset = Next().IsWord("offset");
            var value = ParseCount();
            if (isOffset) offset = value; else limit = value;
        }
        if (aggregates.Count > 0 && groupBy.Count == 0)
            throw Error(_expression, "aggregate functions need a \"group by\" clause");
        _depth--;
        return new ParsedQuery(projections, type, where, order, offset, limit, aggregates, groupBy);
    }

    private long ParseCount()
    {
        var token = Next();
        if (token.Kind != TokenKind.Number || !long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            _position--;
            throw Unexpected();
        }
        return value;
    }

    /// <summary>attribute{.attribute}, each optionally cast to a subtype: parent[Shot].name.</summary>
    private static readonly System.Text.RegularExpressions.Regex PathPattern =
        new(@"^[A-Za-z_][A-Za-z0-9_]*(\[[A-Za-z_][A-Za-z0-9_]*\])?(\.[A-Za-z_][A-Za-z0-9_]*(\[[A-Za-z_][A-Za-z0-9_]*\])?)*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// A selected path. An attribute may be called "from" (TypedContextLink.from): in a select
    /// list it is one where a comma or the keyword from follows it.
    /// </summary>
    private string ParseSelected()
    {
        var next = _tokens[Math.Min(_position + 1, _tokens.Count - 1)];
        return Peek.IsWord("from") && (next.Kind == TokenKind.Comma || next.IsWord("from")) ? ParsePath(allowFrom: true) : ParsePath();
    }

    /// <summary>A path: "from" is one where no keyword can stand (a condition, an order key).</summary>
    private string ParsePath(bool allowFrom = false)
    {
        var token = Peek;
        if (token.Kind != TokenKind.Word || (Reserved.Contains(token.Text) && !(allowFrom && token.IsWord("from"))))
            throw Unexpected();
        if (token.Text.AsSpan().Count('.') >= MaxPathSegments)
            throw Error(_expression, $"the path at position {token.Position} has more than {MaxPathSegments} attributes");
        if (token.Text.Length > MaxPathLength)
            throw Error(_expression, $"the path at position {token.Position} is more than {MaxPathLength:N0} characters long");
        if (!PathPattern.IsMatch(token.Text))
            throw Unexpected();
        _position++;
        return token.Text;
    }

    private Criteria ParseOr()
    {
        var parts = new List<Criteria> { ParseAnd() };
        while (Peek.IsWord("or"))
        {
            _position++;
            parts.Add(ParseAnd());
        }
        return parts.Count == 1 ? parts[0] : new OrCriteria(parts);
    }

    private Criteria ParseAnd()
    {
        var parts = new List<Criteria> { ParseUnary() };
        while (Peek.IsWord("and"))
        {
            _position++;
            parts.Add(ParseUnary());
        }
        return parts.Count == 1 ? parts[0] : new AndCriteria(parts);
    }

    private Criteria ParseUnary()
    {
        Nest();
        Criteria result;
        if (Peek.IsWord("not"))
        {
            _position++;
            result = new NotCriteria(ParseUnary());
        }
        else if (Peek.Kind == TokenKind.LeftParen)
        {
            _position++;
            result = ParseOr();
            Expect(TokenKind.RightParen);
        }
        else
        {
            result = ParseCondition();
        }
        _depth--;
        return result;
    }

    private Criteria ParseCondition()
    {
        var path = ParsePath(allowFrom: true);
        var token = Peek;
        if (token.IsWord("has") || token.IsWord("any"))
        {
            _position++;
            Expect(TokenKind.LeftParen);
            Criteria? inner = null;
            if (Peek.Kind != TokenKind.RightParen)
                inner = ParseOr();
            Expect(TokenKind.RightParen);
            return new RelationCriteria(path, token.IsWord("any"), inner);
        }
        if (token.IsWord("in") || token.IsWord("not_in"))
        {
            _position++;
            Expect(TokenKind.LeftParen);
            if (Peek.IsWord("select"))
            {
                var subquery = ParseQuery();
                Expect(TokenKind.RightParen);
                return new InCriteria(path, token.IsWord("not_in"), null, subquery);
            }
            var values = new List<Literal>();
            if (Peek.Kind != TokenKind.RightParen)
            {
                values.Add(ParseLiteral());
                while (Peek.Kind == TokenKind.Comma)
                {
                    _position++;
                    values.Add(ParseLiteral());
                }
            }
            Expect(TokenKind.RightParen);
            return new InCriteria(path, token.IsWord("not_in"), values, null);
        }
        if ((token.Kind == TokenKind.Operator || token.Kind == TokenKind.Word) && Operators.TryGetValue(token.Text, out var op))
        {
            _position++;
            return new Comparison(path, op, ParseLiteral());
        }
        throw Unexpected();
    }

    private Literal ParseLiteral()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.String:
                return new Literal(LiteralKind.String, token.Text);
            case TokenKind.Number:
                return new Literal(LiteralKind.Number, token.Text, double.Parse(token.Text, CultureInfo.InvariantCulture));
            case TokenKind.Word when token.IsWord("true") || token.IsWord("false"):
                return new Literal(LiteralKind.Boolean, token.Text, Boolean: token.IsWord("true"));
            case TokenKind.Word when token.IsWord("none") || token.IsWord("null"):
                return new Literal(LiteralKind.None, token.Text);
            case TokenKind.Word when !Reserved.Contains(token.Text):
                return new Literal(LiteralKind.String, token.Text);
            default:
                _position--;
                throw Unexpected();
        }
    }
}
