using System.Net;
using System.Text.Json.Nodes;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Tests;

/// <summary>create, update, delete and batch atomicity, each on a fresh Empty-seeded server.</summary>
public sealed class WriteOperationTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(SeedKind.Empty);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static JsonNode Fixture(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)))!;

    /// <summary>A project, sequence, shot and task created in one batch with client-chosen ids.</summary>
    private async Task<(string Project, string Sequence, string Shot, string Task)> CreateHierarchyAsync()
    {
        var ids = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var answer = await _server.CallAsync(
            TestServer.Create("Project", new { id = ids.Item1, name = "p" + ids.Item1[..8], project_schema_id = TestServer.ProjectSchemaId }),
            TestServer.Create("Sequence", new { id = ids.Item2, name = "SQ010", parent = TestServer.Ref("Project", ids.Item1) }),
            TestServer.Create("Shot", new { id = ids.Item3, name = "SH010", parent_id = ids.Item2 }),
            TestServer.Create("Task", new { id = ids.Item4, name = "comp", parent = TestServer.Ref("Shot", ids.Item3), type_id = TestServer.TaskTypeId("Compositing") }));
        Assert.Equal(4, answer.Results.Count);
        return ids;
    }

    [Fact]
    public async Task CreateAppliesSchemaDefaultsAndAnswersLikeTheRecordedServer()
    {
        var answer = await _server.CallAsync(TestServer.Create("User", new
        {
            username = "25ba83d1", first_name = "first", last_name = "last", is_active = false, user_type_id = SeedData.NormalUserTypeId,
        }));
        var data = answer.Results[0]!["data"]!.AsObject();
        var recorded = Fixture("create_user.json")["data"]!.AsObject();
        Assert.Equal(recorded.Select(p => p.Key).Order(), data.Select(p => p.Key).Order());
        Assert.Equal("create", (string)answer.Results[0]!["action"]!);
        Assert.True(Guid.TryParse((string)data["id"]!, out _), "{uid} default becomes a UUID");
        Assert.Equal("user", (string)data["resource_type"]!);
        Assert.False((bool)data["is_otp_enabled"]!);
    }

    [Fact]
    public async Task OneBatchCreatesAHierarchyWithClientIdsAndEitherReferenceForm()
    {
        var (project, sequence, shot, task) = await CreateHierarchyAsync();
        var row = (await _server.QueryAsync($"select link, project.name, parent.parent.name, status.name, priority.name from Task where id is \"{task}\""))[0]!;
        Assert.Equal(4, row["link"]!.AsArray().Count);
        Assert.Equal(project, (string)row["project_id"]!);
        Assert.Equal("SQ010", (string)row["parent"]!["parent"]!["name"]!);
        Assert.Equal("Not started", (string)row["status"]!["name"]!);
        Assert.Equal("Medium", (string)row["priority"]!["name"]!);
        Assert.Equal(shot, (string)(await _server.QueryAsync($"select parent_id from Task where id is \"{task}\""))[0]!["parent_id"]!);
        Assert.Single(await _server.QueryAsync($"Sequence where id is \"{sequence}\" and parent_id is \"{project}\""));
    }

    [Fact]
    public async Task CreateValidatesRequiredAttributesTypesAndReferences()
    {
        var (project, _, shot, _) = await CreateHierarchyAsync();
        var missing = (await _server.CallAsync(
            TestServer.Create("Sequence", new { name = "ok", parent_id = project }),
            TestServer.Create("Scope", new { }))).Error;
        Assert.Equal("ValidationError", (string)missing["exception"]!);
        Assert.Contains("\"name\"", (string)missing["content"]!);
        Assert.Contains("operation 1: create Scope", (string)missing["content"]!);
        // Which operation failed also travels as data, so a client need not parse the message.
        Assert.Equal(1, (int)missing["operation_index"]!);

        var wrongType = (await _server.CallAsync(TestServer.Create("Sequence", new { name = 5, parent_id = project }))).Error;
        Assert.Equal("ValidationError", (string)wrongType["exception"]!);
        Assert.Contains("\"name\"", (string)wrongType["content"]!);

        var badDate = (await _server.CallAsync(TestServer.Create("Sequence", new { name = "d", parent_id = project, start_date = new Dictionary<string, string> { ["__type__"] = "datetime", ["value"] = "not a date" } }))).Error;
        Assert.Equal("ValidationError", (string)badDate["exception"]!);

        var dangling = (await _server.CallAsync(TestServer.Create("Sequence", new { name = "x", parent_id = Guid.NewGuid().ToString() }))).Error;
        Assert.Equal("ValidationError", (string)dangling["exception"]!);

        var unknownAttribute = (await _server.CallAsync(TestServer.Create("Sequence", new { name = "x", parent_id = project, colour = "red" }))).Error;
        Assert.Contains("Unknown attribute \"colour\"", (string)unknownAttribute["content"]!);

        var unknownType = (await _server.CallAsync(TestServer.Create("Spaceship", new { name = "x" }))).Error;
        Assert.Contains("Unknown entity type \"Spaceship\"", (string)unknownType["content"]!);

        var duplicate = (await _server.CallAsync(TestServer.Create("Sequence", new { id = shot, name = "dup", parent_id = project }))).Error;
        Assert.Equal("DuplicateEntryError", (string)duplicate["exception"]!);
    }

    [Fact]
    public async Task UpdateAnswersLikeTheRecordedServerAndRefusesImmutableAttributes()
    {
        var created = await _server.CallAsync(TestServer.Create("User", new { username = "before", is_active = true }));
        var id = (string)created.Results[0]!["data"]!["id"]!;
        var updated = await _server.CallAsync(TestServer.Update("User", id, new { username = "after" }));
        var data = updated.Results[0]!["data"]!.AsObject();
        Assert.Equal(Fixture("update_user.json")["data"]!.AsObject().Select(p => p.Key).Order(), data.Select(p => p.Key).Order());
        Assert.Equal("after", (string)data["username"]!);

        var immutable = (await _server.CallAsync(TestServer.Update("User", id, new { resource_type = "group" }))).Error;
        Assert.Equal("ValidationError", (string)immutable["exception"]!);
        Assert.Contains("immutable", (string)immutable["content"]!);
        var (_, _, _, task) = await CreateHierarchyAsync();
        var createdAt = (await _server.CallAsync(TestServer.Update("Task", task, new Dictionary<string, object> { ["created_at"] = new Dictionary<string, string> { ["__type__"] = "datetime", ["value"] = "2020-01-01T00:00:00" } }))).Error;
        Assert.Contains("immutable", (string)createdAt["content"]!);
    }

    [Fact]
    public async Task UpdatingTheParentMovesTheSubtree()
    {
        var (project, sequence, shot, task) = await CreateHierarchyAsync();
        var other = Guid.NewGuid().ToString();
        await _server.CallAsync(TestServer.Create("Sequence", new { id = other, name = "SQ020", parent_id = project }));
        await _server.CallAsync(TestServer.Update("Shot", shot, new { parent = TestServer.Ref("Sequence", other) }));
        var link = (await _server.QueryAsync($"select link from Task where id is \"{task}\""))[0]!["link"]!.AsArray().Select(l => (string)l!["name"]!).ToList();
        Assert.Equal("SQ020", link[1]);
        Assert.Empty(await _server.QueryAsync($"Task where ancestors any (id is \"{sequence}\")"));
        var cycle = (await _server.CallAsync(TestServer.Update("Sequence", other, new { parent_id = task }))).Error;
        Assert.Equal("ValidationError", (string)cycle["exception"]!);
    }

    [Fact]
    public async Task DeletingAContextDeletesItsDescendants()
    {
        var (project, sequence, shot, task) = await CreateHierarchyAsync();
        await _server.CallAsync(TestServer.Create("Timelog", new { context_id = task, start = "2026-01-01T10:00:00", duration = 3600 }));
        var deleted = await _server.CallAsync(TestServer.Delete("Sequence", sequence));
        Assert.True((bool)deleted.Results[0]!["data"]!);
        Assert.Empty(await _server.QueryAsync($"Context where id in (\"{sequence}\", \"{shot}\", \"{task}\")"));
        Assert.Empty(await _server.QueryAsync($"Timelog where context_id is \"{task}\""));
        Assert.Single(await _server.QueryAsync($"Project where id is \"{project}\""));
    }

    [Fact]
    public async Task AnEntityStillReferencedCannotBeDeleted()
    {
        await CreateHierarchyAsync();
        var inUse = (await _server.CallAsync(TestServer.Delete("Type", TestServer.TaskTypeId("Compositing")))).Error;
        Assert.Equal("ValidationError", (string)inUse["exception"]!);
        Assert.Contains(".type still refers to it", (string)inUse["content"]!);
        var unused = await _server.CallAsync(TestServer.Delete("Type", TestServer.TaskTypeId("Rotoscoping")));
        Assert.True((bool)unused.Results[0]!["data"]!);
    }

    [Fact]
    public async Task AMissingEntityIsNoResultFoundErrorWith404UnderStrictApi()
    {
        var missing = Guid.NewGuid().ToString();
        var lenient = await _server.CallAsync(TestServer.Delete("Task", missing));
        Assert.Equal(HttpStatusCode.OK, lenient.Status);
        Assert.Equal("NoResultFoundError", (string)lenient.Error["exception"]!);
        var strict = await _server.CallAsync(r => r.Headers.Add("ftrack-strict-api", "true"), TestServer.Update("Task", missing, new { name = "x" }));
        Assert.Equal(HttpStatusCode.NotFound, strict.Status);
        Assert.Equal("NoResultFoundError", (string)strict.Error["exception"]!);
    }

    [Fact]
    public async Task AFailingOperationRollsBackTheWholeBatch()
    {
        var (project, _, _, _) = await CreateHierarchyAsync();
        var first = Guid.NewGuid().ToString();
        var answer = await _server.CallAsync(
            TestServer.Create("Sequence", new { id = first, name = "SQ900", parent_id = project }),
            TestServer.Update("Project", project, new { name = "renamed" }),
            TestServer.Delete("Task", Guid.NewGuid().ToString()));
        Assert.Contains("operation 2: delete Task", (string)answer.Error["content"]!);
        Assert.Empty(await _server.QueryAsync($"Sequence where id is \"{first}\""));
        Assert.Empty(await _server.QueryAsync("Project where name is renamed"));
    }

    [Fact]
    public async Task PagingWithoutOrderStaysExactAcrossWritesBetweenPages()
    {
        var (_, _, shot, _) = await CreateHierarchyAsync();
        var creates = Enumerable.Range(0, 30).Select(i => TestServer.Create("Task", new { name = $"t{i:00}", parent_id = shot, type_id = TestServer.TaskTypeId("Generic") })).ToArray();
        await _server.CallAsync(creates);
        async Task<List<string>> PageAsync(long offset) =>
            (await _server.QueryAsync($"select name from Task where parent_id is \"{shot}\" offset {offset} limit 7")).Select(t => (string)t!["name"]!).ToList();

        var all = (await _server.QueryAsync($"select name from Task where parent_id is \"{shot}\"")).Select(t => (string)t!["name"]!).ToList();
        var paged = new List<string>();
        for (var offset = 0; offset < all.Count; offset += 7)
            paged.AddRange(await PageAsync(offset));
        Assert.Equal(all, paged);
        // Same pages again (remembered page ends are used now), then after a write that shifts rows.
        Assert.Equal(all.Skip(14).Take(7), await PageAsync(14));
        var firstTask = (await _server.QueryAsync($"select id from Task where parent_id is \"{shot}\" limit 1"))[0]!["id"]!.ToString();
        await _server.CallAsync(TestServer.Delete("Task", firstTask));
        var afterDelete = (await _server.QueryAsync($"select name from Task where parent_id is \"{shot}\"")).Select(t => (string)t!["name"]!).ToList();
        Assert.Equal(afterDelete.Skip(14).Take(7), await PageAsync(14));
        Assert.Equal(afterDelete.Skip(21).Take(7), await PageAsync(21));
    }

    [Fact]
    public async Task ReferenceDataOfTheEmptySeedIsEnoughToBuildAProject()
    {
        foreach (var type in new[] { "Status", "State", "Type", "Priority", "ObjectType", "ProjectSchema", "WorkflowSchema", "TaskTypeSchema", "AssetType", "Location" })
            Assert.NotEmpty(await _server.QueryAsync(type));
        Assert.Single(await _server.QueryAsync("User"));
        Assert.Empty(await _server.QueryAsync("Project"));
        var schema = (await _server.QueryAsync("select object_types.name, task_workflow_schema.statuses.name from ProjectSchema"))[0]!;
        Assert.Equal(7, schema["object_types"]!.AsArray().Count);
        Assert.Equal(9, schema["task_workflow_schema"]!["statuses"]!.AsArray().Count);
    }
}
