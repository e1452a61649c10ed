using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Ftrack.Server.Api;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Query;

/// <summary>The SQL of a query's row selection: FROM/JOIN, WHERE and ORDER BY, with parameters.</summary>
internal sealed record CompiledQuery(EntityType Type, string RootAlias, string From, string Where, string OrderBy, IReadOnlyList<object?> Parameters);

/// <summary>A column of an aggregate query's rows: its key in a row, its SQL, and how its values are written.</summary>
internal sealed record AggregateColumn(string Name, string Sql, ScalarType Type);

/// <summary>An aggregate query as one SELECT ... GROUP BY ... ORDER BY (paging is the caller's).</summary>
internal sealed record CompiledAggregate(string Sql, IReadOnlyList<AggregateColumn> Columns, IReadOnlyList<object?> Parameters);

/// <summary>
/// Compiles a parsed query to SQLite. References become LEFT JOINs on primary keys (one join
/// per distinct path); collections, <c>has</c> and <c>any</c> become correlated EXISTS
/// subqueries, so a root row is never duplicated by a filter.
/// </summary>
internal sealed class SqlCompiler
{
    private const int MaxInlineListValues = 200;

    /// <summary>
    /// Subqueries (has, any, in (select ...), a collection in a path) nest at most this deep.
    /// SQLite counts each level some 40 to 110 times against its expression depth of 1,000
    /// (measured: 23 bare levels run, 8 with 3,500 conditions at each level).
    /// </summary>
    public const int MaxSubqueryNesting = 8;

    /// <summary>References followed in one SELECT: SQLite joins at most 64 tables, and an EXISTS adds two.</summary>
    public const int MaxJoins = 60;

    /// <summary>Keys of one order by: each is two ORDER BY terms, and SQLite allows 2,000.</summary>
    public const int MaxOrderKeys = 32;

    /// <summary>Values bound to one statement: SQLite allows 32,766.</summary>
    public const int MaxParameters = 30000;

    /// <summary>SQLite refuses longer like patterns (SQLITE_MAX_LIKE_PATTERN_LENGTH), in bytes.</summary>
    public const int MaxLikePatternBytes = 50000;

    private readonly EntityModel _model;
    private readonly List<object?> _parameters = new();
    private int _aliasCounter;
    private int _subqueryNesting;

    private SqlCompiler(EntityModel model) => _model = model;

    public static CompiledQuery Compile(EntityModel model, ParsedQuery query)
    {
        var compiler = new SqlCompiler(model);
        var type = compiler.RequireType(query.EntityType);
        var scope = compiler.NewScope(type);
        var where = compiler.TypeFilter(type, scope.Alias);
        if (query.Where != null)
            where = where + " AND (" + compiler.CompileCriteria(scope, query.Where) + ")";
        if (query.OrderBy.Count > MaxOrderKeys)
            throw FtrackError.Validation($"The query orders by more than {MaxOrderKeys} attributes.");
        var order = new StringBuilder();
        foreach (var key in query.OrderBy)
        {
            var column = compiler.OrderColumn(scope, key.Path);
            // PostgreSQL (ftrack's database) sorts NULLs last ascending and first descending.
            order.Append(key.Descending ? $"{column} IS NULL DESC, {column} DESC, " : $"{column} IS NULL, {column}, ");
        }
        order.Append(scope.Alias).Append(".rowid");
        var from = type.Table.Quoted + " " + scope.Alias + string.Concat(scope.Joins);
        return new CompiledQuery(type, scope.Alias, from, where, order.ToString(), compiler._parameters);
    }

