using System.Text.Json.Nodes;
using Ftrack.Server.Schema;

namespace Ftrack.Server.Tests;

public sealed class SchemaTests : IClassFixture<DemoServerFixture>
{
    private readonly TestServer _server;

    public SchemaTests(DemoServerFixture fixture) => _server = fixture.Server;

    private static JsonNode Fixture(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)))!;

    [Fact]
    public async Task EveryServedSchemaEqualsTheRecordedOne()
    {
        var recorded = Fixture("query_schemas.json").AsArray().ToDictionary(s => (string)s!["id"]!, s => s!);
        var answer = await _server.CallAsync(new { action = "query_schemas" });
        var served = answer.Results[0]!.AsArray();
        Assert.NotEmpty(served);
        foreach (var schema in served)
        {
            var id = (string)schema!["id"]!;
            Assert.True(recorded.ContainsKey(id), $"{id} is not a recorded schema");
            Assert.True(JsonNode.DeepEquals(recorded[id], schema), $"served schema {id} differs from the recorded one");
        }
    }

    [Fact]
    public async Task TheRequiredTypesAreServed()
    {
        var answer = await _server.CallAsync(new { action = "query_schemas" });
        var ids = answer.Results[0]!.AsArray().Select(s => (string)s!["id"]!).ToHashSet();
        string[] required =
        [
            "Project", "ProjectSchema", "ObjectType", "Context", "TypedContext", "Folder", "Episode", "Sequence", "Shot", "AssetBuild",
            "Task", "Milestone", "Status", "State", "Type", "Priority", "User", "Asset", "AssetType", "AssetVersion", "Component",
            "FileComponent", "Location", "ComponentLocation", "Note", "NoteCategory", "NoteLabel", "Timelog", "Appointment", "Metadata",
            "WorkflowSchema", "TaskTypeSchema", "Recipient", "Timer", "Job", "Scope", "List", "TypedContextList", "AssetVersionList",
            "ListObject", "ListCategory", "SequenceComponent", "CustomAttributeConfiguration", "CustomAttributeType", "CustomAttributeGroup",
            "CustomAttributeValue", "ContextCustomAttributeValue", "CustomAttributeLink", "CustomAttributeLinkConfiguration", "NoteLabelLink",
            "Schema", "SchemaStatus", "SchemaType", "ProjectSchemaOverride",
        ];
        Assert.Equal(Array.Empty<string>(), required.Where(r => !ids.Contains(r)).ToArray());
    }

    [Fact]
    public async Task ServerInformationHasTheRecordedShapeAndHashesTheServedSchemas()
    {
        var answer = await _server.CallAsync(new { action = "query_server_information" }, new { action = "query_schemas" });
        var information = answer.Results[0]!.AsObject();
        foreach (var (key, _) in Fixture("query_server_information.json").AsObject())
            Assert.True(information.ContainsKey(key), $"server information lacks {key}");
        Assert.True((bool)information["is_timezone_support_enabled"]!);
        Assert.Equal("ftrack.automatic", (string)information["storage_scenario"]!["scenario"]!);
        Assert.Equal(ServedSchemas.ComputeHash(ServedSchemas.Instance.Json), (string)information["schema_hash"]!);
        Assert.Matches("^[0-9a-f]{32}$", (string)information["schema_hash"]!);
    }

    /// <summary>Every attribute of every served type can be projected and every stored one filtered, without a server error.</summary>
    [Fact]
    public async Task EveryAttributeOfEveryServedTypeCanBeProjected()
    {
        var model = ModelBuilder.Build(ServedSchemas.Instance.Schemas);
        var failures = new List<string>();
        foreach (var type in model.Types.Values)
        {
            var attributes = type.Attributes.Keys.ToList();
            var answer = await _server.CallAsync(new { action = "query", expression = $"select {string.Join(", ", attributes)} from {type.Name} limit 3" });
            if (answer.Body is JsonObject error)
                failures.Add($"{type.Name}: {error.ToJsonString()}");
            foreach (var attribute in type.Attributes.Values.Where(a => a.Kind is AttributeKind.Scalar or AttributeKind.Reference))
            {
                var filtered = await _server.CallAsync(new { action = "query", expression = $"select {type.PrimaryKey[0]} from {type.Name} where {attribute.Name} is_not None limit 1" });
                if (filtered.Body is JsonObject filterError)
                    failures.Add($"{type.Name}.{attribute.Name}: {filterError.ToJsonString()}");
            }
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task TheSchemaHashIsTheHashOfTheSchemasServed()
    {
        // Clients cache schemas by schema_hash: it must be a function of exactly what query_schemas
        // returns, so any change to the served schemas gives a new hash and a fresh download.
        var answer = await _server.CallAsync(new { action = "query_server_information" }, new { action = "query_schemas" });
        var hash = (string)answer.Results[0]!["schema_hash"]!;
        var served = answer.Results[1]!.ToJsonString();
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(served))), hash);
        // And not a constant: one schema fewer is another hash.
        var fewer = answer.Results[1]!.AsArray().Skip(1).Select(n => n!.DeepClone()).ToArray();
        Assert.NotEqual(hash, ServedSchemas.ComputeHash(new JsonArray(fewer).ToJsonString()));
    }

    [Fact]
    public void TypedContextsShareTheContextTableAndAreClassifiedByObjectType()
    {
        var model = ModelBuilder.Build(ServedSchemas.Instance.Schemas);
        foreach (var name in new[] { "Project", "Folder", "Episode", "Sequence", "Shot", "AssetBuild", "Task", "Milestone" })
        {
            Assert.Equal("context", model.Types[name].Table.Name);
            Assert.Contains("Context", model.Types[name].Lineage);
        }
        Assert.Contains(("object_type_id", "bad911de-3bd6-47b9-8b46-3476e237cb36"), model.Types["Shot"].Classifiers);
        // Collections are followed through the member's reference back: Asset.versions via AssetVersion.asset_id.
        Assert.Equal("asset_id", model.Types["Asset"].Attributes["versions"].TargetColumn);
        Assert.Equal(AttributeKind.Reference, model.Types["Status"].Attributes["state"].Kind);
    }
}
