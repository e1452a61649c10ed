using System.Globalization;
using CsCheck;
using Ftrack.Core.Query;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>Finding and rewriting the trailing offset/limit of a query expression.</summary>
public class QueryExpressionTests
{
    [Theory]
    [InlineData("select name from Task", "select name from Task", null, null)]
    [InlineData("select name from Task limit 5", "select name from Task", null, 5)]
    [InlineData("select name from Task offset 3", "select name from Task", 3, null)]
    [InlineData("select name from Task offset 3 limit 5", "select name from Task", 3, 5)]
    [InlineData("select name from Task limit 5 offset 3", "select name from Task", 3, 5)]
    [InlineData("select name from Task LIMIT 5 Offset 3", "select name from Task", 3, 5)]
    [InlineData("select name from Task OFFSET 0 lImIt 0", "select name from Task", 0, 0)]
    [InlineData("  Task   limit   5  ", "Task", null, 5)]
    [InlineData("Task\nlimit 5\n\toffset 2\n", "Task", 2, 5)]
    [InlineData("limit 5", "", null, 5)]
    [InlineData("Task where name is \"limit 5\"", "Task where name is \"limit 5\"", null, null)]
    [InlineData("Task where name is 'offset 3'", "Task where name is 'offset 3'", null, null)]
    [InlineData("Task where name is \"x limit 5\" limit 2", "Task where name is \"x limit 5\"", null, 2)]
    [InlineData("Task where name is \"a\"limit 5", "Task where name is \"a\"", null, 5)]
    [InlineData("Task where name like \"%offset 3\" offset 4", "Task where name like \"%offset 3\"", 4, null)]
    [InlineData("Task where name is 'it\\'s limit 5'", "Task where name is 'it\\'s limit 5'", null, null)]
    [InlineData("Task where name is \"say \\\"limit 5\\\"\" offset 1", "Task where name is \"say \\\"limit 5\\\"\"", 1, null)]
    [InlineData("Task where id in (select id from Task limit 5)", "Task where id in (select id from Task limit 5)", null, null)]
    [InlineData("Task where id in (select id from Task offset 1 limit 5) limit 7", "Task where id in (select id from Task offset 1 limit 5)", null, 7)]
    [InlineData("Task where (name is \"a\" or name is \"b\") limit 5", "Task where (name is \"a\" or name is \"b\")", null, 5)]
    [InlineData("Task where priority is 5", "Task where priority is 5", null, null)]
    [InlineData("Task where bid > 5 limit 10", "Task where bid > 5", null, 10)]
    [InlineData("Task where bid>5 offset 10", "Task where bid>5", 10, null)]
    [InlineData("Task where name is limit", "Task where name is limit", null, null)]
    [InlineData("Task where limit is 5 and name is \"x\"", "Task where limit is 5 and name is \"x\"", null, null)]
    [InlineData("Task where x is 1 limit 5 and y is 2", "Task where x is 1 limit 5 and y is 2", null, null)]
    [InlineData("select limit, offset from Setting", "select limit, offset from Setting", null, null)]
    [InlineData("Task order by name descending offset 10 limit 20", "Task order by name descending", 10, 20)]
    [InlineData("select parent.name from Task where parent.name is \"a\" order by parent.name limit 1", "select parent.name from Task where parent.name is \"a\" order by parent.name", null, 1)]
    public void Parse_splits_off_trailing_paging(string expression, string body, int? offset, int? limit)
    {
        var parsed = QueryExpression.Parse(expression);
        Assert.Equal(body, parsed.Body);
        Assert.Equal(offset, parsed.Offset);
        Assert.Equal(limit, parsed.Limit);
    }

    [Fact]
    public void Parse_rejects_null()
    {
        Assert.Throws<ArgumentNullException>(() => QueryExpression.Parse(null!));
    }

    [Theory]
    [InlineData("select name from Task where name is \"limit 5\" limit 3 offset 2", 10, 50, "select name from Task where name is \"limit 5\" offset 10 limit 50")]
    [InlineData("Task", 0, 500, "Task offset 0 limit 500")]
    [InlineData("Task offset 4", null, 7, "Task limit 7")]
    [InlineData("Task limit 4", 9, null, "Task offset 9")]
    [InlineData("Task limit 4 offset 2", null, null, "Task")]
    public void WithPaging_replaces_the_trailing_clauses(string expression, int? offset, int? limit, string expected)
    {
        Assert.Equal(expected, QueryExpression.Parse(expression).WithPaging(offset, limit));
    }

    private static readonly string[] Words = { "name", "parent.name", "status.state.short", "limit", "offset", "bid", "x_1" };
    private static readonly string[] Values = { "\"limit 5\"", "'offset 3'", "\"a (b) limit\"", "7", "true", "None", "'it\\'s offset 9'", "\"x\\\" limit 2\"" };
    private static readonly string[] Ops = { " is ", " = ", " != ", " like ", ">", " < " };

    private static readonly Gen<string> Condition =
        Gen.Select(Gen.Int[0, Words.Length - 1], Gen.Int[0, Ops.Length - 1], Gen.Int[0, Values.Length - 1], (w, o, v) => Words[w] + Ops[o] + Values[v]);

    private static readonly Gen<string> Criteria =
        Gen.Select(Condition.Array[1, 4], Gen.Bool, Gen.Bool, (conditions, paren, subquery) =>
        {
            var text = string.Join(" and ", conditions);
            if (paren) text = "(" + text + " or id in (select id from Task where " + conditions[0] + " limit 5))";
            if (subquery) text += " and parent has (name is \"offset 1\")";
            return text;
        });

    private static readonly Gen<string> Bodies =
        Gen.Select(Gen.Bool, Criteria, Gen.Bool, (select, criteria, order) =>
            (select ? "select name, limit from Task" : "Task") + " where " + criteria + (order ? " order by name desc" : ""));

    private static string Casing(string word, int mask) =>
        new(word.Select((c, i) => (mask & (1 << (i % 16))) != 0 ? char.ToUpperInvariant(c) : c).ToArray());

    [Fact]
    public void Parse_recovers_any_appended_paging_and_leaves_the_body_intact()
    {
        Gen.Select(Bodies, Gen.Int[0, 4], Gen.Int[0, 100000], Gen.Int[0, 100000], Gen.Int[0, 65535], Gen.Int[1, 3])
            .Sample((body, form, offset, limit, casing, spaces) =>
            {
                var gap = new string(' ', spaces);
                var o = Casing("offset", casing) + gap + offset.ToString(CultureInfo.InvariantCulture);
                var l = Casing("limit", casing >> 3) + gap + limit.ToString(CultureInfo.InvariantCulture);
                var suffix = form switch { 0 => "", 1 => o, 2 => l, 3 => o + gap + l, _ => l + gap + o };
                var parsed = QueryExpression.Parse(body + gap + suffix + gap);
                Assert.Equal(body, parsed.Body);
                Assert.Equal(form is 1 or 3 or 4 ? offset : null, parsed.Offset);
                Assert.Equal(form is 2 or 3 or 4 ? limit : null, parsed.Limit);

                var rewritten = parsed.WithPaging(limit, offset);
                var again = QueryExpression.Parse(rewritten);
                Assert.Equal(body, again.Body);
                Assert.Equal(limit, again.Offset);
                Assert.Equal(offset, again.Limit);
                Assert.Equal(body, QueryExpression.Parse(parsed.WithPaging(null, null)).Body);
            }, iter: 500);
    }
}