    /// <summary>
    /// <c>select count(id), sum(bid) from Task where ... group by status_id order by count_id desc</c>:
    /// one row per group with the grouped paths (selected or not) and each aggregate, ordered by
    /// grouped paths or aggregates (by their row keys), else by the grouped paths.
    /// </summary>
    public static CompiledAggregate CompileAggregate(EntityModel model, ParsedQuery query)
    {
        var compiler = new SqlCompiler(model);
        var type = compiler.RequireType(query.EntityType);
        var scope = compiler.NewScope(type);
        var groups = query.GroupBy ?? [];
        var aggregates = query.Aggregates ?? [];
        var ungrouped = query.Projections.FirstOrDefault(p => !groups.Contains(p));
        if (ungrouped != null)
            throw FtrackError.Validation($"\"{ungrouped}\" is selected but not grouped: select grouped attributes and aggregates only.");
        var columns = new List<AggregateColumn>();
        foreach (var path in groups.Distinct())
        {
            var (sql, attribute) = compiler.PathColumn(scope, path, allowReference: true);
            columns.Add(new AggregateColumn(path, sql, attribute.Kind == AttributeKind.Scalar && attribute.ScalarType != ScalarType.Variable ? attribute.ScalarType : ScalarType.String));
        }
        foreach (var aggregate in aggregates)
        {
            var (sql, attribute) = compiler.PathColumn(scope, aggregate.Path, allowReference: true);
            var valueType = aggregate.Function is "min" or "max" && attribute.Kind == AttributeKind.Scalar && attribute.ScalarType != ScalarType.Variable ? attribute.ScalarType : ScalarType.Number;
            columns.Add(new AggregateColumn(aggregate.Name, $"{aggregate.Function.ToUpperInvariant()}({sql})", valueType));
        }
        var where = compiler.TypeFilter(type, scope.Alias);
        if (query.Where != null)
            where += " AND (" + compiler.CompileCriteria(scope, query.Where) + ")";
        var order = new List<string>();
        foreach (var key in query.OrderBy)
        {
            var column = columns.FirstOrDefault(c => c.Name == key.Path)
                ?? throw FtrackError.Validation($"An aggregate query orders by grouped attributes or aggregates ({string.Join(", ", columns.Select(c => c.Name))}), not \"{key.Path}\".");
            order.Add(key.Descending ? $"{column.Sql} IS NULL DESC, {column.Sql} DESC" : $"{column.Sql} IS NULL, {column.Sql}");
        }
        var grouped = columns.Take(groups.Distinct().Count()).Select(c => c.Sql).ToList();
        order.AddRange(grouped);
        var select = string.Join(", ", columns.Select(c => c.Sql));
        var sqlText = $"SELECT {select} FROM {type.Table.Quoted} {scope.Alias}{string.Concat(scope.Joins)} WHERE {where}"
            + (grouped.Count > 0 ? " GROUP BY " + string.Join(", ", grouped) : "")
            + (order.Count > 0 ? " ORDER BY " + string.Join(", ", order) : "");
        return new CompiledAggregate(sqlText, columns, compiler._parameters);
    }

    public EntityType RequireType(string name) =>
        _model.Find(name) ?? throw FtrackError.Validation($"Unknown entity type \"{name}\".");

    private sealed class Scope
    {
        public required EntityType Type { get; init; }
        public required string Alias { get; init; }
        public List<string> Joins { get; } = new();
        public Dictionary<string, string> JoinAliases { get; } = new();
    }

    private Scope NewScope(EntityType type) => new() { Type = type, Alias = "t" + _aliasCounter++ };

    private string Parameter(object? value)
    {
        if (_parameters.Count == MaxParameters)
            throw FtrackError.Validation($"The query compares with more than {MaxParameters:N0} values; put long lists of values in one \"in (...)\" or split the query.");
        _parameters.Add(value);
        return "$" + (_parameters.Count - 1);
    }

    /// <summary>The classifier condition that keeps only rows of this type in a shared table.</summary>
    private string TypeFilter(EntityType type, string alias) => type.RowFilter(alias, value => Parameter(value));

    private static AttributeDef Attribute(EntityType type, string name) =>
        type.FindAttribute(name) is { } attribute
            ? attribute
            : throw FtrackError.Validation($"Unknown attribute \"{name}\" on entity type \"{type.Name}\".");

