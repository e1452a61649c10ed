using System.Collections.Generic;
using System.Text.Json;
using Ftrack.Server.Api;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Operations;

/// <summary>
/// The rules of CustomAttributeConfiguration beyond its schema, as ftrack's documentation gives
/// them: <c>entity_type</c> is one of ftrack's legacy names (task needs an object type, user is
/// global), the type and default fit each other, the config is JSON (an enumerator's lists its
/// choices), a key is unique for what it applies to, and what a configuration applies to never
/// changes afterwards (a project-specific one may become global, not the reverse). Changing the
/// default leaves existing entities their value, as ftrack's "only affects newly created entities".
/// </summary>
internal sealed class CustomAttributeConfigurations
{
    /// <summary>task: typed contexts of one object type; show: projects.</summary>
    private static readonly string[] EntityTypes = ["task", "show", "assetversion", "asset", "user", "list"];

    private readonly PreparedCommands _commands;

    public CustomAttributeConfigurations(PreparedCommands commands) => _commands = commands;

    public void CheckCreate(Dictionary<string, object?> values)
    {
        foreach (var required in new[] { "key", "label", "type_id", "entity_type" })
            if (values.GetValueOrDefault(required) is not string { Length: > 0 })
                throw FtrackError.Validation($"Missing required attribute \"{required}\" for CustomAttributeConfiguration.");
        var entityType = (string)values["entity_type"]!;
        if (!System.Array.Exists(EntityTypes, e => e == entityType))
            throw FtrackError.Validation($"Attribute \"entity_type\" of CustomAttributeConfiguration must be one of {string.Join(", ", EntityTypes)}, not \"{FtrackError.Shorten(entityType)}\".");
        var objectType = values.GetValueOrDefault("object_type_id") as string;
        if (entityType == "task" && objectType == null)
            throw FtrackError.Validation("A CustomAttributeConfiguration with entity_type \"task\" needs \"object_type_id\": the object type (Shot, Task, ...) it applies to.");
        if (entityType != "task" && objectType != null)
            throw FtrackError.Validation($"Attribute \"object_type_id\" of CustomAttributeConfiguration is for entity_type \"task\" only, not \"{entityType}\".");
        if (objectType != null && !Exists("object_type", objectType))
            throw FtrackError.Validation($"Attribute \"object_type_id\" of CustomAttributeConfiguration references ObjectType {objectType}, which does not exist.");
        var project = values.GetValueOrDefault("project_id") as string;
        if (entityType == "user" && project != null)
            throw FtrackError.Validation("A CustomAttributeConfiguration for users is global: \"project_id\" must be null.");
        if (project != null && _commands.Get("SELECT EXISTS (SELECT 1 FROM context WHERE id = $0 AND context_type = 'show')", project).ExecuteScalar() is not (long and 1))
            throw FtrackError.Validation($"Attribute \"project_id\" of CustomAttributeConfiguration references Project {project}, which does not exist.");
        if (values.GetValueOrDefault("is_hierarchical") is long and 1 && entityType is "user" or "list")
            throw FtrackError.Validation($"A hierarchical CustomAttributeConfiguration applies down the project tree: not to entity_type \"{entityType}\".");
        Normalize(values, (string)values["key"]!, TypeName((string)values["type_id"]!), values);
        RefuseDuplicateKey((string)values["id"]!, (string)values["key"]!, entityType, objectType, project);
    }

