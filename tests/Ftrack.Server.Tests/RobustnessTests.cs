using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Tests;

/// <summary>Whatever a client sends, the answer is results or the ftrack error object: never HTML or a stack trace.</summary>
public sealed class RobustnessTests : IClassFixture<DemoServerFixture>
{
    private static readonly HashSet<string> ExpectedErrors = ["ParseError", "ValidationError", "NoResultFoundError", "ServerError", "DuplicateEntryError"];

    private readonly TestServer _server;

    public RobustnessTests(DemoServerFixture fixture) => _server = fixture.Server;

    private static void AssertFtrackError(TestServer.Answer answer, string exception)
    {
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var error = answer.Error;
        Assert.Equal(exception, (string)error["exception"]!);
        Assert.False(string.IsNullOrWhiteSpace((string)error["content"]!));
        Assert.True(error.ContainsKey("error_code"));
        Assert.DoesNotContain("   at ", (string)error["content"]!);
    }

    [Theory]
    [InlineData("", "ValidationError")]
    [InlineData("not json", "ValidationError")]
    [InlineData("[{\"action\":", "ValidationError")]
    [InlineData("{\"action\":\"query_schemas\"}", "ValidationError")]
    [InlineData("\"text\"", "ValidationError")]
    [InlineData("[42]", "ValidationError")]
    [InlineData("[{}]", "ServerError")]
    [InlineData("[{\"action\":\"search\"}]", "ServerError")]
    [InlineData("[{\"action\":\"query\"}]", "ValidationError")]
    [InlineData("[{\"action\":\"query\",\"expression\":42}]", "ValidationError")]
    [InlineData("[{\"action\":\"create\",\"entity_type\":\"Task\"}]", "ValidationError")]
    [InlineData("[{\"action\":\"create\",\"entity_type\":\"Task\",\"entity_data\":[]}]", "ValidationError")]
    [InlineData("[{\"action\":\"update\",\"entity_type\":\"Task\",\"entity_key\":{},\"entity_data\":{}}]", "ValidationError")]
    [InlineData("[{\"action\":\"delete\",\"entity_type\":\"Nope\",\"entity_key\":[\"x\"]}]", "ValidationError")]
    [InlineData("[{\"action\":\"create\",\"entity_type\":\"Context\",\"entity_data\":{}}]", "ValidationError")]
    [InlineData("[{\"action\":\"create\",\"entity_type\":\"Priority\",\"entity_data\":{\"value\":\"high\"}}]", "ValidationError")]
    [InlineData("[{\"action\":\"create\",\"entity_type\":\"Status\",\"entity_data\":{\"state\":\"x\"}}]", "ValidationError")]
    [InlineData("[{\"action\":\"create\",\"entity_type\":\"Priority\",\"entity_data\":{\"tasks\":[1]}}]", "ValidationError")]
    public async Task MalformedRequestsAnswerTheErrorObject(string body, string exception)
    {
        AssertFtrackError(await _server.PostRawAsync(body), exception);
    }

    [Fact]
    public async Task DeeplyNestedBodiesAreRefused()
    {
        var body = new string('[', 5000) + new string(']', 5000);
        AssertFtrackError(await _server.PostRawAsync(body), "ValidationError");
        var deepQuery = "Task where " + string.Concat(Enumerable.Repeat("(", 2000)) + "name is a" + string.Concat(Enumerable.Repeat(")", 2000));
        AssertFtrackError(await _server.CallAsync(new { action = "query", expression = deepQuery }), "ParseError");
    }

    [Fact]
    public async Task OversizedBodiesAreRefused()
    {
        await using var small = await TestServer.StartAsync(SeedKind.Empty, configure: o => o.MaxRequestBodyBytes = 64 * 1024);
        var body = "[" + string.Join(",", Enumerable.Repeat("{\"action\":\"query_server_information\"}", 5000)) + "]";
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(body) > 64 * 1024);
        var answer = await small.PostRawAsync(body);
        Assert.Equal("ValidationError", (string)answer.Error["exception"]!);
        var strict = await small.PostRawAsync(body, r => r.Headers.Add("ftrack-strict-api", "true"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, strict.Status);
    }

