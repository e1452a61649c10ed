using System;
using System.Collections.Generic;

namespace Ftrack.Core.Query
{
    /// <summary>One query of an expression: the outer one, or a subquery of "in (select ...)".</summary>
    internal sealed class QueryScope
    {
        /// <summary>The type after "from", once it was read (null before, or when the expression stops short of it).</summary>
        public string? EntityType { get; set; }
        /// <summary>Where that type is in the expression.</summary>
        public int EntityTypeStart { get; set; } = -1;
        /// <summary>The attribute paths of the select list, in their order (empty without a select).</summary>
        public List<QueryPath> Projections { get; } = new();
        /// <summary>
        /// The select list as the columns of an aggregate's rows, in its order: a path as written, an
        /// aggregate as the server names it (count(id) → count_id, sum(parent.bid) → sum_parent_bid).
        /// </summary>
        public List<string> Columns { get; } = new();
        /// <summary>The paths of group by, in their order.</summary>
        public List<string> GroupBy { get; } = new();
        /// <summary>True when the select list has an aggregate function.</summary>
        public bool HasAggregates { get; set; }
        /// <summary>An aggregate query: its rows are groups (plain values), not entities.</summary>
        public bool IsAggregate => HasAggregates || GroupBy.Count > 0;
        /// <summary>Where the where clause starts (its keyword) and ends in the expression; -1 without one.</summary>
        public int WhereStart { get; set; } = -1;
        /// <summary>Just past the where clause's last character; -1 without one.</summary>
        public int WhereEnd { get; set; } = -1;
    }

    /// <summary>Which clause an attribute path is in.</summary>
    internal enum QueryClause
    {
        /// <summary>The select list, an aggregate's argument included.</summary>
        Select,
        /// <summary>A condition of the where clause.</summary>
        Where,
        /// <summary>group by.</summary>
        GroupBy,
        /// <summary>order by.</summary>
        OrderBy,
    }

    /// <summary>
    /// An attribute path as written in the expression, with what it is relative to: the query's type,
    /// and the enclosing "has (...)" / "any (...)" relations (<see cref="Within"/>, innermost last).
    /// </summary>
    internal sealed class QueryPath
    {
        public QueryPath(string text, int start, QueryClause clause, QueryScope query, QueryPath? within)
        {
            Text = text; Start = start; Clause = clause; Query = query; Within = within;
        }

        public string Text { get; }
        public int Start { get; }
        public int End => Start + Text.Length;
        public QueryClause Clause { get; }
        public QueryScope Query { get; }
        /// <summary>The relation this path is inside ("status" in "status has (name is x)"), or null.</summary>
        public QueryPath? Within { get; }
        /// <summary>True for an aggregate's argument (count(id)).</summary>
        public bool IsAggregated { get; set; }
    }

    /// <summary>
    /// Where the entity types and attribute paths of a query expression are, and what each path is
    /// relative to — for checking them against the schemas before sending, for tab completion
    /// anywhere in the expression, and for the columns of the result's table. Lenient: it records
    /// what it understood up to the first thing it does not, and says whether it read the whole
    /// expression (<see cref="IsComplete"/>); it never decides that an expression is invalid — the
    /// server does that.
    /// </summary>
    internal sealed class QueryOutline
    {
        private static readonly HashSet<string> ComparisonWords = new(StringComparer.OrdinalIgnoreCase) { "is", "is_not", "after", "before", "like", "not_like" };
        private static readonly HashSet<string> ComparisonOperators = new(StringComparer.Ordinal) { "=", "!=", "<", ">", "<=", ">=" };
        private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
        {
            "select", "from", "where", "and", "or", "not", "has", "any", "in", "not_in", "order", "group", "by", "offset", "limit",
        };

        private readonly List<QueryToken> _tokens;
        private int _next;

        private QueryOutline(string expression) { _tokens = QueryTokenizer.Tokenize(expression); }

        /// <summary>The outer query.</summary>
        public QueryScope Root { get; } = new();
        /// <summary>Every query (the outer one first, then subqueries), in the order they start.</summary>
        public List<QueryScope> Queries { get; } = new();
        /// <summary>Every attribute path found, in the order written.</summary>
        public List<QueryPath> Paths { get; } = new();
        /// <summary>True when the whole expression was read as the language has it.</summary>
        public bool IsComplete { get; private set; }

        /// <summary>Reads <paramref name="expression"/> as far as it can.</summary>
        public static QueryOutline Parse(string expression)
        {
            var outline = new QueryOutline(expression);
            try
            {
                outline.Query(outline.Root);
                outline.IsComplete = outline._next == outline._tokens.Count;
            }
            catch (StopReading)
            {
                outline.IsComplete = false;
            }
            return outline;
        }

        /// <summary>Thrown to stop at the first token that does not fit: what was read so far stays.</summary>
        private sealed class StopReading : Exception { }

        private QueryToken? Peek => _next < _tokens.Count ? _tokens[_next] : null;

        private bool PeekIs(string keyword) => Peek is { } t && t.Is(keyword);

        private bool PeekIs(QueryTokenKind kind) => Peek is { } t && t.Kind == kind;

