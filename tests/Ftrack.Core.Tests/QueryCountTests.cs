using Ftrack.Core.Query;
using Ftrack.Core.Schema;
using Ftrack.Core.Tests.Support;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>The query that counts a query's rows: its type and where clause, counted per group of a column with few values.</summary>
public class QueryCountTests
{
    private static readonly SchemaRegistry Schemas = SchemaRegistry.Parse(Fixtures.Bytes(Fixtures.Schemas));

    [Theory]
    [InlineData("select name from Task", "select count(id) from Task group by project_id")]
    [InlineData("Task where status.name is \"On hold\"", "select count(id) from Task where status.name is \"On hold\" group by project_id")]
    [InlineData("select name, status.name from Task where status.name is \"On hold\" order by name desc offset 10 limit 5",
        "select count(id) from Task where status.name is \"On hold\" group by project_id")]
    // Keywords inside values and subqueries belong to the where clause: they stay.
    [InlineData("select name from Task where name is \"order by x\" and id in (select task_id from AssetVersion order by version limit 3) limit 2",
        "select count(id) from Task where name is \"order by x\" and id in (select task_id from AssetVersion order by version limit 3) group by project_id")]
    [InlineData("select version from AssetVersion where version > 2", "select count(id) from AssetVersion where version > 2 group by status_id")]
    [InlineData("select username from User", "select count(id) from User group by is_otp_enabled")]
    public void Keeps_the_type_and_the_where_clause(string expression, string counting) =>
        Assert.Equal(counting, QueryCount.ExpressionFor(expression, Schemas));

    [Theory]
    [InlineData("select count(id) from Task group by status_id")]
    [InlineData("select status_id from Task group by status_id")]
    [InlineData("select name from Task where")]
    [InlineData("select name from NoSuchType")]
    public void Has_no_count_for_an_aggregate_or_what_it_cannot_read(string expression) =>
        Assert.Null(QueryCount.ExpressionFor(expression, Schemas));
}
