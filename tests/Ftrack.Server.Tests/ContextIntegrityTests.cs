using System.Text.Json.Nodes;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Tests;

/// <summary>
/// Updates and creates that would break the context tree are refused naming the attribute
/// (issue #10 item 10); legitimate moves keep project and closure rows in step.
/// </summary>
public sealed class ContextIntegrityTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(SeedKind.Demo);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> IdAsync(string expression) => (string)(await _server.QueryAsync(expression))[0]!["id"]!;

    private static void AssertRefusedNaming(TestServer.Answer answer, string attribute)
    {
        var error = answer.Error;
        Assert.Equal("ValidationError", (string)error["exception"]!);
        Assert.Contains($"\"{attribute}\"", (string)error["content"]!);
    }

    public static TheoryData<string, string, string, object> RefusedUpdates => new()
    {
        // A project would become a typed context, a folder a project inside another project.
        { "Project", "Project where name is sintel_redux", "context_type", new { context_type = "task" } },
        { "Folder", "Folder where name is Characters", "context_type", new { context_type = "show" } },
        { "Context", "Project where name is sintel_redux", "context_type", new { context_type = "task" } },
        // A shot would become a task (through a supertype, where object_type_id is not immutable).
        { "TypedContext", "Shot where name is SQ010_SH010", "object_type_id", new { object_type_id = "11c137c0-ee7e-4f9c-91c5-8c77cec22b2c" } },
        // An orphan: create refuses a typed context without a parent, so must update.
        { "Task", "Task where parent.name is SQ010_SH010 and name is animation", "parent_id", new { parent_id = (string?)null } },
        { "Task", "Task where parent.name is SQ010_SH010 and name is animation", "parent", new { parent = (object?)null } },
        { "TypedContext", "Shot where name is SQ010_SH010", "parent_id", new { parent_id = (string?)null } },
    };

    [Theory]
    [MemberData(nameof(RefusedUpdates))]
    public async Task UpdatesThatBreakTheTreeAreRefusedNamingTheAttribute(string type, string find, string attribute, object data)
    {
        var id = await IdAsync(find);
        AssertRefusedNaming(await _server.CallAsync(TestServer.Update(type, id, data)), attribute);
        // Nothing changed: the entity is still what it was, where it was.
        Assert.Single(await _server.QueryAsync(find));
        await ContextIntegrity.AssertConsistentAsync(_server);
    }

    [Fact]
    public async Task AProjectIdThatDisagreesWithTheParentChainIsRefused()
    {
        var other = await IdAsync("Project where name is spring_commercial");
        var task = await IdAsync("Task where parent.name is SQ010_SH010 and name is animation");
        var shot = await IdAsync("Shot where name is SQ010_SH010");
        var sintel = await IdAsync("Project where name is sintel_redux");
        AssertRefusedNaming(await _server.CallAsync(TestServer.Update("Task", task, new { project_id = other })), "project_id");
        AssertRefusedNaming(await _server.CallAsync(TestServer.Update("Task", task, new { project = TestServer.Ref("Project", other) })), "project");
        AssertRefusedNaming(await _server.CallAsync(TestServer.Update("Project", other, new { project_id = sintel })), "project_id");
        AssertRefusedNaming(await _server.CallAsync(TestServer.Create("Task", new { name = "x", parent_id = shot, project_id = other, type_id = TestServer.TaskTypeId("Generic") })), "project_id");
        // The project it already has, or the one its new parent is in, is accepted.
        Assert.IsType<JsonArray>((await _server.CallAsync(TestServer.Update("Task", task, new { project_id = sintel, name = "renamed" }))).Body);
        Assert.IsType<JsonArray>((await _server.CallAsync(TestServer.Create("Task", new { name = "y", parent_id = shot, project_id = sintel, type_id = TestServer.TaskTypeId("Generic") }))).Body);
        await ContextIntegrity.AssertConsistentAsync(_server);
    }

    [Fact]
    public async Task AProjectHasNoParent()
    {
        var sintel = await IdAsync("Project where name is sintel_redux");
        var spring = await IdAsync("Project where name is spring_commercial");
        var folder = await IdAsync("Folder where name is Characters");
        AssertRefusedNaming(await _server.CallAsync(TestServer.Update("Project", spring, new { parent_id = sintel })), "parent_id");
        AssertRefusedNaming(await _server.CallAsync(TestServer.Update("Project", spring, new { parent = TestServer.Ref("Folder", folder) })), "parent");
        AssertRefusedNaming(await _server.CallAsync(TestServer.Create("Project", new { name = "nested", project_schema_id = TestServer.ProjectSchemaId, parent_id = sintel })), "parent_id");
        await ContextIntegrity.AssertConsistentAsync(_server);
    }

    [Fact]
    public async Task AContextCannotMoveBelowItselfOrItsDescendants()
    {
        var sequence = await IdAsync("Sequence where name is SQ010");
        var shot = await IdAsync("Shot where name is SQ010_SH010");
        var task = await IdAsync("Task where parent.name is SQ010_SH010 and name is animation");
        AssertRefusedNaming(await _server.CallAsync(TestServer.Update("Sequence", sequence, new { parent_id = sequence })), "parent_id");
        AssertRefusedNaming(await _server.CallAsync(TestServer.Update("Sequence", sequence, new { parent_id = shot })), "parent_id");
        AssertRefusedNaming(await _server.CallAsync(TestServer.Update("Sequence", sequence, new { parent = TestServer.Ref("Task", task) })), "parent");
        await ContextIntegrity.AssertConsistentAsync(_server);
    }

    [Fact]
    public async Task MovingASubtreeToAnotherProjectMovesItsProjectAndClosure()
    {
        var sequence = await IdAsync("Sequence where name is SQ010");
        var episode = await IdAsync("Episode where name is EP01");
        var spring = await IdAsync("Project where name is spring_commercial");
        var below = (await _server.QueryAsync($"TypedContext where ancestors any (id is \"{sequence}\")")).Count;
        Assert.True(below > 10);
        Assert.IsType<JsonArray>((await _server.CallAsync(TestServer.Update("Sequence", sequence, new { parent = TestServer.Ref("Episode", episode) }))).Body);
        Assert.Equal(below + 1, (await _server.QueryAsync($"TypedContext where project_id is \"{spring}\" and (id is \"{sequence}\" or ancestors any (id is \"{sequence}\"))")).Count);
        Assert.Equal(below, (await _server.QueryAsync($"TypedContext where ancestors any (id is \"{episode}\") and ancestors any (id is \"{sequence}\")")).Count);
        await ContextIntegrity.AssertConsistentAsync(_server);
        // And back under a project, in the same batch as a second move below it.
        var sintel = await IdAsync("Project where name is sintel_redux");
        var shot = await IdAsync("Shot where name is SQ020_SH010");
        Assert.IsType<JsonArray>((await _server.CallAsync(
            TestServer.Update("Sequence", sequence, new { parent_id = sintel }),
            TestServer.Update("Shot", shot, new { parent_id = sequence }))).Body);
        await ContextIntegrity.AssertConsistentAsync(_server);
    }

    [Fact]
    public async Task ARefusedOrphanCannotOutliveItsProject()
    {
        var sintel = await IdAsync("Project where name is sintel_redux");
        var task = await IdAsync("Task where parent.name is SQ010_SH010 and name is animation");
        AssertRefusedNaming(await _server.CallAsync(TestServer.Update("Task", task, new { parent_id = (string?)null })), "parent_id");
        Assert.IsType<JsonArray>((await _server.CallAsync(TestServer.Delete("Project", sintel))).Body);
        Assert.Empty(await _server.QueryAsync($"Context where id is \"{task}\" or project_id is \"{sintel}\""));
        await ContextIntegrity.AssertConsistentAsync(_server);
    }
}
