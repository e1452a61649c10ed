using System.Text.Json.Nodes;

namespace Ftrack.Server.Tests;

/// <summary>
/// The query language against the Demo seed. Where possible the expected rows are computed in
/// C# from an unfiltered query (an oracle), so the tests check the SQL compilation, not the seed.
/// </summary>
public sealed class QueryLanguageTests : IClassFixture<DemoServerFixture>
{
    private readonly TestServer _server;

    public QueryLanguageTests(DemoServerFixture fixture) => _server = fixture.Server;

    private async Task<List<string>> NamesAsync(string expression) =>
        (await _server.QueryAsync(expression)).Select(r => (string)r!["name"]!).ToList();

    [Fact]
    public async Task ATaskRowCarriesTheSameSystemProjectionsAsTheRecordedOne()
    {
        var recorded = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "query_select_name_from_task_limit_1.json")))!;
        var expectedKeys = recorded["data"]![0]!.AsObject().Select(p => p.Key).Order().ToList();
        var result = await _server.QueryResultAsync("select name from Task limit 1");
        Assert.Equal(expectedKeys, result["data"]![0]!.AsObject().Select(p => p.Key).Order().ToList());
        Assert.Equal(1, (long)result["metadata"]!["next"]!["offset"]!);
    }

    [Fact]
    public async Task WithoutSelectTheDefaultProjectionsAreReturned()
    {
        var row = (await _server.QueryAsync("Task limit 1"))[0]!.AsObject();
        foreach (var key in new[] { "context_type", "id", "name", "project_id", "object_type_id", "__entity_type__" })
            Assert.True(row.ContainsKey(key), key);
        Assert.False(row.ContainsKey("description"));
    }

    [Fact]
    public async Task ContextAndTypedContextQueriesReturnRowsOfEveryConcreteType()
    {
        var project = (await _server.QueryAsync("Project where name is sintel_redux"))[0]!;
        var projectId = (string)project["id"]!;
        var contexts = await _server.QueryAsync($"Context where project_id is \"{projectId}\"");
        var types = contexts.Select(c => (string)c!["__entity_type__"]!).ToHashSet();
        Assert.Superset(new HashSet<string> { "Project", "Folder", "AssetBuild", "Sequence", "Shot", "Task", "Milestone" }, types);
        var typed = await _server.QueryAsync($"TypedContext where project_id is \"{projectId}\"");
        Assert.DoesNotContain(typed, c => (string)c!["__entity_type__"]! == "Project");
        Assert.Equal(contexts.Count - 1, typed.Count);
        var shots = await _server.QueryAsync($"Shot where project_id is \"{projectId}\"");
        Assert.Equal(12, shots.Count);
        Assert.All(shots, s => Assert.Equal("Shot", (string)s!["__entity_type__"]!));
    }

    [Theory]
    [InlineData("value > 2", new[] { "Urgent", "High" })]
    [InlineData("value after 2", new[] { "Urgent", "High" })]
    [InlineData("value >= 2", new[] { "Urgent", "High", "Medium" })]
    [InlineData("value < 1", new[] { "None" })]
    [InlineData("value before 1", new[] { "None" })]
    [InlineData("value <= 1", new[] { "Low", "None" })]
    [InlineData("name is High", new[] { "High" })]
    [InlineData("name = 'High'", new[] { "High" })]
    [InlineData("name is_not High", new[] { "Urgent", "Medium", "Low", "None" })]
    [InlineData("name != \"High\"", new[] { "Urgent", "Medium", "Low", "None" })]
    [InlineData("name like \"%i%\"", new[] { "High", "Medium" })]
    [InlineData("name not_like \"%i%\"", new[] { "Urgent", "Low", "None" })]
    [InlineData("name in (High, \"Low\")", new[] { "High", "Low" })]
    [InlineData("name not_in (High, Low)", new[] { "Urgent", "Medium", "None" })]
    [InlineData("name in ()", new string[0])]
    [InlineData("not name is Urgent", new[] { "High", "Medium", "Low", "None" })]
    [InlineData("name is Urgent or name is High and value is 0", new[] { "Urgent" })]
    [InlineData("(name is Urgent or name is High) and value is 0", new string[0])]
    [InlineData("value is 2.0", new[] { "Medium" })]
    [InlineData("color is None", new string[0])]
    [InlineData("color is_not None and value > 3", new[] { "Urgent" })]
    public async Task ComparisonOperatorsPrecedenceAndLiterals(string criteria, string[] expected)
    {
        var names = await NamesAsync($"select name from Priority where {criteria} order by value desc");
        Assert.Equal(expected, names);
    }

    [Fact]
    public async Task BooleansFilterBooleanColumns()
    {
        Assert.Equal(["Task", "Milestone"], (await NamesAsync("select name from ObjectType where is_leaf is true")).Order().Reverse().ToList());
        Assert.Equal(5, (await NamesAsync("select name from ObjectType where is_leaf is false")).Count);
        Assert.Equal(9, (await NamesAsync("select name from Status where is_active = True")).Count);
    }

    [Fact]
    public async Task DatesCompareAsDatetimesAndAreEncodedNaive()
    {
        var all = await _server.QueryAsync("select name, start_date from Task");
        var cut = new DateTime(2026, 2, 1);
        var expected = all.Where(t => DateTime.Parse((string)t!["start_date"]!["value"]!) > cut).Count();
        Assert.InRange(expected, 1, all.Count - 1);
        Assert.Equal(expected, (await _server.QueryAsync("select id from Task where start_date after \"2026-02-01T00:00:00\"")).Count);
        Assert.Equal(expected, (await _server.QueryAsync("select id from Task where start_date > '2026-02-01'")).Count);
        Assert.Equal(all.Count - expected, (await _server.QueryAsync("select id from Task where start_date <= \"2026-02-01\"")).Count);
        var value = all[0]!["start_date"]!;
        Assert.Equal("datetime", (string)value["__type__"]!);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", (string)value["value"]!);
    }

    [Fact]
    public async Task NumbersAndNoneFilterNumericAndNullableColumns()
    {
        var all = await _server.QueryAsync("select bid, description from Task");
        Assert.Equal(all.Count(t => (double)t!["bid"]! > 100000), (await _server.QueryAsync("Task where bid > 100000")).Count);
        var sequences = await _server.QueryAsync("select description from Sequence");
        Assert.Equal(sequences.Count(s => s!["description"] is null), (await _server.QueryAsync("Sequence where description is None")).Count);
        Assert.Equal(sequences.Count(s => s!["description"] is not null), (await _server.QueryAsync("Sequence where description is_not None")).Count);
    }

    [Fact]
    public async Task HasAndAnyNestAndMatchAnOracle()
    {
        var shots = await _server.QueryExpandedAsync("select name, children.type.name, children.status.state.short from Shot");
        var expected = shots.Where(s => s!["children"]!.AsArray().Any(c =>
            (string?)c!["type"]?["name"] == "Compositing" && (string?)c["status"]?["state"]?["short"] == "DONE")).Select(s => (string)s!["name"]!).Order().ToList();
        var actual = (await NamesAsync("select name from Shot where children any (type.name is Compositing and status has (state has (short is DONE)))")).Order().ToList();
        Assert.Equal(expected, actual);
        // A condition through a collection means "any member".
        Assert.Equal(actual, (await NamesAsync("select name from Shot where children any (type has (name is Compositing)) and children any (type.name is Compositing and status.state.short is DONE)")).Order().ToList());
        // not ... any () is "the collection is empty".
        Assert.Equal(5, (await _server.QueryAsync("AssetBuild where not assets any ()")).Count);
        Assert.Empty(await _server.QueryAsync("Shot where not assets any ()"));
    }

    [Fact]
    public async Task InAcceptsSubqueries()
    {
        var inSq010 = await _server.QueryAsync("Task where parent_id in (select id from Shot where name like \"SQ010%\")");
        Assert.Equal(12, inSq010.Count);
        var total = (await _server.QueryAsync("Task")).Count;
        Assert.Equal(total - 12, (await _server.QueryAsync("Task where parent_id not_in (select id from Shot where name like \"SQ010%\")")).Count);
        Assert.Equal(12, (await _server.QueryAsync("Task where parent.parent_id in (select id from Sequence where name is SQ010)")).Count);
    }

    [Fact]
    public async Task PathsCanCastARelationToASubtype()
    {
        Assert.Single(await _server.QueryAsync("TypedContext where name is animation and parent[Shot] has (name is SQ010_SH010)"));
        Assert.Empty(await _server.QueryAsync("Task where parent[Sequence] has (name is SQ010)"));
        Assert.Equal(3, (await _server.QueryAsync("Task where parent[AssetBuild].name is Sword")).Count);
        Assert.Equal(12, (await _server.QueryAsync("Task where ancestors[Sequence] any (name is SQ010)")).Count);
        var rows = await _server.QueryExpandedAsync("select name, parent[Shot].status.name from Task where parent[Shot].name is SQ010_SH010");
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.NotNull(r!["parent"]!["status"]!["name"]));
        var error = (await _server.CallAsync(new { action = "query", expression = "Task where parent[Status] has ()" })).Error;
        Assert.Equal("ValidationError", (string)error["exception"]!);
    }

    [Fact]
    public async Task LinkComparesAsThePathOfNames()
    {
        var rows = await NamesAsync("select name from TypedContext where link like \"%SQ010%SQ010_SH010%comp%\"");
        Assert.Equal(["compositing"], rows);
        Assert.Equal(17, (await _server.QueryAsync("TypedContext where link like \"sintel_redux / SQ010%\"")).Count);
    }

    [Fact]
    public async Task LongInListsAreAccepted()
    {
        var ids = (await _server.QueryAsync("select id from Task")).Select(t => (string)t!["id"]!).ToList();
        var list = string.Join(", ", ids.Concat(Enumerable.Range(0, 40000).Select(i => $"\"missing-{i}\"")).Select(i => i.StartsWith('"') ? i : $"\"{i}\""));
        Assert.Equal(ids.Count, (await _server.QueryAsync($"select id from Task where id in ({list})")).Count);
        Assert.Empty(await _server.QueryAsync($"select id from Task where id not_in ({list})"));
    }

    [Fact]
    public async Task OrderByUsesSeveralKeysAndDirections()
    {
        var rows = await _server.QueryExpandedAsync("select name, parent.name from Task order by parent.name descending, name asc");
        var keys = rows.Select(r => ((string)r!["parent"]!["name"]!, (string)r["name"]!)).ToList();
        var sorted = keys.OrderByDescending(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.Item2, StringComparer.Ordinal).ToList();
        Assert.Equal(sorted, keys);
    }

    [Fact]
    public async Task PagingFollowsNextOffsetUntilNull()
    {
        var all = (await _server.QueryAsync("select id from Task order by name")).Select(r => (string)r!["id"]!).ToList();
        var seen = new List<string>();
        long? offset = 0;
        var pages = 0;
        while (offset is { } current)
        {
            var page = await _server.QueryResultAsync($"select id from Task order by name offset {current} limit 7");
            seen.AddRange(page["data"]!.AsArray().Select(r => (string)r!["id"]!));
            offset = (long?)page["metadata"]!["next"]!["offset"];
            Assert.True(++pages < 100);
        }
        Assert.Equal(all, seen);
        Assert.Equal((all.Count + 6) / 7, pages);
    }

    [Fact]
    public async Task ParentChildrenAncestorsDescendantsAndLinkFollowTheTree()
    {
        var task = (await _server.QueryExpandedAsync("select name, link, parent.name, ancestors.name from Task where parent.name is SQ010_SH010 and name is animation"))[0]!;
        Assert.Equal(["sintel_redux", "SQ010", "SQ010_SH010", "animation"], task["link"]!.AsArray().Select(l => (string)l!["name"]!).ToList());
        Assert.Equal(["Project", "TypedContext", "TypedContext", "TypedContext"], task["link"]!.AsArray().Select(l => (string)l!["type"]!).ToList());
        Assert.Equal(["SQ010", "SQ010_SH010"], task["ancestors"]!.AsArray().Select(a => (string)a!["name"]!).ToList());
        Assert.Equal(12, (await _server.QueryAsync("Task where ancestors any (name is SQ010)")).Count);
        var holders = (await NamesAsync("select name from Context where descendants any (name is SQ010_SH010)")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["SQ010", "sintel_redux"], holders);
        var sequence = (await _server.QueryAsync("select children.name, descendants.name from Sequence where name is SQ010"))[0]!;
        Assert.Equal(4, sequence["children"]!.AsArray().Count);
        Assert.Equal(16, sequence["descendants"]!.AsArray().Count);
    }

    [Fact]
    public async Task EntitiesAreFullOnceThenReferencesUnlessDenormalized()
    {
        var rows = await _server.QueryAsync("select name, status.name from Task");
        var full = rows.Select(r => r!["status"]!).Where(s => s.AsObject().ContainsKey("name")).Select(s => (string)s["id"]!).ToList();
        Assert.Equal(full.Distinct().Count(), full.Count);
        Assert.Equal(rows.Select(r => (string)r!["status"]!["id"]!).Distinct().Count(), full.Count);
        Assert.Contains(rows, r => r!["status"]!.AsObject().Count == 2);

        var answer = await _server.CallAsync(r => r.Headers.Add("ftrack-api-options", "strict:1;denormalize:1"), new { action = "query", expression = "select version, status.name, asset.versions.version from AssetVersion" });
        foreach (var row in answer.Results[0]!["data"]!.AsArray())
        {
            foreach (var version in row!["asset"]!["versions"]!.AsArray())
            {
                // Expanded everywhere except the entity being written itself: that would recurse forever.
                if ((string)version!["id"]! == (string)row["id"]!)
                    Assert.Equal(2, version.AsObject().Count);
                else
                    Assert.NotNull(version["version"]);
            }
        }
        var statusNames = answer.Results[0]!["data"]!.AsArray().Select(r => r!["status"]!["name"]).ToList();
        Assert.All(statusNames, Assert.NotNull);
    }

    [Fact]
    public async Task ACyclicGraphIsEncodedWithAReferenceBack()
    {
        var version = (await _server.QueryAsync("select version, asset.versions.version from AssetVersion where asset_id is_not None limit 1"))[0]!;
        var self = version["asset"]!["versions"]!.AsArray().First(v => (string)v!["id"]! == (string)version["id"]!)!;
        Assert.Equal(2, self.AsObject().Count);
    }

    [Theory]
    [InlineData("select name from Task where")]
    [InlineData("select from Task")]
    [InlineData("Task where name is")]
    [InlineData("Task where (name is a")]
    [InlineData("Task where name ~ a")]
    [InlineData("Task limit x")]
    [InlineData("Task where name is \"unterminated")]
    public async Task MalformedExpressionsAnswerParseError(string expression)
    {
        var answer = await _server.CallAsync(new { action = "query", expression });
        var error = answer.Error;
        Assert.Equal("ParseError", (string)error["exception"]!);
        Assert.StartsWith("Unable to parse expression", (string)error["content"]!);
        Assert.Null(error["error_code"]);
        Assert.True(error.ContainsKey("error_code"));
    }

    [Theory]
    [InlineData("Tusk", "Unknown entity type")]
    [InlineData("Task where nme is a", "Unknown attribute")]
    [InlineData("select nme from Task", "Unknown attribute")]
    [InlineData("Task where children is a", "collection")]
    [InlineData("Task where bid is abc", "not a number")]
    public async Task UnknownNamesAndBadValuesAnswerValidationError(string expression, string message)
    {
        var error = (await _server.CallAsync(new { action = "query", expression })).Error;
        Assert.Equal("ValidationError", (string)error["exception"]!);
        Assert.Contains(message, (string)error["content"]!);
    }
}
