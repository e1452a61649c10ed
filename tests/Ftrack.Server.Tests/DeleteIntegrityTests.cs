using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Tests;

/// <summary>
/// Deleting any kind of entity leaves no reference dangling (issue #10 item 11): whatever is
/// deleted, refused, cascaded or cleared, afterwards every foreign key the schemas declare
/// names an entity that exists. The foreign keys come from the recorded schemas (an oracle
/// independent of the server's own model), and are read back through queries.
/// </summary>
public sealed partial class DeleteIntegrityTests : IAsyncLifetime
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("ftrack-server-delete");
    private TestServer _server = null!;

    private string DatabasePath => Path.Combine(_directory.FullName, "studio.db");

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(SeedKind.Demo, DatabasePath);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    [GeneratedRegex(@"^Foreign key\(s\): (?<type>\w+)\.")]
    private static partial Regex ForeignKeyDescription();

    /// <summary>(type, attribute, referenced type) for every foreign key of the served schemas to a served type.</summary>
    private static IEnumerable<(string Type, string Attribute, string Target)> ForeignKeys()
    {
        var served = ServedSchemas.Instance.Schemas.ToDictionary(s => (string)s["id"]!);
        foreach (var (type, schema) in served)
        {
            foreach (var (attribute, property) in schema["properties"]!.AsObject())
            {
                if ((string?)property!["format"] != "foreign_key" || attribute == "id")
                    continue;
                var match = ForeignKeyDescription().Match((string?)property["description"] ?? "");
                if (match.Success && served.ContainsKey(match.Groups["type"].Value))
                    yield return (type, attribute, match.Groups["type"].Value);
            }
        }
    }

    /// <summary>Every foreign key value in the database, with the entity holding it.</summary>
    private async Task<List<(string Type, string Attribute, string Target, string Holder, string Value)>> ReferencesAsync()
    {
        var references = new List<(string, string, string, string, string)>();
        foreach (var (type, attribute, target) in ForeignKeys())
            foreach (var row in await _server.QueryAsync($"select {attribute} from {type}"))
                if ((string?)row![attribute] is { } value)
                    references.Add((type, attribute, target, row.ToJsonString(), value));
        return references;
    }

    private async Task<HashSet<string>> IdsAsync(string type) =>
        (await _server.QueryAsync($"select id from {type}")).Select(r => (string)r!["id"]!).ToHashSet();

    private async Task AssertNothingDanglesAsync(string deleted)
    {
        var ids = new Dictionary<string, HashSet<string>>();
        foreach (var reference in await ReferencesAsync())
        {
            if (!ids.TryGetValue(reference.Target, out var existing))
                ids[reference.Target] = existing = await IdsAsync(reference.Target);
            Assert.True(existing.Contains(reference.Value),
                $"after deleting {deleted}: {reference.Type}.{reference.Attribute} of {reference.Holder} names {reference.Target} {reference.Value}, which does not exist");
        }
        // Notes and metadata hang on an entity of any type.
        var everything = new HashSet<string>();
        foreach (var type in ServedSchemas.TypeNames.Where(t => ServedSchemas.Instance.Schemas.First(s => (string)s["id"]! == t)["primary_key"]!.AsArray().Select(k => (string)k!).SequenceEqual(["id"])))
            everything.UnionWith(await IdsAsync(type));
        foreach (var type in new[] { "Note", "Metadata" })
            foreach (var row in await _server.QueryAsync($"select parent_id, parent_type from {type}"))
                Assert.True(everything.Contains((string)row!["parent_id"]!), $"after deleting {deleted}: {type} {row.ToJsonString()} hangs on an entity that does not exist");
        await ContextIntegrity.AssertConsistentAsync(_server);
        // The closure table is not visible through queries (joins hide dangling rows): read the file.
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {Database.ClosureTable} WHERE ancestor_id NOT IN (SELECT id FROM context) OR descendant_id NOT IN (SELECT id FROM context)";
        Assert.Equal(0L, (long)command.ExecuteScalar()!);
    }

    /// <summary>
    /// References the Demo seed lacks (thumbnails, a container component, a completed and labelled
    /// note, metadata on a task), and of the kinds the seed uses everywhere one more that nothing
    /// requires: a project schema, an object type and a user who only logged time.
    /// </summary>
    private async Task AddReferencesAsync()
    {
        var version = (await _server.QueryAsync("select id, task_id from AssetVersion where task_id is_not None limit 1"))[0]!;
        var versionId = (string)version["id"]!;
        var component = (string)(await _server.QueryAsync($"select id from FileComponent where version_id is \"{versionId}\""))[0]!["id"]!;
        var container = Guid.NewGuid().ToString();
        var shot = (string)(await _server.QueryAsync("select id from Shot where name is SQ020_SH010"))[0]!["id"]!;
        var user = (string)(await _server.QueryAsync("select id from User where username is \"jane.doe\""))[0]!["id"]!;
        var note = (string)(await _server.QueryAsync("select id from Note limit 1"))[0]!["id"]!;
        var spareSchema = Guid.NewGuid().ToString();
        var spareObjectType = Guid.NewGuid().ToString();
        var spareUser = Guid.NewGuid().ToString();
        var answer = await _server.CallAsync(
            TestServer.Create("ContainerComponent", new { id = container, name = "sequence", version_id = versionId }),
            TestServer.Create("FileComponent", new { name = "frame", version_id = versionId, container_id = container }),
            TestServer.Update("Shot", shot, new { thumbnail_id = component }),
            TestServer.Update("Project", (string)(await _server.QueryAsync("select id from Project limit 1"))[0]!["id"]!, new { thumbnail_id = component }),
            TestServer.Update("User", user, new { thumbnail_id = component }),
            TestServer.Update("AssetVersion", versionId, new { thumbnail_id = component }),
            TestServer.Update("Note", note, new { completed_by_id = user }),
            new { action = "create", entity_type = "NoteLabelLink", entity_data = new Dictionary<string, object> { ["__entity_type__"] = "NoteLabelLink", ["note_id"] = note, ["label_id"] = SeedData.IdOf("notelabel:Retake") } },
            TestServer.Create("Metadata", new { parent_id = (string)version["task_id"]!, parent_type = "Task", key = "frames", value = "1001-1100" }),
            TestServer.Create("ProjectSchema", new { id = spareSchema, name = "Spare" }),
            TestServer.Create("ObjectType", new { id = spareObjectType, name = "Spare", is_leaf = true }),
            TestServer.Create("User", new { id = spareUser, username = "spare", user_type_id = SeedData.NormalUserTypeId }),
            TestServer.Create("Timelog", new { user_id = spareUser, context_id = (string)version["task_id"]!, start = "2026-03-01T10:00:00", duration = 600 }),
            new { action = "create", entity_type = "ProjectSchemaObjectType", entity_data = new Dictionary<string, object> { ["__entity_type__"] = "ProjectSchemaObjectType", ["project_schema_id"] = spareSchema, ["object_type_id"] = spareObjectType } });
        Assert.IsType<JsonArray>(answer.Body);
    }

    [Theory]
    [InlineData("Project")]
    [InlineData("Folder")]
    [InlineData("Episode")]
    [InlineData("Sequence")]
    [InlineData("Shot")]
    [InlineData("AssetBuild")]
    [InlineData("Task")]
    [InlineData("Milestone")]
    [InlineData("ProjectSchema")]
    [InlineData("ObjectType")]
    [InlineData("Status")]
    [InlineData("State")]
    [InlineData("Type")]
    [InlineData("Priority")]
    [InlineData("WorkflowSchema")]
    [InlineData("TaskTypeSchema")]
    [InlineData("User")]
    [InlineData("UserType")]
    [InlineData("Asset")]
    [InlineData("AssetType")]
    [InlineData("AssetVersion")]
    [InlineData("FileComponent")]
    [InlineData("ContainerComponent")]
    [InlineData("Location")]
    [InlineData("ComponentLocation")]
    [InlineData("Note")]
    [InlineData("NoteCategory")]
    [InlineData("NoteLabel")]
    [InlineData("Timelog")]
    [InlineData("Appointment")]
    [InlineData("CustomAttributeConfiguration")]
    [InlineData("CustomAttributeType")]
    [InlineData("CustomAttributeGroup")]
    [InlineData("TypedContextList")]
    [InlineData("AssetVersionList")]
    [InlineData("ListObject")]
    [InlineData("ListCategory")]
    [InlineData("SecurityRole")]
    [InlineData("Schema")]
    [InlineData("ProjectSchemaOverride")]
    public async Task DeletingAnyKindOfEntityLeavesNoReferenceDangling(string type)
    {
        await AddReferencesAsync();
        await AssertNothingDanglesAsync("nothing");
        // The most referenced entities of the type exercise refusals, cascades and clearing; the
        // least referenced one shows the kind can be deleted at all.
        var referenced = (await ReferencesAsync()).Where(r => r.Target == type || (type.EndsWith("Component") && r.Target == "Component")).GroupBy(r => r.Value).ToDictionary(g => g.Key, g => g.Count());
        var byReferences = (await IdsAsync(type)).OrderByDescending(id => referenced.GetValueOrDefault(id)).ThenBy(id => id).ToList();
        var candidates = byReferences.Take(3).Append(byReferences[^1]).Distinct().ToList();
        Assert.NotEmpty(candidates);
        var deleted = 0;
        foreach (var id in candidates)
        {
            var answer = await _server.CallAsync(TestServer.Delete(type, id));
            if (answer.Body is JsonObject error)
            {
                // Refused because something still needs it, or gone with an earlier candidate.
                Assert.True((string)error["exception"]! is "ValidationError" or "NoResultFoundError", error.ToJsonString());
                if ((string)error["exception"]! == "ValidationError")
                {
                    Assert.Contains("cannot be deleted", (string)error["content"]!);
                    Assert.Contains(id, await IdsAsync(type));
                }
            }
            else
            {
                deleted++;
                Assert.DoesNotContain(id, await IdsAsync(type));
            }
            await AssertNothingDanglesAsync($"{type} {id}");
        }
        // Every kind can be deleted when nothing requires it.
        Assert.True(deleted > 0, $"no {type} could be deleted");
    }

    /// <summary>The brief's case: a task's versions stay, without a task, as ftrack leaves them.</summary>
    [Fact]
    public async Task DeletingATaskClearsTheTaskOfItsVersions()
    {
        var version = (await _server.QueryAsync("select id, task_id, asset_id from AssetVersion where task_id is_not None limit 1"))[0]!;
        var task = (string)version["task_id"]!;
        var versions = (await _server.QueryAsync($"select id from AssetVersion where task_id is \"{task}\"")).Select(v => (string)v!["id"]!).ToList();
        Assert.IsType<JsonArray>((await _server.CallAsync(TestServer.Delete("Task", task))).Body);
        var after = await _server.QueryExpandedAsync($"select task_id, task.name from AssetVersion where id in ({string.Join(", ", versions.Select(v => $"\"{v}\""))})");
        Assert.Equal(versions.Count, after.Count);
        Assert.All(after, v => Assert.Null(v!["task_id"]));
        await AssertNothingDanglesAsync("Task " + task);
    }

    /// <summary>Link rows have no reference attributes, only key columns: those must name existing entities too.</summary>
    [Fact]
    public async Task ALinkRowNamingAMissingEntityIsRefused()
    {
        var missing = Guid.NewGuid().ToString();
        var answer = await _server.CallAsync(new
        {
            action = "create", entity_type = "WorkflowSchemaStatus",
            entity_data = new Dictionary<string, object> { ["__entity_type__"] = "WorkflowSchemaStatus", ["workflow_schema_id"] = SeedData.IdOf("workflow:task"), ["status_id"] = missing },
        });
        Assert.Equal("ValidationError", (string)answer.Error["exception"]!);
        Assert.Contains("\"status_id\"", (string)answer.Error["content"]!);
        Assert.Contains(missing, (string)answer.Error["content"]!);
        await AssertNothingDanglesAsync("nothing");
    }
}
