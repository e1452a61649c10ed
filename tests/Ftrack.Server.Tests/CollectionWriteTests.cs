using System.Text.Json.Nodes;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Tests;

/// <summary>
/// Creates and updates that set a collection to a list of references, as the official Python
/// client sends every change of one (notes, replies, recipients, metadata, children, many-to-many
/// links), each on a fresh Demo server.
/// </summary>
public sealed class CollectionWriteTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(SeedKind.Demo);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> IdAsync(string query) => (string)(await _server.QueryAsync(query))[0]!["id"]!;

    private static Dictionary<string, string> Ref(string type, params (string Key, string Value)[] key)
    {
        var reference = new Dictionary<string, string> { ["__entity_type__"] = type };
        foreach (var (name, value) in key)
            reference[name] = value;
        return reference;
    }

    private static object Update(string type, string id, string collection, params object[] members) =>
        new { action = "update", entity_type = type, entity_key = new[] { id }, entity_data = new Dictionary<string, object> { ["__entity_type__"] = type, [collection] = members } };

    /// <summary>What shot.create_note(content, author, recipients=[jane], labels=[retake]) and note.create_reply send.</summary>
    [Fact]
    public async Task CreateNoteAndCreateReplyAsThePythonClientSendsThem()
    {
        var shot = await IdAsync("Shot where name is SQ030_SH020");
        var admin = await IdAsync("User where username is admin");
        var jane = await IdAsync("User where username is \"jane.doe\"");
        var existing = (await _server.QueryAsync($"select id from Note where parent_id is \"{shot}\"")).Select(n => Ref("Note", ("id", (string)n!["id"]!))).ToArray<object>();
        var (note, reply) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var answer = await _server.CallAsync(
            TestServer.Create("Note", new { id = note, content = "Track the plate.", author = TestServer.Ref("User", admin), is_todo = false }),
            Update("Shot", shot, "notes", [.. existing, Ref("Note", ("id", note))]),
            TestServer.Create("Recipient", new { note_id = note, resource_id = jane }),
            Update("Note", note, "recipients", Ref("Recipient", ("note_id", note), ("resource_id", jane))),
            TestServer.Create("NoteLabelLink", new { label_id = SeedData.IdOf("notelabel:Retake"), note_id = note }));
        Assert.IsType<JsonArray>(answer.Body);
        // The update answers the collection as it is now, so the client's copy is current.
        var notes = answer.Results[1]!["data"]!["notes"]!.AsArray();
        Assert.Contains(notes, n => (string)n!["id"]! == note);

        await _server.CallAsync(
            TestServer.Create("Note", new { id = reply, content = "On it.", author = TestServer.Ref("User", jane) }),
            Update("Note", note, "replies", Ref("Note", ("id", reply))));
        var read = (await _server.QueryExpandedAsync($"select parent_id, parent_type, recipients.resource_id, note_label_links.label.name, replies.content, replies.parent_id from Note where id is \"{note}\""))[0]!;
        Assert.Equal(shot, (string)read["parent_id"]!);
        Assert.Equal("TypedContext", (string)read["parent_type"]!);
        Assert.Equal([jane], read["recipients"]!.AsArray().Select(r => (string)r!["resource_id"]!));
        Assert.Equal(["Retake"], read["note_label_links"]!.AsArray().Select(l => (string)l!["label"]!["name"]!));
        Assert.Equal("On it.", (string)read["replies"]![0]!["content"]!);
        // A reply hangs on what its thread hangs on.
        Assert.Equal(shot, (string)read["replies"]![0]!["parent_id"]!);
        Assert.Equal(existing.Length + 2, (await _server.QueryAsync($"Note where parent_id is \"{shot}\"")).Count);
    }

    [Fact]
    public async Task ANoteOnAVersionNamesTheVersionsType()
    {
        var version = await IdAsync("AssetVersion where version is 1");
        var note = Guid.NewGuid().ToString();
        await _server.CallAsync(
            TestServer.Create("Note", new { id = note, content = "Nice.", user_id = await IdAsync("User where username is admin") }),
            Update("AssetVersion", version, "notes", Ref("Note", ("id", note))));
        Assert.Equal("AssetVersion", (string)(await _server.QueryAsync($"select parent_type from Note where id is \"{note}\""))[0]!["parent_type"]!);
    }

    [Fact]
    public async Task MetadataIsWrittenAsTheKeyValueCollectionOfTheClient()
    {
        var sequence = await IdAsync("Sequence where name is SQ010");
        var answer = await _server.CallAsync(
            TestServer.Create("Metadata", new { key = "lens", value = "35mm", parent_id = sequence, parent_type = "Sequence" }),
            Update("Sequence", sequence, "metadata", Ref("Metadata", ("parent_id", sequence), ("key", "lens"))));
        Assert.IsType<JsonArray>(answer.Body);
        Assert.Single(await _server.QueryAsync("Sequence where metadata any (key is lens and value is \"35mm\")"));
        // Metadata belongs to what its key names: it cannot move to another entity.
        var other = await IdAsync("Sequence where name is SQ020");
        var refused = (await _server.CallAsync(Update("Sequence", other, "metadata", Ref("Metadata", ("parent_id", sequence), ("key", "lens"))))).Error;
        Assert.Equal("ValidationError", (string)refused["exception"]!);
        Assert.Contains("belongs to the entity its key names", (string)refused["content"]!);
    }

    [Fact]
    public async Task ListingAContextAsAChildMovesItThroughTheTreesRules()
    {
        var shot = await IdAsync("Shot where name is SQ010_SH040");
        var target = await IdAsync("Sequence where name is SQ030");
        Assert.IsType<JsonArray>((await _server.CallAsync(Update("Sequence", target, "children", Ref("Shot", ("id", shot))))).Body);
        Assert.Single(await _server.QueryAsync($"Shot where id is \"{shot}\" and parent.name is SQ030 and ancestors any (name is SQ030)"));
        await ContextIntegrity.AssertConsistentAsync(_server);
        // Below itself: refused as any such move is.
        var loop = (await _server.CallAsync(Update("Shot", shot, "children", Ref("Sequence", ("id", target))))).Error;
        Assert.Equal("ValidationError", (string)loop["exception"]!);
    }

    [Fact]
    public async Task AManyToManyCollectionBecomesExactlyTheListedMembers()
    {
        var schema = TestServer.ProjectSchemaId;
        var types = (await _server.QueryAsync($"select object_types.id from ProjectSchema where id is \"{schema}\""))[0]!["object_types"]!.AsArray().Select(o => (string)o!["id"]!).ToList();
        var kept = types.Take(3).Select(id => Ref("ObjectType", ("id", id))).ToArray<object>();
        Assert.IsType<JsonArray>((await _server.CallAsync(Update("ProjectSchema", schema, "object_types", kept))).Body);
        Assert.Equal(types.Take(3).Order(), (await _server.QueryAsync($"select object_type_id from ProjectSchemaObjectType where project_schema_id is \"{schema}\"")).Select(r => (string)r!["object_type_id"]!).Order());

        // A list's items are ListObject rows; a task's scopes a link of their own.
        var list = await IdAsync("TypedContextList where name is \"Dailies 2026-01-20\"");
        var task = await IdAsync("Task where name is lighting and parent.name is SQ030_SH030");
        var items = (await _server.QueryAsync($"select items.id from TypedContextList where id is \"{list}\""))[0]!["items"]!.AsArray().Select(i => (string)i!["id"]!).ToList();
        Assert.IsType<JsonArray>((await _server.CallAsync(Update("TypedContextList", list, "items", [.. items.Skip(1).Select(i => Ref("Task", ("id", i))), Ref("Task", ("id", task))]))).Body);
        var now = (await _server.QueryAsync($"select entity_id from ListObject where list_id is \"{list}\"")).Select(r => (string)r!["entity_id"]!).ToList();
        Assert.Equal(items.Skip(1).Append(task).Order(), now.Order());
        var scope = Guid.NewGuid().ToString();
        await _server.CallAsync(TestServer.Create("Scope", new { id = scope, name = "vfx" }), Update("Task", task, "scopes", Ref("Scope", ("id", scope))));
        Assert.Single(await _server.QueryAsync($"Task where id is \"{task}\" and scopes any (name is vfx)"));
        Assert.Single(await _server.QueryAsync($"Scope where id is \"{scope}\""));
        await _server.CallAsync(TestServer.Delete("Scope", scope));
        Assert.Empty(await _server.QueryAsync($"Task where id is \"{task}\" and scopes any ()"));
    }

    [Fact]
    public async Task ACreateMayListItsCollections()
    {
        var shot = await IdAsync("Shot where name is SQ020_SH040");
        var note = await IdAsync($"Note where parent_id is_not \"{shot}\" and in_reply_to_id is None");
        var task = Guid.NewGuid().ToString();
        var answer = await _server.CallAsync(TestServer.Create("Task", new { id = task, name = "roto", parent_id = shot, notes = new[] { TestServer.Ref("Note", note) } }));
        Assert.IsType<JsonArray>(answer.Body);
        Assert.Equal(task, (string)(await _server.QueryAsync($"select parent_id from Note where id is \"{note}\""))[0]!["parent_id"]!);
    }

    [Theory]
    [InlineData("\"not a list\"", "expects a list")]
    [InlineData("[{\"id\": \"x\"}]", "expects references")]
    [InlineData("[{\"__entity_type__\": \"Status\", \"id\": \"x\"}]", "holds Note entities")]
    [InlineData("[{\"__entity_type__\": \"Note\", \"id\": \"00000000-0000-0000-0000-000000000000\"}]", "No Note found")]
    public async Task AnInvalidListOfMembersIsRefusedInPlainWords(string members, string expected)
    {
        var shot = await IdAsync("Shot where name is SQ020_SH040");
        var answer = await _server.PostRawAsync($"[{{\"action\": \"update\", \"entity_type\": \"Shot\", \"entity_key\": [\"{shot}\"], \"entity_data\": {{\"notes\": {members}}}}}]");
        var error = answer.Error;
        Assert.True((string)error["exception"]! is "ValidationError" or "NoResultFoundError", error.ToJsonString());
        Assert.Contains(expected, (string)error["content"]!);
    }
}
