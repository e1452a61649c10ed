using System.Collections.Generic;

namespace Ftrack.Server.Query;

/// <summary>
/// The server's parse of a query expression: <c>[select paths from] Type [where ...] [order by ...] [offset N] [limit N]</c>.
/// (The client's QueryExpression only splits off paging; this is the whole tree the SQL is compiled from.)
/// </summary>
internal sealed record ParsedQuery(
    IReadOnlyList<string> Projections,
    string EntityType,
    Criteria? Where,
    IReadOnlyList<OrderKey> OrderBy,
    long? Offset,
    long? Limit,
    IReadOnlyList<Aggregate>? Aggregates = null,
    IReadOnlyList<string>? GroupBy = null)
{
    /// <summary>Aggregates (<c>select count(id) ... group by status_id</c>, ftrack 4.13+) answer rows, not entities.</summary>
    public bool IsAggregate => Aggregates is { Count: > 0 } || GroupBy is { Count: > 0 };
}

/// <summary>An aggregate function of the select list: count, sum, avg, min or max of a path.</summary>
internal sealed record Aggregate(string Function, string Path)
{
    /// <summary>The key of its value in a result row: count(id) is count_id, sum(parent.bid) is sum_parent_bid.</summary>
    public string Name => Function + "_" + Path.Replace('.', '_');
}

internal sealed record OrderKey(string Path, bool Descending);

internal enum LiteralKind { String, Number, Boolean, None }

/// <summary>A literal of the query language; bare words are strings.</summary>
internal sealed record Literal(LiteralKind Kind, string Text, double Number = 0, bool Boolean = false);

internal abstract record Criteria;

internal sealed record AndCriteria(IReadOnlyList<Criteria> Parts) : Criteria;

internal sealed record OrCriteria(IReadOnlyList<Criteria> Parts) : Criteria;

internal sealed record NotCriteria(Criteria Inner) : Criteria;

/// <summary><c>path op value</c>; Operator is normalized (is, is_not, &gt;, &lt;, &gt;=, &lt;=, like, not_like).</summary>
internal sealed record Comparison(string Path, string Operator, Literal Value) : Criteria;

/// <summary><c>path has (...)</c> for a reference, <c>path any (...)</c> for a collection; Inner may be empty.</summary>
internal sealed record RelationCriteria(string Path, bool IsAny, Criteria? Inner) : Criteria;

/// <summary><c>path in (values)</c> or <c>path in (select ...)</c>, or their not_in.</summary>
internal sealed record InCriteria(string Path, bool Negated, IReadOnlyList<Literal>? Values, ParsedQuery? Subquery) : Criteria;
