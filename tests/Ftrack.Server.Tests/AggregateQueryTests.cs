using System.Net;
using System.Text.Json.Nodes;

namespace Ftrack.Server.Tests;

/// <summary>
/// Aggregates with group by (ftrack 4.13+): plain rows like {"count_id": 4, "status_id": "..."},
/// only under the strict API, checked against the same numbers counted from ordinary queries.
/// </summary>
public sealed class AggregateQueryTests : IClassFixture<DemoServerFixture>
{
    private readonly TestServer _server;

    public AggregateQueryTests(DemoServerFixture fixture) => _server = fixture.Server;

    private static void Strict(HttpRequestMessage request) => request.Headers.Add("ftrack-strict-api", "true");

    private async Task<JsonObject> AggregateAsync(string expression)
    {
        var answer = await _server.CallAsync(Strict, new { action = "query", expression });
        if (answer.Body is JsonObject error)
            throw new InvalidOperationException($"\"{expression}\" failed: {error.ToJsonString()}");
        return answer.Results[0]!.AsObject();
    }

    [Fact]
    public async Task CountGroupedByStatusMatchesTheTasksOfEachStatus()
    {
        var result = await AggregateAsync("select count(id) from Task group by status_id");
        var rows = result["data"]!.AsArray();
        var expected = (await _server.QueryAsync("select status_id from Task")).GroupBy(t => (string)t!["status_id"]!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected, rows.ToDictionary(r => (string)r!["status_id"]!, r => (int)r!["count_id"]!));
        // Plain rows: the grouped path and the aggregate only, no entity type.
        Assert.All(rows, r => Assert.Equal(["status_id", "count_id"], r!.AsObject().Select(p => p.Key)));
        Assert.Null((int?)result["metadata"]!["next"]!["offset"]);
    }

    [Fact]
    public async Task SumAvgMinAndMaxCombineWithWhereGroupsThroughReferencesAndOrderBy()
    {
        var tasks = await _server.QueryExpandedAsync("select bid, start_date, type.name from Task where project.name is sintel_redux");
        var byType = tasks.GroupBy(t => (string)t!["type"]!["name"]!).ToDictionary(g => g.Key, g => g.ToList());
        var rows = (await AggregateAsync("select type.name, count(id), sum(bid), avg(bid), min(bid), max(start_date) from Task where project.name is sintel_redux group by type.name order by count_id desc, type.name"))["data"]!.AsArray();
        Assert.Equal(byType.Count, rows.Count);
        Assert.Equal(byType.OrderByDescending(g => g.Value.Count).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key), rows.Select(r => (string)r!["type.name"]!));
        foreach (var row in rows)
        {
            var group = byType[(string)row!["type.name"]!];
            Assert.Equal(group.Count, (int)row["count_id"]!);
            Assert.Equal(group.Sum(t => (double)t!["bid"]!), (double)row["sum_bid"]!);
            Assert.Equal(group.Average(t => (double)t!["bid"]!), (double)row["avg_bid"]!, 6);
            Assert.Equal(group.Min(t => (double)t!["bid"]!), (double)row["min_bid"]!);
            // A datetime aggregate is written as a datetime.
            Assert.Equal(group.Max(t => (string)t!["start_date"]!["value"]!), (string)row["max_start_date"]!["value"]!);
        }
    }

    [Fact]
    public async Task SeveralGroupsAndPagingFollowTheGroups()
    {
        var all = (await AggregateAsync("select count(id) from Task group by project_id, status_id"))["data"]!.AsArray();
        Assert.All(all, r => Assert.True(r!["project_id"] != null && r["status_id"] != null));
        Assert.Equal((await _server.QueryAsync("select id from Task")).Count, all.Sum(r => (int)r!["count_id"]!));
        var pages = new List<JsonNode>();
        long? offset = 0;
        while (offset is { } next)
        {
            var page = await AggregateAsync($"select count(id) from Task group by project_id, status_id offset {next} limit 4");
            pages.AddRange(page["data"]!.AsArray().Select(r => r!.DeepClone()));
            offset = (long?)page["metadata"]!["next"]!["offset"];
        }
        Assert.Equal(all.Select(r => r!.ToJsonString()), pages.Select(r => r.ToJsonString()));
    }

    [Fact]
    public async Task CustomAttributeValuesAggregateAsNumbers()
    {
        var rows = (await AggregateAsync("select max(value), count(entity_id) from ContextCustomAttributeValue where key is fend group by key"))["data"]!.AsArray();
        Assert.Equal(1180, (int)rows.Single()!["max_value"]!);
    }

    [Theory]
    [InlineData("select count(id) from Task group by status_id", false, "ParseError", "strict API")]
    [InlineData("select count(id) from Task", true, "ParseError", "group by")]
    [InlineData("select name, count(id) from Task group by status_id", true, "ValidationError", "not grouped")]
    [InlineData("select count(id) from Task group by status_id order by name", true, "ValidationError", "count_id")]
    [InlineData("Task where id in (select status_id from Task group by status_id)", true, "ValidationError", "subquery")]
    [InlineData("select count(nonsense) from Task group by status_id", true, "ValidationError", "nonsense")]
    public async Task AggregatesAreRefusedAsARealServerRefusesThem(string expression, bool strict, string exception, string mentions)
    {
        var answer = strict ? await _server.CallAsync(Strict, new { action = "query", expression }) : await _server.CallAsync(new { action = "query", expression });
        var error = answer.Error;
        Assert.Equal(exception, (string)error["exception"]!);
        Assert.Contains(mentions, (string)error["content"]!);
        if (exception == "ParseError")
            Assert.StartsWith("Unable to parse expression", (string)error["content"]!);
        Assert.Equal(strict ? HttpStatusCode.BadRequest : HttpStatusCode.OK, answer.Status);
    }
}