    private string CompileCriteria(Scope scope, Criteria criteria) => criteria switch
    {
        AndCriteria and => Balanced(and.Parts.Select(p => CompileCriteria(scope, p)).ToList(), " AND "),
        OrCriteria or => Balanced(or.Parts.Select(p => CompileCriteria(scope, p)).ToList(), " OR "),
        NotCriteria not => "NOT (" + CompileCriteria(scope, not.Inner) + ")",
        Comparison comparison => Walk(scope, scope.Type, scope.Alias, comparison.Path.Split('.'), 0,
            (_, owner, alias, attribute, _) => Compare(ColumnOf(owner, alias, attribute, comparison.Path), attribute, comparison.Operator, comparison.Value)),
        RelationCriteria relation => Walk(scope, scope.Type, scope.Alias, relation.Path.Split('.'), 0,
            (outer, _, alias, attribute, target) => Related(outer, alias, attribute, target, relation.Path, relation.Inner)),
        InCriteria membership => Walk(scope, scope.Type, scope.Alias, membership.Path.Split('.'), 0,
            (_, owner, alias, attribute, _) => Membership(ColumnOf(owner, alias, attribute, membership.Path), attribute, membership)),
        _ => throw FtrackError.Server("Unknown criteria node."),
    };

    /// <summary>
    /// Joins conditions as a balanced tree, "((a AND b) AND (c AND d))": SQLite's expression depth
    /// grows with the log of the count instead of the count (a chain of 1,000 would exceed it).
    /// </summary>
    private static string Balanced(List<string> parts, string op)
    {
        string Join(int start, int count) => count == 1
            ? "(" + parts[start] + ")"
            : "(" + Join(start, count / 2) + op + Join(start + count / 2, count - count / 2) + ")";
        return Join(0, parts.Count);
    }

    /// <summary>Compiles one level of subquery, refusing nesting SQLite could not run.</summary>
    private string Nested(Func<string> compile)
    {
        if (++_subqueryNesting > MaxSubqueryNesting)
            throw FtrackError.Validation($"The query nests more than {MaxSubqueryNesting} conditions on related entities (has, any, in (select ...), a collection in a path).");
        var sql = compile();
        _subqueryNesting--;
        return sql;
    }

    /// <summary>
    /// Follows a dotted path: references through joins, collections through EXISTS (a condition
    /// on a collection member means "any member"); the leaf builds the condition on the last attribute.
    /// </summary>
    private string Walk(Scope scope, EntityType type, string alias, string[] segments, int index, Func<Scope, EntityType, string, AttributeDef, EntityType?, string> leaf)
    {
        var (attribute, target) = Segment(type, segments[index]);
        if (index == segments.Length - 1)
            return leaf(scope, type, alias, attribute, target);
        switch (attribute.Kind)
        {
            case AttributeKind.Reference:
                var joined = Join(scope, alias, attribute, target!);
                return Walk(scope, target!, joined, segments, index + 1, leaf);
            case AttributeKind.Collection:
                return Exists(alias, attribute, target!, inner => Walk(inner, target!, inner.Alias, segments, index + 1, leaf));
            default:
                throw Unfilterable(type, attribute);
        }
    }

    private static FtrackError Unfilterable(EntityType type, AttributeDef attribute) => attribute.Kind switch
    {
        AttributeKind.Unsupported => FtrackError.Validation($"Attribute \"{attribute.Name}\" of \"{type.Name}\" relates to a type this local server does not store."),
        AttributeKind.Computed => FtrackError.Validation($"Attribute \"{attribute.Name}\" of \"{type.Name}\" is computed and cannot be used in a filter or order."),
        _ => FtrackError.Validation($"Attribute \"{attribute.Name}\" of \"{type.Name}\" is not a relation: nothing follows it in a path."),
    };

    /// <summary>
    /// An attribute of a path segment and the type its related entities are taken as: the
    /// declared target, or the subtype named in a cast (<c>parent[Shot]</c>).
    /// </summary>
    private (AttributeDef Attribute, EntityType? Target) Segment(EntityType type, string segment)
    {
        var bracket = segment.IndexOf('[');
        if (bracket < 0)
        {
            var plain = Attribute(type, segment);
            return (plain, plain.Target);
        }
        var attribute = Attribute(type, segment[..bracket]);
        var castName = segment[(bracket + 1)..^1];
        var cast = _model.Find(castName) ?? throw FtrackError.Validation($"Unknown entity type \"{castName}\" in \"{segment}\".");
        if (attribute.Target == null || attribute.Kind is not (AttributeKind.Reference or AttributeKind.Collection))
            throw FtrackError.Validation($"\"{segment}\": only a reference or a collection can be cast to a type.");
        if (cast.Table != attribute.Target.Table || !(cast.IsA(attribute.Target) || attribute.Target.IsA(cast)))
            throw FtrackError.Validation($"\"{segment}\": {castName} is not a kind of {attribute.Target.Name}.");
        return (attribute, cast);
    }

