using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Ftrack.Server.Schema;

/// <summary>
/// The entity schemas this server serves: a subset of the schemas a real ftrack server
/// recorded, copied verbatim so clients build the same classes they would against ftrack.
/// </summary>
internal sealed class ServedSchemas
{
    /// <summary>The entity types served, in the order query_schemas returns them.</summary>
    public static readonly IReadOnlyList<string> TypeNames =
    [
        "Context", "TypedContext", "Project", "Folder", "Episode", "Sequence", "Shot", "AssetBuild",
        "Task", "Milestone", "ProjectSchema", "ProjectSchemaObjectType", "ProjectSchemaOverride", "Schema", "SchemaStatus",
        "SchemaType", "ObjectType", "Status", "State", "Type", "Priority", "WorkflowSchema", "WorkflowSchemaStatus",
        "TaskTypeSchema", "TaskTypeSchemaType", "Resource", "User", "UserType", "SecurityRole", "Asset", "AssetType",
        "AssetVersion", "AssetVersionLink", "TypedContextLink", "Component", "FileComponent", "ContainerComponent",
        "SequenceComponent", "Location", "ComponentLocation", "Note", "NoteCategory", "NoteLabel", "NoteLabelLink",
        "NoteComponent", "Recipient", "Timelog", "Timer", "Appointment", "Metadata", "Job", "JobComponent", "Scope",
        "List", "TypedContextList", "AssetVersionList", "ListObject", "ListCategory",
        "CustomAttributeConfiguration", "CustomAttributeType", "CustomAttributeGroup", "CustomAttributeValue",
        "ContextCustomAttributeValue", "AssetVersionCustomAttributeValue", "AssetCustomAttributeValue",
        "UserCustomAttributeValue", "ListCustomAttributeValue", "CustomAttributeLinkConfiguration",
        "CustomAttributeLink", "CustomAttributeLinkFrom",
    ];

    private static readonly Lazy<ServedSchemas> LazyInstance = new(Load);

    public static ServedSchemas Instance => LazyInstance.Value;

    private ServedSchemas(IReadOnlyList<JsonObject> schemas, string json)
    {
        Schemas = schemas;
        Json = json;
        // A hash of exactly what query_schemas returns: it changes whenever the served schemas do.
        Hash = ComputeHash(json);
    }

    /// <summary>MD5 hex of the serialized schemas, the same form as a real server's schema_hash.</summary>
    public static string ComputeHash(string json) => Convert.ToHexString(MD5.HashData(System.Text.Encoding.UTF8.GetBytes(json))).ToLowerInvariant();

    public IReadOnlyList<JsonObject> Schemas { get; }

    /// <summary>The query_schemas result, serialized once.</summary>
    public string Json { get; }

    public string Hash { get; }

    /// <summary>Every schema the real server recorded (116 types), keyed by type name.</summary>
    public static IReadOnlyDictionary<string, JsonObject> LoadRecorded()
    {
        using var stream = typeof(ServedSchemas).Assembly.GetManifestResourceStream("Ftrack.Server.recorded-schemas.json")
            ?? throw new InvalidOperationException("The recorded schemas resource is missing from the assembly.");
        var array = JsonNode.Parse(stream)!.AsArray();
        return array.Select(n => n!.AsObject()).ToDictionary(o => (string)o["id"]!, o => o);
    }

    private static ServedSchemas Load()
    {
        var recorded = LoadRecorded();
        var served = TypeNames.Select(name => recorded[name]).ToList();
        var array = new JsonArray(served.Select(s => (JsonNode)s.DeepClone()).ToArray());
        return new ServedSchemas(served, array.ToJsonString());
    }
}
