using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ftrack.Server.Tests;

/// <summary>
/// Queries built to exhaust the server (issue #10 item 9): very long paths and deep nesting are
/// refused with plain words, and the process lives on. Run against a child process, so a stack
/// overflow shows as a dead server instead of taking the test run with it.
/// </summary>
public sealed class QueryLimitTests : IClassFixture<QueryLimitTests.ServerProcessFixture>
{
    public sealed class ServerProcessFixture : IAsyncLifetime
    {
        internal ServerProcess Process { get; private set; } = null!;

        public async Task InitializeAsync() => Process = await ServerProcess.StartAsync("--port", "0", "--seed", "Demo");

        public Task DisposeAsync()
        {
            Process.Dispose();
            return Task.CompletedTask;
        }
    }

    private readonly ServerProcess _server;

    public QueryLimitTests(ServerProcessFixture fixture) => _server = fixture.Process;

    private async Task<JsonNode> QueryAsync(string expression, int maxDepth = 64)
    {
        using var client = _server.Client();
        using var content = new StringContent(JsonSerializer.Serialize(new[] { new { action = "query", expression } }), System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api", content);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(), documentOptions: new JsonDocumentOptions { MaxDepth = maxDepth })!;
    }

    /// <summary>The server still runs and answers after each refused query.</summary>
    private async Task AssertServerAliveAsync()
    {
        Assert.False(_server.Process.HasExited, "the server process died");
        var rows = await QueryAsync("select name from Project where name is sintel_redux");
        Assert.Single(rows[0]!["data"]!.AsArray());
    }

    private static void AssertRefused(JsonNode answer, string exception, params string[] words)
    {
        var error = Assert.IsType<JsonObject>(answer);
        Assert.Equal(exception, (string)error["exception"]!);
        var content = (string)error["content"]!;
        foreach (var word in words)
            Assert.Contains(word, content);
        // A message quotes at most the start of a huge expression, never all of it.
        Assert.True(content.Length < 2000, $"the message is {content.Length} characters long");
    }

    private static readonly string DeepPath = string.Join('.', Enumerable.Repeat("parent", 30000)) + ".name";

    public static TheoryData<string> LongPathQueries => new()
    {
        $"select {DeepPath} from Task",
        $"Task where {DeepPath} is x",
        $"Task where {DeepPath[..^5]} has (name is x)",
        $"select name from Task order by {DeepPath}",
        $"Task where id in (select {DeepPath} from Task)",
    };

    [Theory]
    [MemberData(nameof(LongPathQueries))]
    public async Task APathOfThirtyThousandSegmentsIsAParseErrorAndTheServerLivesOn(string expression)
    {
        AssertRefused(await QueryAsync(expression), "ParseError", "path", "more than");
        await AssertServerAliveAsync();
    }

    public static TheoryData<string> DeeplyNestedQueries => new()
    {
        "Task where " + string.Concat(Enumerable.Repeat("not ", 30000)) + "name is x",
        "Task where " + string.Concat(Enumerable.Repeat("parent has (", 30000)) + "name is x" + new string(')', 30000),
        "Task where " + string.Concat(Enumerable.Repeat("children any (", 30000)) + "name is x" + new string(')', 30000),
        "Task where " + string.Concat(Enumerable.Repeat("id in (select id from Task where ", 30000)) + "name is x" + new string(')', 30000),
        "Task where " + string.Concat(Enumerable.Repeat("(", 30000)) + "name is x" + new string(')', 30000),
    };

    [Theory]
    [MemberData(nameof(DeeplyNestedQueries))]
    public async Task NestingThirtyThousandLevelsDeepIsAParseErrorAndTheServerLivesOn(string expression)
    {
        AssertRefused(await QueryAsync(expression), "ParseError", "nested", "more than");
        await AssertServerAliveAsync();
    }

    /// <summary>
    /// A context tree 600 levels deep, each folder's parent projected: the answer nests one
    /// entity inside the next as deep as the tree. It must be answered (deep ones by reference)
    /// rather than fail on the JSON writer's depth limit.
    /// </summary>
    [Fact]
    public async Task ADeepTreeIsAnsweredWhateverItsDepth()
    {
        using var client = _server.Client();
        var project = Guid.NewGuid().ToString();
        var operations = new List<object> { TestServer.Create("Project", new { id = project, name = "deep" + project[..8], project_schema_id = TestServer.ProjectSchemaId }) };
        var parent = project;
        var folders = new List<string>();
        for (var i = 0; i < 600; i++)
        {
            var id = Guid.NewGuid().ToString();
            operations.Add(TestServer.Create("Folder", new { id, name = "f" + i, parent_id = parent }));
            folders.Add(id);
            parent = id;
        }
        using (var content = new StringContent(JsonSerializer.Serialize(operations), System.Text.Encoding.UTF8, "application/json"))
        using (var response = await client.PostAsync("/api", content))
            Assert.IsType<JsonArray>(JsonNode.Parse(await response.Content.ReadAsStringAsync()));

        foreach (var expression in new[] { $"select name, parent.name from Folder where project_id is \"{project}\" order by name desc", $"select name, children.name from Folder where project_id is \"{project}\"" })
        {
            var answer = await QueryAsync(expression, maxDepth: 10000);
            var rows = Assert.IsType<JsonArray>(answer)[0]!["data"]!.AsArray();
            Assert.Equal(600, rows.Count);
            // Our own client refuses answers nested deeper than 256 levels.
            Assert.True(DepthOf(answer) <= 100, $"the answer nests {DepthOf(answer)} levels deep");
            // Every folder is written in full somewhere in the answer.
            var named = new HashSet<string>();
            void Collect(JsonNode? node)
            {
                if (node is JsonObject entity)
                {
                    if (entity["name"] != null)
                        named.Add((string)entity["id"]!);
                    foreach (var (_, value) in entity)
                        Collect(value);
                }
                else if (node is JsonArray array)
                {
                    foreach (var item in array)
                        Collect(item);
                }
            }
            Collect(rows);
            Assert.Superset(folders.ToHashSet(), named);
        }
        await AssertServerAliveAsync();
    }

    private static int DepthOf(JsonNode? node) => node switch
    {
        JsonObject entity => 1 + entity.Select(p => DepthOf(p.Value)).DefaultIfEmpty(0).Max(),
        JsonArray array => 1 + array.Select(DepthOf).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    /// <summary>
    /// Nesting just within the bounds, each level a subquery or EXISTS with its own conditions:
    /// what the server accepts SQLite must run (its expression depth is limited to 1,000), and
    /// one level more is refused in plain words.
    /// </summary>
    public static TheoryData<string, string> NestingLevels => new()
    {
        { "parent has (name like \"%\" and ", ")" },
        { "children any (name like \"%\" and ", ")" },
        { "ancestors any (", ")" },
        { "not (name is x or ", ")" },
        { "id in (select id from TypedContext where name like \"%\" and ", ")" },
        { "children.children.children.children any (", ")" },
        { "parent has (" + ManyConditions(500, " or ") + " or ", ")" },
    };

    [Theory]
    [MemberData(nameof(NestingLevels))]
    public async Task TheDeepestNestingAcceptedRunsAndOneMoreIsRefused(string open, string close)
    {
        string Nested(int levels) =>
            "select name from Task where " + string.Concat(Enumerable.Repeat(open, levels)) + ManyConditions(300, " and ") + string.Concat(Enumerable.Repeat(close, levels));
        var levels = 0;
        JsonNode answer;
        do
            answer = await QueryAsync(Nested(++levels));
        while (answer is JsonArray && levels < 200);
        Assert.True(levels > 2, $"only {levels - 1} levels are accepted");
        Assert.True((string)answer["exception"]! is "ParseError" or "ValidationError", $"at {levels} levels: {answer.ToJsonString()}");
        Assert.Contains("more than", (string)answer["content"]!);
        await AssertServerAliveAsync();
    }

    private static string ManyConditions(int count, string separator) =>
        string.Join(separator, Enumerable.Range(0, count).Select(i => $"name is \"n{i}\""));

    /// <summary>SQLite's own limits (issue #10 item 13) are met with plain words, not a database error.</summary>
    public static TheoryData<string, string> BeyondSqliteLimits => new()
    {
        // Each reference in a path is a join; SQLite joins at most 64 tables.
        { "Task where " + string.Join(" and ", Enumerable.Range(1, 29).SelectMany(depth => new[] { "status", "type", "priority" }.Select(attribute => string.Concat(Enumerable.Repeat("parent.", depth)) + attribute + ".name is x"))), "references" },
        { "select name from Task order by " + string.Join(", ", Enumerable.Range(1, 30).Select(depth => string.Concat(Enumerable.Repeat("parent.", depth)) + "status.name").Concat(new[] { "type", "priority" }.Select(attribute => string.Concat(Enumerable.Repeat("parent.", 30)) + attribute + ".name"))), "references" },
        // A long chain of and / or is as deep as it is long in SQLite's expression tree.
        { "Task where " + ManyConditions(1500, " and "), "" },
        { "Task where " + ManyConditions(1500, " or "), "" },
        // SQLite allows at most 2,000 terms in an ORDER BY.
        { "select name from Task order by " + string.Join(", ", Enumerable.Repeat("name", 1500)), "order" },
        // SQLite binds at most 32,766 values to one statement.
        { "Task where " + ManyConditions(40000, " or "), "values" },
        // SQLite refuses like patterns longer than 50,000 bytes.
        { "Task where name like \"" + new string('%', 60000) + "\"", "pattern" },
        { "Task where name not_like \"" + new string('é', 30000) + "\"", "pattern" },
    };

    [Theory]
    [MemberData(nameof(BeyondSqliteLimits))]
    public async Task QueriesBeyondSqliteLimitsAreRunOrRefusedInPlainWords(string expression, string word)
    {
        var answer = await QueryAsync(expression);
        if (answer is JsonObject error)
        {
            Assert.True((string)error["exception"]! is "ParseError" or "ValidationError", error.ToJsonString());
            Assert.Contains(word, (string)error["content"]!);
            Assert.DoesNotContain("SQLite", (string)error["content"]!);
        }
        await AssertServerAliveAsync();
    }
}