    private string Join(Scope scope, string alias, AttributeDef reference, EntityType target)
    {
        var key = alias + "." + reference.Name + "[" + target.Name + "]";
        if (scope.JoinAliases.TryGetValue(key, out var existing))
            return existing;
        if (scope.Joins.Count == MaxJoins)
            throw FtrackError.Validation($"The query follows more than {MaxJoins} references at one level; split it into several queries.");
        var joined = "t" + _aliasCounter++;
        // A cast joins only rows of that type: the others read as null, so conditions on them fail.
        var cast = target == reference.Target ? "" : " AND " + TypeFilter(target, joined);
        scope.Joins.Add($" LEFT JOIN {target.Table.Quoted} {joined} ON {joined}.{Database.Quote(target.Table.PrimaryKey[0])} = {alias}.{Database.Quote(reference.Column!)}{cast}");
        scope.JoinAliases[key] = joined;
        return joined;
    }

    /// <summary>EXISTS over the members of a collection of the row at <paramref name="ownerAlias"/>.</summary>
    private string Exists(string ownerAlias, AttributeDef collection, EntityType target, Func<Scope, string> inner) => Nested(() =>
    {
        var member = NewScope(target);
        var condition = inner(member);
        var m = member.Alias;
        var joins = string.Concat(member.Joins);
        var filter = TypeFilter(target, m);
        if (collection.MemberFilter is { } extra)
            filter += $" AND {m}.{Database.Quote(extra.Column)} = {Parameter(extra.Value)}";
        var ownerKey = $"{ownerAlias}.\"id\"";
        return collection.Shape switch
        {
            CollectionShape.ForeignKeyOnTarget =>
                $"EXISTS (SELECT 1 FROM {target.Table.Quoted} {m}{joins} WHERE {m}.{Database.Quote(collection.TargetColumn!)} = {ownerKey} AND {filter} AND ({condition}))",
            CollectionShape.LinkTable =>
                $"EXISTS (SELECT 1 FROM \"{collection.LinkTable}\" l{m} JOIN {target.Table.Quoted} {m} ON {m}.\"id\" = l{m}.{Database.Quote(collection.LinkTargetColumn!)}{joins} WHERE l{m}.{Database.Quote(collection.LinkSourceColumn!)} = {ownerKey} AND {filter} AND ({condition}))",
            CollectionShape.Ancestors =>
                $"EXISTS (SELECT 1 FROM {Database.ClosureTable} c{m} JOIN {target.Table.Quoted} {m} ON {m}.\"id\" = c{m}.ancestor_id{joins} WHERE c{m}.descendant_id = {ownerKey} AND c{m}.depth > 0 AND {filter} AND ({condition}))",
            CollectionShape.Descendants =>
                $"EXISTS (SELECT 1 FROM {Database.ClosureTable} c{m} JOIN {target.Table.Quoted} {m} ON {m}.\"id\" = c{m}.descendant_id{joins} WHERE c{m}.ancestor_id = {ownerKey} AND c{m}.depth > 0 AND {filter} AND ({condition}))",
            _ => throw FtrackError.Server("Unknown collection shape."),
        };
    });

    private string Related(Scope scope, string alias, AttributeDef attribute, EntityType? target, string path, Criteria? inner)
    {
        switch (attribute.Kind)
        {
            case AttributeKind.Reference:
                return Nested(() =>
                {
                    var member = NewScope(target!);
                    var condition = inner == null ? "1" : CompileCriteria(member, inner);
                    var cast = target == attribute.Target ? "" : " AND " + TypeFilter(target!, member.Alias);
                    return $"EXISTS (SELECT 1 FROM {target!.Table.Quoted} {member.Alias}{string.Concat(member.Joins)} WHERE {member.Alias}.{Database.Quote(target.Table.PrimaryKey[0])} = {alias}.{Database.Quote(attribute.Column!)}{cast} AND ({condition}))";
                });
            case AttributeKind.Collection:
                return Exists(alias, attribute, target!, m => inner == null ? "1" : CompileCriteria(m, inner));
            default:
                throw FtrackError.Validation($"\"{path}\" is not a relation: has/any need a reference or a collection.");
        }
    }

