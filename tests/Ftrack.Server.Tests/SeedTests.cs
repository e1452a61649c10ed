using Ftrack.Server.Storage;

namespace Ftrack.Server.Tests;

public sealed class SeedTests
{
    [Fact]
    public async Task TheDemoSeedIsABelievableStudioAndIdenticalEveryTime()
    {
        await using var first = await TestServer.StartAsync(SeedKind.Demo);
        await using var second = await TestServer.StartAsync(SeedKind.Demo);
        const string everything = "select id, name, parent_id, status_id, type_id, bid, start_date from TypedContext order by id";
        Assert.Equal((await first.QueryAsync(everything)).ToJsonString(), (await second.QueryAsync(everything)).ToJsonString());
        const string versions = "select id, version, asset_id, status_id, user_id, task_id from AssetVersion order by id";
        Assert.Equal((await first.QueryAsync(versions)).ToJsonString(), (await second.QueryAsync(versions)).ToJsonString());

        Assert.Equal(2, (await first.QueryAsync("Project")).Count);
        Assert.True((await first.QueryAsync("User")).Count >= 5);
        Assert.NotEmpty(await first.QueryAsync("Sequence"));
        Assert.True((await first.QueryAsync("Shot")).Count >= 10);
        Assert.NotEmpty(await first.QueryAsync("AssetBuild"));
        Assert.True((await first.QueryAsync("Task")).Count >= 40);
        Assert.NotEmpty(await first.QueryAsync("AssetVersion where components any (component_locations any ())"));
        Assert.NotEmpty(await first.QueryAsync("Note where replies any ()"));
        Assert.NotEmpty(await first.QueryAsync("Timelog"));
        Assert.NotEmpty(await first.QueryAsync("Task where assignments any (resource has (username is \"jane.doe\"))"));

        // What studio scripts read beside: custom attributes with values, notes with recipients and labels, metadata, lists.
        Assert.True((await first.QueryAsync("CustomAttributeConfiguration")).Count >= 10);
        Assert.NotEmpty(await first.QueryAsync("CustomAttributeConfiguration where is_hierarchical is true"));
        Assert.NotEmpty(await first.QueryAsync("Shot where custom_attributes any (key is fstart and value != 1001)"));
        Assert.NotEmpty(await first.QueryAsync("Note where recipients any () and note_label_links any ()"));
        Assert.NotEmpty(await first.QueryAsync("Shot where metadata any (key is plate)"));
        Assert.NotEmpty(await first.QueryAsync("TypedContextList where items any ()"));
        Assert.NotEmpty(await first.QueryAsync("AssetVersionList where items any ()"));
    }

    [Fact]
    public async Task TheEmptySeedHasOnlyTheAdministratorAndReferenceData()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Empty);
        var users = await server.QueryAsync("select username from User");
        Assert.Equal(["admin"], users.Select(u => (string)u!["username"]!));
        Assert.Empty(await server.QueryAsync("Context"));
        Assert.Empty(await server.QueryAsync("AssetVersion"));
        Assert.Single(await server.QueryAsync("Priority where id is \"9661b320-3a0c-11e2-81c1-0800200c9a66\""));
        Assert.Single(await server.QueryAsync($"Status where id is \"{SeedData.NotStartedStatusId}\" and state.short is NOT_STARTED"));
        // The reference data a real server always has: custom attribute types, note categories, list categories, roles.
        Assert.Equal(["text", "number", "boolean", "date", "enumerator", "dynamic enumerator", "expression", "url"],
            (await server.QueryAsync("select name from CustomAttributeType")).Select(t => (string)t!["name"]!));
        Assert.NotEmpty(await server.QueryAsync("NoteCategory"));
        Assert.NotEmpty(await server.QueryAsync("ListCategory"));
        Assert.NotEmpty(await server.QueryAsync("SecurityRole"));
        Assert.NotEmpty(await server.QueryAsync("Schema"));
        Assert.Empty(await server.QueryAsync("CustomAttributeConfiguration"));
    }
}
