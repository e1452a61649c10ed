using System.Text.Json.Nodes;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Tests;

/// <summary>
/// What a real server fills in or refuses when entities are created and changed: unique sibling
/// names, a relation winning over its key column, server defaults, one timer per user, lists and
/// links of the right kinds. Each test on a fresh Demo server.
/// </summary>
public sealed class CreateRulesTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(SeedKind.Demo);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> IdAsync(string query) => (string)(await _server.QueryAsync(query))[0]!["id"]!;

    private async Task<JsonObject> CreatedAsync(string type, object data)
    {
        var answer = await _server.CallAsync(TestServer.Create(type, data));
        return answer.Body is JsonArray results ? results[0]!["data"]!.AsObject() : throw new InvalidOperationException(answer.Body!.ToJsonString());
    }

    [Fact]
    public async Task SiblingsHaveDifferentNames()
    {
        var shot = await IdAsync("Shot where name is SQ010_SH010");
        var duplicate = (await _server.CallAsync(TestServer.Create("Task", new { name = "compositing", parent_id = shot }))).Error;
        Assert.Equal("DuplicateEntryError", (string)duplicate["exception"]!);
        Assert.Contains("\"compositing\"", (string)duplicate["content"]!);
        // Within one batch too, and by rename or move.
        Assert.Equal("DuplicateEntryError", (string)(await _server.CallAsync(
            TestServer.Create("Task", new { name = "roto", parent_id = shot }), TestServer.Create("Task", new { name = "roto", parent_id = shot }))).Error["exception"]!);
        var lighting = await IdAsync($"Task where parent_id is \"{shot}\" and name is lighting");
        Assert.Equal("DuplicateEntryError", (string)(await _server.CallAsync(TestServer.Update("Task", lighting, new { name = "animation" }))).Error["exception"]!);
        var otherShot = await IdAsync("Shot where name is SQ010_SH020");
        var otherLighting = await IdAsync($"Task where parent_id is \"{otherShot}\" and name is lighting");
        Assert.Equal("DuplicateEntryError", (string)(await _server.CallAsync(TestServer.Update("Task", otherLighting, new { parent_id = shot }))).Error["exception"]!);
        // The same name under another parent, or a rename to a free name, is fine.
        Assert.IsType<JsonArray>((await _server.CallAsync(TestServer.Update("Task", lighting, new { name = "lighting_v2" }), TestServer.Update("Task", otherLighting, new { parent_id = shot }))).Body);
    }

    [Fact]
    public async Task ARelationWinsOverItsKeyColumnGivenBesideIt()
    {
        var shot = await IdAsync("Shot where name is SQ030_SH010");
        var urgent = await IdAsync("Priority where name is Urgent");
        // The Python client sends the relation and the schema's default key column together.
        var created = await CreatedAsync("Task", new { name = "urgent", parent_id = shot, priority_id = SeedData.DefaultPriorityId, priority = TestServer.Ref("Priority", urgent) });
        Assert.Equal(urgent, (string)created["priority_id"]!);
        var low = await IdAsync("Priority where name is Low");
        await _server.CallAsync(new { action = "update", entity_type = "Task", entity_key = new[] { (string)created["id"]! }, entity_data = new Dictionary<string, object> { ["priority"] = TestServer.Ref("Priority", low), ["priority_id"] = urgent } });
        Assert.Equal(low, (string)(await _server.QueryAsync($"select priority_id from Task where id is \"{created["id"]}\""))[0]!["priority_id"]!);
    }

    [Fact]
    public async Task TheServerFillsInWhatARealServerFillsIn()
    {
        var user = await CreatedAsync("User", new { first_name = "No", last_name = "Name" });
        Assert.Equal((string)user["id"]!, (string)user["username"]!);
        Assert.Equal("file", (string)(await CreatedAsync("Component", new { name = "plain" }))["system_type"]!);
        var sequence = await IdAsync("Sequence where name is SQ030");
        var shot = await CreatedAsync("Shot", new { name = "SQ030_SH900", parent_id = sequence });
        var task = await CreatedAsync("Task", new { name = "untyped", parent_id = (string)shot["id"]! });
        Assert.Equal(TestServer.TaskTypeId("Generic"), (string)task["type_id"]!);
        // A shot's first status is the first of the Shot schema's; a task's the task workflow's.
        Assert.Equal(SeedData.NotStartedStatusId, (string)shot["status_id"]!);
        var build = await CreatedAsync("AssetBuild", new { name = "Dragon", parent_id = await IdAsync("Folder where name is Characters") });
        Assert.Equal(SeedData.NotStartedStatusId, (string)build["status_id"]!);
        var configuration = await CreatedAsync("CustomAttributeConfiguration", new { key = "on_set", label = "On set", type_id = SeedData.CustomAttributeTypeId("boolean"), entity_type = "show" });
        Assert.Equal("{}", (string)configuration["config"]!);
        var timer = await CreatedAsync("Timer", new { context_id = (string)task["id"]!, name = "work" });
        Assert.Equal(await IdAsync("User where username is admin"), (string)timer["user_id"]!);
        Assert.Equal("datetime", (string)timer["start"]!["__type__"]!);
        var job = await CreatedAsync("Job", new { status = "running" });
        Assert.Equal("api_job", (string)job["type"]!);
        Assert.Equal(await IdAsync("User where username is admin"), (string)job["user_id"]!);
    }

    [Fact]
    public async Task AUserRunsOneTimerAtATime()
    {
        var jane = await IdAsync("User where username is \"jane.doe\"");
        await CreatedAsync("Timer", new { user_id = jane, comment = "" });
        var second = (await _server.CallAsync(TestServer.Create("Timer", new { user_id = jane, comment = "" }))).Error;
        Assert.Equal("DuplicateEntryError", (string)second["exception"]!);
        // Deleting the user takes the timer along.
        var spare = (string)(await CreatedAsync("User", new { username = "spare" }))["id"]!;
        await CreatedAsync("Timer", new { user_id = spare });
        await _server.CallAsync(TestServer.Delete("User", spare));
        Assert.Empty(await _server.QueryAsync($"Timer where user_id is \"{spare}\""));
    }

    [Fact]
    public async Task AListHoldsEntitiesOfItsKindOnce()
    {
        var taskList = await IdAsync("TypedContextList");
        var versionList = await IdAsync("AssetVersionList");
        var task = await IdAsync("Task where name is rigging");
        var version = await IdAsync("AssetVersion where not lists any ()");
        Assert.IsType<JsonArray>((await _server.CallAsync(TestServer.Create("ListObject", new { list_id = taskList, entity_id = task }), TestServer.Create("ListObject", new { list_id = versionList, entity_id = version }))).Body);
        Assert.Equal("DuplicateEntryError", (string)(await _server.CallAsync(TestServer.Create("ListObject", new { list_id = taskList, entity_id = task }))).Error["exception"]!);
        Assert.Contains("AssetVersion", (string)(await _server.CallAsync(TestServer.Create("ListObject", new { list_id = versionList, entity_id = task }))).Error["content"]!);
        Assert.Single(await _server.QueryAsync($"Task where id is \"{task}\" and lists any (id is \"{taskList}\")"));
        Assert.Single(await _server.QueryAsync($"AssetVersion where id is \"{version}\" and lists any (id is \"{versionList}\")"));
        // A deleted task leaves its lists.
        await _server.CallAsync(TestServer.Delete("Task", task));
        Assert.Empty(await _server.QueryAsync($"ListObject where entity_id is \"{task}\""));
    }

    [Fact]
    public async Task CustomAttributeLinksJoinExistingEntitiesOfTheConfiguredKinds()
    {
        var configuration = (string)(await CreatedAsync("CustomAttributeLinkConfiguration", new
        {
            key = "supervisor", label = "Supervisor", entity_type = "task", object_type_id = "bad911de-3bd6-47b9-8b46-3476e237cb36", entity_type_to = "user", one_to_one = true,
        }))["id"]!;
        var shot = await IdAsync("Shot where name is SQ010_SH010");
        var jane = await IdAsync("User where username is \"jane.doe\"");
        var link = await CreatedAsync("CustomAttributeLink", new { configuration_id = configuration, from_id = shot, to_id = jane });
        Assert.Single(await _server.QueryAsync($"Shot where custom_attribute_links any (configuration.key is supervisor and to_id is \"{jane}\")"));
        Assert.Single(await _server.QueryAsync($"User where custom_attribute_links_from any (from_id is \"{shot}\")"));
        Assert.Equal("User", (string)(await _server.QueryAsync($"select to_entity_type from CustomAttributeLinkFrom where id is \"{link["id"]}\""))[0]!["to_entity_type"]!);
        Assert.Equal("DuplicateEntryError", (string)(await _server.CallAsync(TestServer.Create("CustomAttributeLink", new { configuration_id = configuration, from_id = shot, to_id = await IdAsync("User where username is \"john.smith\"") }))).Error["exception"]!);
        Assert.Contains("does not exist", (string)(await _server.CallAsync(TestServer.Create("CustomAttributeLink", new { configuration_id = configuration, from_id = shot, to_id = Guid.NewGuid().ToString() }))).Error["content"]!);
        // Links go with either end.
        var spare = (string)(await CreatedAsync("User", new { username = "spare" }))["id"]!;
        await CreatedAsync("CustomAttributeLink", new { configuration_id = configuration, from_id = await IdAsync("Shot where name is SQ010_SH020"), to_id = spare });
        Assert.IsType<JsonArray>((await _server.CallAsync(TestServer.Delete("User", spare))).Body);
        Assert.Equal([(string)link["id"]!], (await _server.QueryAsync("CustomAttributeLink")).Select(l => (string)l!["id"]!));
    }

    [Fact]
    public async Task ASequenceComponentIsAContainerOfItsMembers()
    {
        var version = await IdAsync("AssetVersion where version is 1");
        var sequence = (string)(await CreatedAsync("SequenceComponent", new { name = "plate", version_id = version, padding = 4, file_type = ".exr" }))["id"]!;
        foreach (var frame in new[] { "1001", "1002" })
            await CreatedAsync("FileComponent", new { name = frame, container = TestServer.Ref("SequenceComponent", sequence) });
        var read = (await _server.QueryExpandedAsync($"select system_type, members.name from SequenceComponent where id is \"{sequence}\""))[0]!;
        Assert.Equal("sequence", (string)read["system_type"]!);
        Assert.Equal(["1001", "1002"], read["members"]!.AsArray().Select(m => (string)m!["name"]!).Order());
        // A sequence is a container: queried as one, and named by the members' container.
        Assert.Single(await _server.QueryAsync($"ContainerComponent where id is \"{sequence}\""));
        Assert.Equal("SequenceComponent", (string)(await _server.QueryAsync("select container from FileComponent where name is \"1001\""))[0]!["container"]!["__entity_type__"]!);
    }
}