    private static string ColumnOf(EntityType owner, string alias, AttributeDef attribute, string path) => attribute.Kind switch
    {
        AttributeKind.Scalar when attribute.ScalarType == ScalarType.Variable => JsonScalar(alias + "." + Database.Quote(attribute.Column!)),
        AttributeKind.Scalar or AttributeKind.Reference => alias + "." + Database.Quote(attribute.Column!),
        AttributeKind.Computed when ComputedAttributes.Find(owner, attribute.Name)?.FilterExpression is { } filterable => filterable(alias),
        AttributeKind.Collection => throw FtrackError.Validation($"\"{path}\" is a collection: compare its members with \"any\"."),
        _ => throw FtrackError.Validation($"\"{path}\" cannot be used in a filter (computed or not stored by this local server)."),
    };

    /// <summary>
    /// A variable attribute (a custom attribute's value or default) holds JSON: it compares as what
    /// the JSON holds, numbers as numbers, text as text, booleans as 1 and 0; a date as its
    /// datetime text, a list of one choice as that choice.
    /// </summary>
    private static string JsonScalar(string column) =>
        $"(CASE json_type({column}) WHEN 'object' THEN json_extract({column}, '$.value') WHEN 'array' THEN (CASE json_array_length({column}) WHEN 1 THEN json_extract({column}, '$[0]') ELSE {column} END) ELSE json_extract({column}, '$') END)";

    private string Compare(string column, AttributeDef attribute, string op, Literal value)
    {
        if (value.Kind == LiteralKind.None)
        {
            return op switch
            {
                "is" => column + " IS NULL",
                "is_not" => column + " IS NOT NULL",
                _ => throw FtrackError.Validation($"Operator \"{op}\" cannot compare with None."),
            };
        }
        if (op is "like" or "not_like")
        {
            if (System.Text.Encoding.UTF8.GetByteCount(value.Text) > MaxLikePatternBytes)
                throw FtrackError.Validation($"A like pattern may be at most {MaxLikePatternBytes:N0} bytes long; this one is {System.Text.Encoding.UTF8.GetByteCount(value.Text):N0}.");
            var pattern = Parameter(value.Kind == LiteralKind.Boolean ? (value.Boolean ? "true" : "false") : value.Text);
            return op == "like" ? $"{column} LIKE {pattern}" : $"{column} NOT LIKE {pattern}";
        }
        var sqlOp = op switch { "is" => "=", "is_not" => "!=", _ => op };
        return $"{column} {sqlOp} {Parameter(Convert(value, attribute))}";
    }

    /// <summary>The stored form of a literal compared with an attribute; a literal that is not of its type names it.</summary>
    private static object? Convert(Literal value, AttributeDef attribute)
    {
        var type = attribute.Kind == AttributeKind.Scalar ? attribute.ScalarType : ScalarType.String;
        FtrackError NotA(string what) => FtrackError.Validation($"Attribute \"{attribute.Name}\" is compared with \"{FtrackError.Shorten(value.Text)}\", which is not {what}.");
        switch (type)
        {
            case ScalarType.DateTime:
                return ValueCodec.ParseDateTime(value.Text, attribute.Name);
            case ScalarType.Boolean:
                if (value.Kind == LiteralKind.Boolean) return value.Boolean ? 1L : 0L;
                if (value.Kind == LiteralKind.Number) return value.Number != 0 ? 1L : 0L;
                if (bool.TryParse(value.Text, out var flag)) return flag ? 1L : 0L;
                throw NotA("a boolean");
            case ScalarType.Variable:
                return value.Kind switch
                {
                    LiteralKind.Number when double.IsFinite(value.Number) => value.Number == Math.Floor(value.Number) && Math.Abs(value.Number) < 9e15 ? (long)value.Number : value.Number,
                    LiteralKind.Number => throw NotA("a finite number"),
                    LiteralKind.Boolean => value.Boolean ? 1L : 0L,
                    _ => value.Text,
                };
            case ScalarType.Integer:
            case ScalarType.Number:
                if (value.Kind == LiteralKind.Boolean) return value.Boolean ? 1L : 0L;
                var number = value.Kind == LiteralKind.Number ? value.Number
                    : double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed
                    : throw NotA("a number");
                // NaN and infinity (from "NaN", "Infinity" or too many digits) compare with nothing in SQLite.
                if (!double.IsFinite(number))
                    throw NotA("a finite number");
                return number == Math.Floor(number) && Math.Abs(number) < 9e15 ? (long)number : number;
            default:
                return value.Kind == LiteralKind.Boolean ? (value.Boolean ? "True" : "False") : value.Text;
        }
    }