    /// <summary>Random creates, updates and deletes with ill-typed values never end in a server error.</summary>
    [Fact]
    public async Task RandomWriteOperationsAnswerValidationErrorsNotServerErrors()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Demo);
        var model = Ftrack.Server.Schema.ModelBuilder.Build(Ftrack.Server.Schema.ServedSchemas.Instance.Schemas);
        var types = model.Types.Values.Where(t => t.PrimaryKey.SequenceEqual(["id"])).Select(t => t.Name).ToArray();
        var ids = (await server.QueryAsync("select id from Context limit 20")).Select(c => (string)c!["id"]!)
            .Concat((await server.QueryAsync("select id from Status")).Select(c => (string)c!["id"]!)).ToArray();
        var idGen = Gen.OneOf(Gen.OneOf(ids), Gen.Guid.Select(g => g.ToString()), Gen.String[0, 5]);
        var valueGen = Gen.OneOf<JsonNode?>(
            Gen.Const<JsonNode?>(() => null), Gen.Bool.Select(b => (JsonNode?)b), Gen.Long.Select(l => (JsonNode?)l),
            Gen.Double.Select(d => double.IsFinite(d) ? (JsonNode?)d : null), Gen.String[0, 8].Select(t => (JsonNode?)t),
            Gen.Const<JsonNode?>(new JsonObject { ["__type__"] = "datetime", ["value"] = "2026-02-30T10:00:00" }),
            Gen.DateTime.Select(d => (JsonNode?)new JsonObject { ["__type__"] = "datetime", ["value"] = d.ToString("s") }),
            Gen.Select(Gen.OneOf(types), idGen, (t, id) => (JsonNode?)new JsonObject { ["__entity_type__"] = t, ["id"] = id }),
            Gen.Const<JsonNode?>(new JsonArray()), Gen.Const<JsonNode?>(new JsonArray(1, "x")), Gen.Const<JsonNode?>(new JsonObject { ["a"] = 1 }));
        var operationGen = Gen.Select(Gen.OneOf("create", "update", "delete"), Gen.OneOf(types), idGen, Gen.Int[0, 4], Gen.Int[0, 1000], (action, type, id, count, seed) => (action, type, id, count, seed))
            .SelectMany(o =>
            {
                var attributes = model.Types[o.type].Attributes.Keys.Append("nonsense").ToArray();
                return Gen.Select(Gen.OneOf(attributes), valueGen).Array[o.count].Select(pairs =>
                {
                    var data = new JsonObject { ["__entity_type__"] = o.type };
                    foreach (var (name, value) in pairs)
                        data[name] = value?.DeepClone();
                    var operation = new JsonObject { ["action"] = o.action, ["entity_type"] = o.type };
                    if (o.action != "create")
                        operation["entity_key"] = new JsonArray(o.id);
                    if (o.action != "delete")
                        operation["entity_data"] = data;
                    return operation;
                });
            });
        operationGen.Array[1, 3].Sample(operations =>
        {
            var answer = server.PostRawAsync(new JsonArray(operations.Select(o => (JsonNode?)o).ToArray()).ToJsonString()).GetAwaiter().GetResult();
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            if (answer.Body is JsonObject error)
                Assert.True((string)error["exception"]! is "ValidationError" or "NoResultFoundError" or "DuplicateEntryError",
                    $"{error.ToJsonString()} for {new JsonArray(operations.Select(o => (JsonNode?)o.DeepClone()).ToArray()).ToJsonString()}");
        }, iter: 400, threads: 1);
    }

    private static readonly string[] Seeds =
    [
        "select name, parent.name from Task where status.state.short is DONE order by name desc offset 2 limit 5",
        "Shot where children any (type.name is Compositing and not status has (state.short in (DONE, BLOCKED)))",
        "Task where parent_id in (select id from Shot where name like \"SQ%\") or (bid >= 3 and start_date after '2026-01-01')",
        "select link, ancestors.name from TypedContext where descendants any () limit 3",
        "AssetVersion where asset.versions any (version > 1) and is_published is true",
    ];

    private static readonly string[] Vocabulary =
    [
        "select", "from", "where", "and", "or", "not", "has", "any", "in", "not_in", "is", "is_not", "like", "not_like", "after",
        "before", "order", "by", "asc", "desc", "offset", "limit", "Task", "Shot", "Context", "name", "parent", "children",
        "status.state.short", "bid", "start_date", "None", "true", "(", ")", ",", "=", "!=", ">", "<=", "\"x\"", "'y'", "42", "-1.5",
        "id", "link", "ancestors", "\"", "'", "\\", ".", "..", "select id from Task", "%", "é", "\0", "Task.name",
    ];

    /// <summary>Random token soups and mutations of valid queries: answers are results or expected error types.</summary>
    [Fact]
    public void RandomAndMutatedQueriesNeverBreakTheServer()
    {
        var tokenSoup = Gen.OneOf(Vocabulary).Array[0, 14].Select(tokens => string.Join(' ', tokens));
        var mutated = Gen.Select(Gen.OneOf(Seeds), Gen.Int[0, 200], Gen.Int[0, 6], Gen.Char.AlphaNumeric, (seed, position, kind, c) =>
        {
            var at = position % (seed.Length + 1);
            return kind switch
            {
                0 => seed[..at],
                1 => seed.Remove(Math.Min(at, seed.Length - 1), 1),
                2 => seed.Insert(at, c.ToString()),
                3 => seed.Insert(at, " ( "),
                4 => seed.Insert(at, "\""),
                5 => seed.Replace(" ", "  ").Insert(at, " or "),
                _ => seed[at..] + " " + seed[..at],
            };
        });
        var raw = Gen.String[0, 60];
        Gen.OneOf(tokenSoup, mutated, raw).Sample(expression =>
        {
            var answer = _server.CallAsync(new { action = "query", expression = expression + " limit 3" }).GetAwaiter().GetResult();
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            if (answer.Body is JsonObject error)
            {
                Assert.Contains((string)error["exception"]!, ExpectedErrors);
                Assert.NotEqual("ServerError", (string)error["exception"]!);
            }
            else
            {
                Assert.Equal("query", (string)answer.Results[0]!["action"]!);
            }
        }, iter: 1500, threads: 1);
    }
}