        private QueryToken Take()
        {
            if (_next >= _tokens.Count) throw new StopReading();
            return _tokens[_next++];
        }

        private void Expect(string keyword)
        {
            if (!PeekIs(keyword)) throw new StopReading();
            _next++;
        }

        private void Expect(QueryTokenKind kind)
        {
            if (!PeekIs(kind)) throw new StopReading();
            _next++;
        }

        private void Query(QueryScope scope)
        {
            Queries.Add(scope);
            if (PeekIs("select"))
            {
                _next++;
                do Projection(scope);
                while (TakeComma());
                Expect("from");
            }
            var type = Take();
            if (type.Kind != QueryTokenKind.Word || Keywords.Contains(type.Text)) throw new StopReading();
            scope.EntityType = type.Text;
            scope.EntityTypeStart = type.Start;
            if (PeekIs("where"))
            {
                scope.WhereStart = _tokens[_next++].Start;
                Or(scope, null);
                scope.WhereEnd = _tokens[_next - 1].End;
            }
            if (PeekIs("group"))
            {
                _next++;
                Expect("by");
                do scope.GroupBy.Add(Path(scope, QueryClause.GroupBy, null).Text);
                while (TakeComma());
            }
            if (PeekIs("order"))
            {
                _next++;
                Expect("by");
                do
                {
                    Path(scope, QueryClause.OrderBy, null);
                    if (PeekIs("asc") || PeekIs("ascending") || PeekIs("desc") || PeekIs("descending")) _next++;
                }
                while (TakeComma());
            }
            while (PeekIs("offset") || PeekIs("limit"))
            {
                _next++;
                if (Take().Kind != QueryTokenKind.Word) throw new StopReading();
            }
        }

        private bool TakeComma()
        {
            if (!PeekIs(QueryTokenKind.Comma)) return false;
            _next++;
            return true;
        }

        /// <summary>A path, or an aggregate of one: count(id), sum(bid).</summary>
        private void Projection(QueryScope scope)
        {
            if (_next + 1 < _tokens.Count && _tokens[_next].Kind == QueryTokenKind.Word && _tokens[_next + 1].Kind == QueryTokenKind.LeftParen)
            {
                var function = _tokens[_next].Text.ToLowerInvariant();
                _next += 2;
                scope.HasAggregates = true;
                if (PeekIs(QueryTokenKind.Word))
                {
                    var argument = Path(scope, QueryClause.Select, null);
                    argument.IsAggregated = true;
                    scope.Columns.Add(function + "_" + argument.Text.Replace('.', '_'));
                }
                else if (Peek is { Kind: QueryTokenKind.Operator, Text: "*" }) _next++;
                Expect(QueryTokenKind.RightParen);
                return;
            }
            var path = Path(scope, QueryClause.Select, null);
            scope.Projections.Add(path);
            scope.Columns.Add(path.Text);
        }

        private QueryPath Path(QueryScope scope, QueryClause clause, QueryPath? within)
        {
            var token = Take();
            if (token.Kind != QueryTokenKind.Word || Keywords.Contains(token.Text)) throw new StopReading();
            var path = new QueryPath(token.Text, token.Start, clause, scope, within);
            Paths.Add(path);
            return path;
        }

        private void Or(QueryScope scope, QueryPath? within)
        {
            And(scope, within);
            while (PeekIs("or"))
            {
                _next++;
                And(scope, within);
            }
        }

        private void And(QueryScope scope, QueryPath? within)
        {
            Unary(scope, within);
            while (PeekIs("and"))
            {
                _next++;
                Unary(scope, within);
            }
        }

        private void Unary(QueryScope scope, QueryPath? within)
        {
            if (PeekIs("not"))
            {
                _next++;
                Unary(scope, within);
                return;
            }
            if (PeekIs(QueryTokenKind.LeftParen))
            {
                _next++;
                Or(scope, within);
                Expect(QueryTokenKind.RightParen);
                return;
            }
            Condition(scope, within);
        }

        private void Condition(QueryScope scope, QueryPath? within)
        {
            var path = Path(scope, QueryClause.Where, within);
            var op = Take();
            if (op.Is("has") || op.Is("any"))
            {
                Expect(QueryTokenKind.LeftParen);
                if (!PeekIs(QueryTokenKind.RightParen)) Or(scope, path);
                Expect(QueryTokenKind.RightParen);
                return;
            }
            if (op.Is("in") || op.Is("not_in"))
            {
                Expect(QueryTokenKind.LeftParen);
                if (PeekIs("select")) Query(new QueryScope());
                else if (!PeekIs(QueryTokenKind.RightParen))
                {
                    do Value();
                    while (TakeComma());
                }
                Expect(QueryTokenKind.RightParen);
                return;
            }
            if (ComparisonWords.Contains(op.Text) && op.Kind == QueryTokenKind.Word || op.Kind == QueryTokenKind.Operator && ComparisonOperators.Contains(op.Text))
            {
                Value();
                return;
            }
            throw new StopReading();
        }

        private void Value()
        {
            var value = Take();
            if (value.Kind == QueryTokenKind.String) return;
            if (value.Kind != QueryTokenKind.Word || Keywords.Contains(value.Text)) throw new StopReading();
        }
    }
}
