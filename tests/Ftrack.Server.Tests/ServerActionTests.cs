using System.Text.Json.Nodes;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Tests;

/// <summary>
/// The actions and data the Python client reads beside query and CRUD: reset_remote,
/// get_widget_url, AssetVersion.link, and the object-type schemas behind
/// project_schema.get_statuses / get_types. Each test on a fresh Demo server.
/// </summary>
public sealed class ServerActionTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(SeedKind.Demo);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> IdAsync(string query) => (string)(await _server.QueryAsync(query))[0]!["id"]!;

    [Fact]
    public async Task ResetRemoteAnswersANewApiKeyOrPutsAnAttributeBackToItsDefault()
    {
        var jane = await IdAsync("User where username is \"jane.doe\"");
        // As session.reset_remote sends it: entity_key is the id itself.
        var first = await _server.CallAsync(new { action = "reset_remote", reset_type = "api_key", entity_type = "User", entity_key = jane });
        var second = await _server.CallAsync(new { action = "reset_remote", reset_type = "api_key", entity_type = "User", entity_key = jane });
        Assert.Equal("reset_remote", (string)first.Results[0]!["action"]!);
        Assert.NotEqual((string)first.Results[0]!["data"]!["api_key"]!, (string)second.Results[0]!["data"]!["api_key"]!);
        // This server's own key is its command line's.
        var admin = await IdAsync("User where username is admin");
        Assert.Equal("ValidationError", (string)(await _server.CallAsync(new { action = "reset_remote", reset_type = "api_key", entity_type = "User", entity_key = admin })).Error["exception"]!);

        var task = await IdAsync("Task where name is lighting");
        await _server.CallAsync(TestServer.Update("Task", task, new { priority_id = await IdAsync("Priority where name is Urgent") }));
        var reset = await _server.CallAsync(new { action = "reset_remote", reset_type = "priority_id", entity_type = "Task", entity_key = task });
        Assert.Equal(SeedData.DefaultPriorityId, (string)reset.Results[0]!["data"]!["priority_id"]!);
        Assert.Equal(SeedData.DefaultPriorityId, (string)(await _server.QueryAsync($"select priority_id from Task where id is \"{task}\""))[0]!["priority_id"]!);

        foreach (var attribute in new[] { "id", "email" })
            Assert.Equal("ValidationError", (string)(await _server.CallAsync(new { action = "reset_remote", reset_type = attribute, entity_type = "User", entity_key = jane })).Error["exception"]!);
        Assert.Equal("NoResultFoundError", (string)(await _server.CallAsync(new { action = "reset_remote", reset_type = "api_key", entity_type = "User", entity_key = Guid.NewGuid().ToString() })).Error["exception"]!);
    }

    [Fact]
    public async Task GetWidgetUrlAnswersAUrlOnThisServer()
    {
        var tasks = await _server.CallAsync(new { action = "get_widget_url", name = "tasks", theme = (string?)null });
        Assert.StartsWith(_server.Server.Url + "/widget/?view=tasks", (string)tasks.Results[0]!["widget_url"]!);
        var task = await IdAsync("Task where name is lighting");
        var info = await _server.CallAsync(new { action = "get_widget_url", name = "info", theme = "light", entity_type = "Task", entity_key = new[] { task } });
        var url = (string)info.Results[0]!["widget_url"]!;
        Assert.Contains(task, url);
        Assert.Contains("theme=light", url);
        Assert.Equal("ValidationError", (string)(await _server.CallAsync(new { action = "get_widget_url", name = "info" })).Error["exception"]!);
        Assert.Equal("ValidationError", (string)(await _server.CallAsync(new { action = "get_widget_url", name = "gallery" })).Error["exception"]!);
    }

    [Fact]
    public async Task AnAssetVersionsLinkRunsFromTheProjectThroughItsAsset()
    {
        var version = (await _server.QueryExpandedAsync("select link, version, asset.name, asset.parent.link from AssetVersion where version is 2 limit 1"))[0]!;
        var link = version["link"]!.AsArray();
        var above = version["asset"]!["parent"]!["link"]!.AsArray();
        Assert.Equal(above.Select(l => l!.ToJsonString()), link.Take(above.Count).Select(l => l!.ToJsonString()));
        Assert.Equal(["Asset", "AssetVersion"], link.Skip(above.Count).Select(l => (string)l!["type"]!));
        Assert.Equal((string)version["asset"]!["name"]!, (string)link[^2]!["name"]!);
        Assert.Equal("v2", (string)link[^1]!["name"]!);
    }

    /// <summary>The data project_schema.get_statuses('Shot') and get_types('AssetBuild') read.</summary>
    [Fact]
    public async Task AProjectSchemaServesItsObjectTypesStatusesTypesAndOverrides()
    {
        var schema = (await _server.QueryExpandedAsync($"select _schemas.type_id, _overrides.type_id, _overrides.workflow_schema.statuses.name from ProjectSchema where id is \"{TestServer.ProjectSchemaId}\""))[0]!;
        const string shot = "bad911de-3bd6-47b9-8b46-3476e237cb36";
        var shotSchema = schema["_schemas"]!.AsArray().Single(s => (string)s!["type_id"]! == shot)!;
        var statuses = await _server.QueryExpandedAsync($"select task_status.name from SchemaStatus where schema_id is {shotSchema["id"]}");
        Assert.Equal(["Not started", "In progress", "On hold", "Omitted", "Completed"], statuses.Select(s => (string)s!["task_status"]!["name"]!));
        var types = await _server.QueryExpandedAsync("select task_type.name from SchemaType where schema_id in (select id from Schema where object_type_id is \"4be63b64-5010-42fb-bf1f-428af9d638f0\")");
        Assert.Equal(["Character", "Prop", "Environment", "Matte Painting"], types.Select(t => (string)t!["task_type"]!["name"]!));
        var editing = schema["_overrides"]!.AsArray().Single()!;
        Assert.Equal(TestServer.TaskTypeId("Editing"), (string)editing["type_id"]!);
        Assert.Contains("Client review", editing["workflow_schema"]!["statuses"]!.AsArray().Select(s => (string)s!["name"]!));
    }
}