    private string Membership(string column, AttributeDef attribute, InCriteria membership)
    {
        var keyword = membership.Negated ? "NOT IN" : "IN";
        if (membership.Subquery != null)
            return $"{column} {keyword} ({Subquery(membership.Subquery)})";
        var converted = membership.Values!.Where(v => v.Kind != LiteralKind.None).Select(v => Convert(v, attribute)).ToList();
        var hasNone = membership.Values!.Any(v => v.Kind == LiteralKind.None);
        string list;
        if (converted.Count == 0)
            list = membership.Negated ? "1" : "0";
        else if (converted.Count > MaxInlineListValues)
            // Long lists go in as one JSON parameter: SQLite limits the number of bound variables.
            list = $"{column} {keyword} (SELECT value FROM json_each({Parameter(System.Text.Json.JsonSerializer.Serialize(converted))}))";
        else
            list = $"{column} {keyword} ({string.Join(", ", converted.Select(Parameter))})";
        if (!hasNone)
            return list;
        return membership.Negated ? $"({list} AND {column} IS NOT NULL)" : $"({list} OR {column} IS NULL)";
    }

    /// <summary>A subquery selecting one attribute path (id when no select is given).</summary>
    private string Subquery(ParsedQuery query) => Nested(() =>
    {
        if (query.IsAggregate)
            throw FtrackError.Validation("A subquery cannot aggregate or group.");
        if (query.Projections.Count > 1)
            throw FtrackError.Validation("A subquery must select exactly one attribute.");
        var type = RequireType(query.EntityType);
        var scope = NewScope(type);
        var path = query.Projections.Count == 1 ? query.Projections[0] : type.PrimaryKey[0];
        var column = OrderColumn(scope, path, allowReference: true);
        var where = TypeFilter(type, scope.Alias);
        if (query.Where != null)
            where += " AND (" + CompileCriteria(scope, query.Where) + ")";
        var sql = $"SELECT {column} FROM {type.Table.Quoted} {scope.Alias}{string.Concat(scope.Joins)} WHERE {where}";
        if (query.Limit != null || query.Offset != null)
            sql += $" LIMIT {query.Limit ?? -1} OFFSET {query.Offset ?? 0}";
        return sql;
    });

    /// <summary>The column a path through references ends on (for order by and subquery selects).</summary>
    private string OrderColumn(Scope scope, string path, bool allowReference = false) => PathColumn(scope, path, allowReference).Sql;

    private (string Sql, AttributeDef Attribute) PathColumn(Scope scope, string path, bool allowReference)
    {
        var segments = path.Split('.');
        var type = scope.Type;
        var alias = scope.Alias;
        for (var i = 0; ; i++)
        {
            var (attribute, target) = Segment(type, segments[i]);
            if (i == segments.Length - 1)
            {
                if (attribute.Kind == AttributeKind.Scalar && attribute.ScalarType == ScalarType.Variable)
                    return (JsonScalar(alias + "." + Database.Quote(attribute.Column!)), attribute);
                if (attribute.Kind == AttributeKind.Scalar || (allowReference && attribute.Kind == AttributeKind.Reference))
                    return (alias + "." + Database.Quote(attribute.Column!), attribute);
                throw FtrackError.Validation($"Cannot order or select by \"{path}\": it does not end on a stored attribute.");
            }
            if (attribute.Kind != AttributeKind.Reference)
                throw FtrackError.Validation($"Cannot order or select by \"{path}\": only references can be followed.");
            alias = Join(scope, alias, attribute, target!);
            type = target!;
        }
    }
}