    /// <summary>Checks an update before it is written (<paramref name="values"/> holds the changed columns).</summary>
    public void CheckUpdate(string id, Dictionary<string, object?> values)
    {
        var stored = Stored(id);
        foreach (var column in new[] { "entity_type", "object_type_id", "type_id", "is_hierarchical" })
            if (values.TryGetValue(column, out var value) && !Equals(value, stored[column]))
                throw FtrackError.Validation($"Attribute \"{column}\" of CustomAttributeConfiguration cannot be changed once it is created.");
        if (values.TryGetValue("project_id", out var project) && !Equals(project, stored["project_id"]) && project != null)
            throw FtrackError.Validation("A CustomAttributeConfiguration can only become global (project_id null): moving it to a project is not allowed.");
        var key = values.GetValueOrDefault("key") as string ?? (string)stored["key"]!;
        if (values.ContainsKey("key") && key.Length == 0)
            throw FtrackError.Validation("Attribute \"key\" of CustomAttributeConfiguration cannot be empty.");
        Normalize(values, key, TypeName((string)stored["type_id"]!), stored);
        if (values.ContainsKey("key") || values.ContainsKey("project_id"))
            RefuseDuplicateKey(id, key, (string)stored["entity_type"]!, stored["object_type_id"] as string, values.TryGetValue("project_id", out var p) ? p as string : stored["project_id"] as string);
        if (values.ContainsKey("default") && !Equals(values["default"], stored["default"]) && stored["is_hierarchical"] is not (long and 1))
        {
            // Entities that exist keep the value they have now: write the old default down for them.
            _commands.Get($"INSERT OR IGNORE INTO {CustomAttributeStore.StoreTable} (configuration_id, entity_id, value) SELECT configuration_id, entity_id, COALESCE(value, 'null') FROM {CustomAttributeStore.ValueView} WHERE configuration_id = $0", id).ExecuteNonQuery();
        }
    }

    /// <summary>The config is a JSON object (an enumerator's has its choices); the default fits the type ("" is none).</summary>
    private static void Normalize(Dictionary<string, object?> values, string key, string? typeName, Dictionary<string, object?> current)
    {
        var config = values.TryGetValue("config", out var given) ? given as string : current.GetValueOrDefault("config") as string;
        if (values.ContainsKey("config"))
        {
            try
            {
                using var document = JsonDocument.Parse(config ?? "");
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw new JsonException();
            }
            catch (JsonException)
            {
                throw FtrackError.Validation("Attribute \"config\" of CustomAttributeConfiguration must be a JSON object, such as \"{}\".");
            }
            if (typeName == "enumerator")
                CustomAttributeTypes.EnumeratorConfig(config);
        }
        if (values.TryGetValue("default", out var raw) && raw is string json)
        {
            using var document = JsonDocument.Parse(json);
            var element = document.RootElement;
            values["default"] = element.ValueKind == JsonValueKind.Null || (element.ValueKind == JsonValueKind.String && element.GetString() == "" && typeName != "text")
                ? null
                : CustomAttributeTypes.Normalize(key, typeName, config, element);
        }
    }

    /// <summary>A key names one attribute of whatever it applies to (ftrack: "unique to entity type").</summary>
    private void RefuseDuplicateKey(string id, string key, string entityType, string? objectType, string? project)
    {
        var duplicate = _commands.Get(
            "SELECT id FROM custom_attribute_configuration WHERE \"key\" = $0 AND entity_type = $1 AND object_type_id IS $2 AND id != $3 AND (project_id IS NULL OR $4 IS NULL OR project_id = $4) LIMIT 1",
            key, entityType, objectType, id, project).ExecuteScalar();
        if (duplicate is string other)
            throw new FtrackError("DuplicateEntryError", $"A CustomAttributeConfiguration with key \"{key}\" for {entityType} already exists ({other}).", 409);
    }

    private string? TypeName(string typeId) =>
        _commands.Get("SELECT name FROM custom_attribute_type WHERE id = $0", typeId).ExecuteScalar() as string
        ?? throw FtrackError.Validation($"Attribute \"type_id\" of CustomAttributeConfiguration references CustomAttributeType {typeId}, which does not exist.");

    private Dictionary<string, object?> Stored(string id)
    {
        using var reader = _commands.Get("SELECT \"key\", entity_type, object_type_id, type_id, is_hierarchical, project_id, \"default\", config FROM custom_attribute_configuration WHERE id = $0", id).ExecuteReader();
        reader.Read();
        var row = new Dictionary<string, object?>();
        for (var i = 0; i < reader.FieldCount; i++)
            row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        return row;
    }

    private bool Exists(string table, string id) =>
        _commands.Get($"SELECT EXISTS (SELECT 1 FROM \"{table}\" WHERE id = $0)", id).ExecuteScalar() is long and 1;
}
