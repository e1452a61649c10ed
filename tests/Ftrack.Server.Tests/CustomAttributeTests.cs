using System.Text.Json.Nodes;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Tests;

/// <summary>
/// Custom attributes as ftrack has them, over HTTP on a fresh Demo server per test: dense values
/// with the configurations' defaults, hierarchical inheritance, the operations the official
/// clients write them with, validation per type, queries, and the configurations' own rules.
/// </summary>
public sealed class CustomAttributeTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(SeedKind.Demo);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>The Demo seed's configuration of a key (object type by schema name, null for show, user, ...).</summary>
    private static string Configuration(string entityType, string? objectType, string key) => SeedData.IdOf($"customattribute:{entityType}:{objectType}:{key}");

    private async Task<string> IdAsync(string query) => (string)(await _server.QueryAsync(query))[0]!["id"]!;

    /// <summary>An entity's custom attributes as key → value, read through its custom_attributes collection.</summary>
    private async Task<Dictionary<string, JsonNode?>> ValuesAsync(string type, string id)
    {
        var row = (await _server.QueryExpandedAsync($"select custom_attributes from {type} where id is \"{id}\""))[0]!;
        return row["custom_attributes"]!.AsArray().ToDictionary(v => (string)v!["key"]!, v => v!["value"]?.DeepClone());
    }

    private static object SetValue(string type, string configuration, string entity, object? value) =>
        new { action = "update", entity_type = type, entity_key = new[] { configuration, entity }, entity_data = new Dictionary<string, object?> { ["__entity_type__"] = type, ["value"] = value } };

    private async Task<JsonObject> RefusedAsync(params object[] operations)
    {
        var answer = await _server.CallAsync(operations);
        return answer.Body as JsonObject ?? throw new InvalidOperationException("Expected an error, got: " + answer.Body?.ToJsonString());
    }

    [Fact]
    public async Task AnEntityReadsAValueForEachAttributeThatAppliesToItWithTheDefaultsWhereNoneIsSet()
    {
        var shot = await IdAsync("Shot where name is SQ030_SH040");
        var values = await ValuesAsync("Shot", shot);
        // Shot attributes and hierarchical ones, in the order they were configured; not the Task, user or version ones.
        Assert.Equal(["fps", "fstart", "fend", "plate_format", "client_due", "handles"], values.Keys);
        Assert.Equal(24, (int)values["fps"]!);
        Assert.Equal(1001, (int)values["fstart"]!);
        Assert.Equal(["exr"], values["plate_format"]!.AsArray().Select(v => (string)v!));
        Assert.Null(values["client_due"]);

        var row = (await _server.QueryAsync($"select custom_attributes from Shot where id is \"{shot}\""))[0]!["custom_attributes"]![0]!.AsObject();
        Assert.Equal("ContextCustomAttributeValue", (string)row["__entity_type__"]!);
        foreach (var key in new[] { "configuration_id", "entity_id", "key", "value" })
            Assert.True(row.ContainsKey(key), $"a value carries {key} (the Python client reads key and value): {row.ToJsonString()}");

        Assert.Equal(["fps", "handles"], (await ValuesAsync("Project", await IdAsync("Project where name is spring_commercial"))).Keys);
        Assert.Equal(25, (int)(await ValuesAsync("Project", await IdAsync("Project where name is spring_commercial")))["fps"]!);
        Assert.Equal(["brief", "handles"], (await ValuesAsync("Task", await IdAsync("Task where name is compositing"))).Keys);
        Assert.Equal(["delivered", "handles"], (await ValuesAsync("AssetVersion", await IdAsync("AssetVersion where version is 1"))).Keys);
        Assert.Equal(["department"], (await ValuesAsync("User", await IdAsync("User where username is \"jane.doe\""))).Keys);
        Assert.Equal(["locked"], (await ValuesAsync("TypedContextList", await IdAsync("TypedContextList"))).Keys);
    }

    [Fact]
    public async Task AHierarchicalValueIsInheritedDownTheTreeAndOverriddenWhereSet()
    {
        var handles = Configuration("show", null, "handles");
        var sintel = await IdAsync("Project where name is sintel_redux");
        var sq010Shot = await IdAsync("Shot where name is SQ010_SH020");
        var sq020Shot = await IdAsync("Shot where name is SQ020_SH030");
        var task = await IdAsync($"Task where parent_id is \"{sq020Shot}\" and name is lighting");
        Assert.Equal(8, (int)(await ValuesAsync("Shot", sq010Shot))["handles"]!);
        Assert.Equal(12, (int)(await ValuesAsync("Shot", sq020Shot))["handles"]!);
        Assert.Equal(12, (int)(await ValuesAsync("Task", task))["handles"]!);
        Assert.Equal(4, (int)(await ValuesAsync("Shot", await IdAsync("Shot where name is SQ020_SH010")))["handles"]!);
        // Versions inherit through their asset's context.
        var version = await IdAsync($"AssetVersion where asset.parent.id is \"{sq020Shot}\"");
        Assert.Equal(12, (int)(await ValuesAsync("AssetVersion", version))["handles"]!);

        await _server.CallAsync(SetValue("ContextCustomAttributeValue", handles, sq020Shot, 2));
        Assert.Equal(2, (int)(await ValuesAsync("Task", task))["handles"]!);
        await _server.CallAsync(SetValue("ContextCustomAttributeValue", handles, sintel, 16));
        Assert.Equal(16, (int)(await ValuesAsync("Shot", sq010Shot))["handles"]!);

        // Taking the shot's own value away shows the sequence's again.
        Assert.IsType<JsonArray>((await _server.CallAsync(new { action = "delete", entity_type = "ContextCustomAttributeValue", entity_key = new[] { handles, sq020Shot } })).Body);
        Assert.Equal(12, (int)(await ValuesAsync("Task", task))["handles"]!);
    }

    [Fact]
    public async Task ValuesAreWrittenTheWayTheOfficialClientsWriteThem()
    {
        var shot = await IdAsync("Shot where name is SQ030_SH010");
        var fps = Configuration("task", "Shot", "fps");
        // The Python client: update of the dense ContextCustomAttributeValue, keyed [configuration_id, entity_id].
        var updated = await _server.CallAsync(SetValue("ContextCustomAttributeValue", fps, shot, 25));
        var data = updated.Results[0]!["data"]!.AsObject();
        Assert.Equal("ContextCustomAttributeValue", (string)data["__entity_type__"]!);
        Assert.Equal(25, (int)data["value"]!);
        Assert.Equal(25, (int)(await ValuesAsync("Shot", shot))["fps"]!);

        // A create of CustomAttributeValue (the older client's way) sets it too.
        var created = await _server.CallAsync(TestServer.Create("CustomAttributeValue", new { configuration_id = Configuration("task", "Shot", "fend"), entity_id = shot, value = 1180 }));
        Assert.Equal(1180, (int)created.Results[0]!["data"]!["value"]!);
        Assert.Equal(1180, (int)(await ValuesAsync("Shot", shot))["fend"]!);

        // Deleting a value shows the default again.
        await _server.CallAsync(new { action = "delete", entity_type = "ContextCustomAttributeValue", entity_key = new[] { fps, shot } });
        Assert.Equal(24, (int)(await ValuesAsync("Shot", shot))["fps"]!);
        Assert.Equal("NoResultFoundError", (string)(await RefusedAsync(new { action = "delete", entity_type = "ContextCustomAttributeValue", entity_key = new[] { fps, Guid.NewGuid().ToString() } }))["exception"]!);
    }

    [Fact]
    public async Task ValuesCanBeSetInTheSameBatchAsTheEntitysCreate()
    {
        var sequence = await IdAsync("Sequence where name is SQ030");
        var shot = Guid.NewGuid().ToString();
        var answer = await _server.CallAsync(
            TestServer.Create("Shot", new { id = shot, name = "SQ030_SH990", parent_id = sequence }),
            SetValue("ContextCustomAttributeValue", Configuration("task", "Shot", "fstart"), shot, 990),
            SetValue("ContextCustomAttributeValue", Configuration("show", null, "handles"), shot, 6));
        Assert.IsType<JsonArray>(answer.Body);
        var values = await ValuesAsync("Shot", shot);
        Assert.Equal(990, (int)values["fstart"]!);
        Assert.Equal(6, (int)values["handles"]!);

        // The refs of a create's custom_attributes (the documented way that fails on a real server) are accepted.
        var task = Guid.NewGuid().ToString();
        var brief = Configuration("task", "Task", "brief");
        var withRefs = await _server.CallAsync(
            TestServer.Create("Task", new
            {
                id = task, name = "roto", parent_id = shot,
                custom_attributes = new[] { new Dictionary<string, string> { ["__entity_type__"] = "ContextCustomAttributeValue", ["configuration_id"] = brief, ["entity_id"] = task } },
            }),
            SetValue("ContextCustomAttributeValue", brief, task, "Roto the hair."));
        Assert.IsType<JsonArray>(withRefs.Body);
        Assert.Equal("Roto the hair.", (string)(await ValuesAsync("Task", task))["brief"]!);
    }

    [Theory]
    [InlineData("task", "Shot", "fstart", "\"soon\"", "number", "text")]
    [InlineData("task", "Task", "brief", "42", "text", "number")]
    [InlineData("assetversion", null, "delivered", "\"yes\"", "boolean", "text")]
    [InlineData("task", "Shot", "client_due", "\"not a date\"", "client_due", "datetime")]
    [InlineData("task", "Shot", "plate_format", "[\"tiff\"]", "plate_format", "\"exr\"")]
    [InlineData("task", "Shot", "plate_format", "[\"exr\", \"dpx\"]", "plate_format", "multiSelect")]
    [InlineData("task", "Shot", "plate_format", "{\"a\": 1}", "enumerator", "object")]
    public async Task AValueOfTheWrongKindIsAValidationErrorNamingTheKeyAndTheType(string entityType, string? objectType, string key, string json, string namesType, string namesGiven)
    {
        var entity = await IdAsync(entityType switch
        {
            "assetversion" => "AssetVersion where version is 1",
            _ when objectType == "Task" => "Task where name is compositing",
            _ => "Shot where name is SQ010_SH030",
        });
        var type = entityType == "assetversion" ? "AssetVersionCustomAttributeValue" : "ContextCustomAttributeValue";
        var error = await RefusedAsync(SetValue(type, Configuration(entityType, objectType, key), entity, JsonNode.Parse(json)));
        Assert.Equal("ValidationError", (string)error["exception"]!);
        var content = (string)error["content"]!;
        Assert.Contains($"\"{key}\"", content);
        Assert.Contains(namesType, content);
        Assert.Contains(namesGiven, content);
    }

    [Fact]
    public async Task ValuesOfEveryTypeAreKeptAsTheirJson()
    {
        var shot = await IdAsync("Shot where name is SQ010_SH040");
        var answer = await _server.CallAsync(
            SetValue("ContextCustomAttributeValue", Configuration("task", "Shot", "fps"), shot, 23.976),
            SetValue("ContextCustomAttributeValue", Configuration("task", "Shot", "plate_format"), shot, "dpx"),
            SetValue("ContextCustomAttributeValue", Configuration("task", "Shot", "client_due"), shot, new Dictionary<string, string> { ["__type__"] = "datetime", ["value"] = "2026-05-04T10:30:00+02:00" }),
            SetValue("ContextCustomAttributeValue", Configuration("task", "Shot", "fend"), shot, null));
        Assert.IsType<JsonArray>(answer.Body);
        var values = await ValuesAsync("Shot", shot);
        Assert.Equal(23.976, (double)values["fps"]!);
        Assert.Equal(["dpx"], values["plate_format"]!.AsArray().Select(v => (string)v!));
        Assert.Equal("datetime", (string)values["client_due"]!["__type__"]!);
        Assert.Equal("2026-05-04T08:30:00", (string)values["client_due"]!["value"]!);
        // An explicit null is a value of its own, not the default.
        Assert.Null(values["fend"]);
    }

    [Fact]
    public async Task AnAttributeAppliesOnlyToItsEntityTypeObjectTypeAndProject()
    {
        var task = await IdAsync("Task where name is compositing");
        var error = await RefusedAsync(SetValue("ContextCustomAttributeValue", Configuration("task", "Shot", "fstart"), task, 1001));
        Assert.Equal("ValidationError", (string)error["exception"]!);
        Assert.Contains("does not apply", (string)error["content"]!);
        // A user value is not a context value.
        var user = await IdAsync("User where username is \"jane.doe\"");
        Assert.Contains("does not apply", (string)(await RefusedAsync(SetValue("ContextCustomAttributeValue", Configuration("user", null, "department"), user, "FX")))["content"]!);
        Assert.IsType<JsonArray>((await _server.CallAsync(SetValue("UserCustomAttributeValue", Configuration("user", null, "department"), user, "FX"))).Body);

        // A project-specific configuration is for that project's entities only.
        var sintel = await IdAsync("Project where name is sintel_redux");
        var scoped = Guid.NewGuid().ToString();
        Assert.IsType<JsonArray>((await _server.CallAsync(TestServer.Create("CustomAttributeConfiguration", new
        {
            id = scoped, key = "vendor", label = "Vendor", type_id = SeedData.CustomAttributeTypeId("text"), entity_type = "task",
            object_type_id = "bad911de-3bd6-47b9-8b46-3476e237cb36", project_id = sintel,
        }))).Body);
        Assert.Contains("vendor", (await ValuesAsync("Shot", await IdAsync("Shot where name is SQ010_SH010"))).Keys);
        Assert.DoesNotContain("vendor", (await ValuesAsync("Shot", await IdAsync("Shot where name is SC01_SH010"))).Keys);
        Assert.Contains("does not apply", (string)(await RefusedAsync(SetValue("ContextCustomAttributeValue", scoped, await IdAsync("Shot where name is SC01_SH010"), "x")))["content"]!);
    }

    [Fact]
    public async Task QueriesProjectAndFilterValuesAsNumbersTextBooleansDatesAndChoices()
    {
        async Task<List<string>> NamesAsync(string query) => (await _server.QueryAsync(query)).Select(r => (string)r!["name"]!).Order().ToList();
        Assert.Equal(["SQ010_SH010", "SQ010_SH020", "SQ020_SH010"], await NamesAsync("select name from Shot where custom_attributes any (key is \"fstart\" and value > 1000) and custom_attributes any (key is \"fend\" and value != 1100)"));
        Assert.Equal(["SQ020_SH010"], await NamesAsync("select name from Shot where custom_attributes any (key is \"fstart\" and value >= 1009)"));
        Assert.Equal(["SC01_SH010"], await NamesAsync("select name from Shot where custom_attributes any (key is \"plate_format\" and value is \"mov\")"));
        Assert.Equal(["SC01_SH010"], await NamesAsync("select name from Shot where custom_attributes any (key is \"client_due\" and value after \"2026-02-01\")"));
        Assert.Equal(4, (await _server.QueryAsync("AssetVersion where custom_attributes any (key is \"delivered\" and value is true)")).Count);
        Assert.Equal(["spring_commercial"], await NamesAsync("select name from Project where custom_attributes any (key is \"fps\" and value in (25, 30))"));
        // Nested paths: the parent's values, and a filter through configuration.
        var nested = await _server.QueryExpandedAsync("select parent.custom_attributes from Task where parent.name is SC01_SH010 and name is compositing");
        Assert.Contains(nested[0]!["parent"]!["custom_attributes"]!.AsArray(), v => (string)v!["key"]! == "fps" && (int)v!["value"]! == 25);
        Assert.Equal((await _server.QueryAsync("Shot")).Count, (await _server.QueryAsync("Shot where custom_attributes.configuration.key is \"handles\"")).Count);
        // CustomAttributeValue itself, by its configuration's key.
        var stored = await _server.QueryAsync("select value, entity_id from CustomAttributeValue where configuration.key is \"fend\" and value is 1148");
        Assert.Single(stored);
        Assert.Equal("ContextCustomAttributeValue", (string)stored[0]!["__entity_type__"]!);
    }

    [Fact]
    public async Task ChangingADefaultKeepsTheValuesOfEntitiesThatExistAlready()
    {
        var fps = Configuration("task", "Shot", "fps");
        var shot = await IdAsync("Shot where name is SQ010_SH030");
        Assert.IsType<JsonArray>((await _server.CallAsync(TestServer.Update("CustomAttributeConfiguration", fps, new { @default = 30 }))).Body);
        Assert.Equal(24, (int)(await ValuesAsync("Shot", shot))["fps"]!);
        var created = Guid.NewGuid().ToString();
        await _server.CallAsync(TestServer.Create("Shot", new { id = created, name = "SQ010_SH900", parent_id = await IdAsync("Sequence where name is SQ010") }));
        Assert.Equal(30, (int)(await ValuesAsync("Shot", created))["fps"]!);
    }

    [Fact]
    public async Task ConfigurationsFollowFtracksRules()
    {
        var text = SeedData.CustomAttributeTypeId("text");
        var number = SeedData.CustomAttributeTypeId("number");
        async Task<JsonObject> CreateRefusedAsync(object data) => await RefusedAsync(TestServer.Create("CustomAttributeConfiguration", data));
        Assert.Contains("entity_type", (string)(await CreateRefusedAsync(new { key = "a", label = "A", type_id = text, entity_type = "shot" }))["content"]!);
        Assert.Contains("object_type_id", (string)(await CreateRefusedAsync(new { key = "a", label = "A", type_id = text, entity_type = "task" }))["content"]!);
        Assert.Contains("project_id", (string)(await CreateRefusedAsync(new { key = "a", label = "A", type_id = text, entity_type = "user", project_id = await IdAsync("Project where name is sintel_redux") }))["content"]!);
        Assert.Contains("\"label\"", (string)(await CreateRefusedAsync(new { key = "a", type_id = text, entity_type = "show" }))["content"]!);
        Assert.Contains("must be of type number", (string)(await CreateRefusedAsync(new { key = "a", label = "A", type_id = number, entity_type = "show", @default = "many" }))["content"]!);
        Assert.Contains("data", (string)(await CreateRefusedAsync(new { key = "a", label = "A", type_id = SeedData.CustomAttributeTypeId("enumerator"), entity_type = "show", config = "{}" }))["content"]!);
        var duplicate = await CreateRefusedAsync(new { key = "fps", label = "FPS", type_id = number, entity_type = "show" });
        Assert.Equal("DuplicateEntryError", (string)duplicate["exception"]!);

        // Documented defaults: no config needed, "" is no default for a number.
        var created = await _server.CallAsync(TestServer.Create("CustomAttributeConfiguration", new { key = "shots_due", label = "Shots due", type_id = number, entity_type = "show", @default = "" }));
        var configuration = created.Results[0]!["data"]!.AsObject();
        Assert.Equal("{}", (string)configuration["config"]!);
        Assert.Null((await ValuesAsync("Project", await IdAsync("Project where name is sintel_redux")))["shots_due"]);

        // What it applies to is fixed; a project-specific one may become global only.
        var id = (string)configuration["id"]!;
        Assert.Contains("cannot be changed", (string)(await RefusedAsync(TestServer.Update("CustomAttributeConfiguration", id, new { entity_type = "assetversion" })))["content"]!);
        Assert.Contains("cannot be changed", (string)(await RefusedAsync(TestServer.Update("CustomAttributeConfiguration", id, new { type_id = text })))["content"]!);
        Assert.Contains("global", (string)(await RefusedAsync(TestServer.Update("CustomAttributeConfiguration", id, new { project_id = await IdAsync("Project where name is sintel_redux") })))["content"]!);
        Assert.IsType<JsonArray>((await _server.CallAsync(TestServer.Update("CustomAttributeConfiguration", id, new { label = "Shots due (all)", key = "shots_due_all" }))).Body);
        Assert.Contains("shots_due_all", (await ValuesAsync("Project", await IdAsync("Project where name is sintel_redux"))).Keys);
    }

    [Fact]
    public async Task DeletingAConfigurationOrAnEntityTakesItsValuesAlong()
    {
        var shot = await IdAsync("Shot where name is SQ010_SH010");
        await _server.CallAsync(TestServer.Delete("CustomAttributeConfiguration", Configuration("task", "Shot", "fstart")));
        Assert.DoesNotContain("fstart", (await ValuesAsync("Shot", shot)).Keys);
        Assert.Empty(await _server.QueryAsync("CustomAttributeValue where configuration.key is fstart"));

        var handles = Configuration("show", null, "handles");
        var sequence = await IdAsync("Sequence where name is SQ020");
        await _server.CallAsync(TestServer.Delete("Sequence", sequence));
        // A sequence created again under the same id inherits the project's value, not the deleted one's.
        await _server.CallAsync(TestServer.Create("Sequence", new { id = sequence, name = "SQ020", parent_id = await IdAsync("Project where name is sintel_redux") }));
        Assert.Equal(8, (int)(await ValuesAsync("Sequence", sequence))["handles"]!);
        Assert.Empty(await _server.QueryAsync($"CustomAttributeValue where configuration_id is \"{handles}\" and entity_id is \"{SeedData.IdOf($"context:{sequence}:SQ020_SH010")}\""));
    }
}
