using System.Collections.Generic;
using Ftrack.Server.Api;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Operations;

/// <summary>
/// Rules of single types a real server enforces beyond their schemas: a user runs one timer at a
/// time (the Python client's <c>start_timer</c> tells a second one by its DuplicateEntryError), a
/// list holds an entity once and only entities of its kind, and a custom attribute link joins two
/// existing entities of the kinds its configuration names (one at most from an entity when it is
/// one_to_one).
/// </summary>
internal sealed class EntityRules
{
    /// <summary>ftrack's legacy entity type names (configurations' entity_type), with their table and schema type.</summary>
    private static readonly Dictionary<string, (string Table, string Type)> LegacyTypes = new()
    {
        ["task"] = ("context", "TypedContext"), ["show"] = ("context", "Project"), ["assetversion"] = ("asset_version", "AssetVersion"),
        ["asset_version"] = ("asset_version", "AssetVersion"), ["list"] = ("list", "List"), ["user"] = ("resource", "User"),
        ["group"] = ("resource", "Group"), ["asset"] = ("asset", "Asset"), ["component"] = ("component", "Component"),
    };

    private readonly PreparedCommands _commands;

    public EntityRules(PreparedCommands commands) => _commands = commands;

    /// <summary>Checks a new entity's values (after defaults), completing what follows from them.</summary>
    public void CheckCreate(EntityType type, Dictionary<string, object?> values)
    {
        switch (type.Table.Name)
        {
            case "timer" when values.GetValueOrDefault("user_id") is string user
                && _commands.Get("SELECT id FROM timer WHERE user_id = $0", user).ExecuteScalar() is string running:
                throw new FtrackError("DuplicateEntryError", $"A timer is already running for User {user} (Timer {running}): stop it first.", 409);
            case "list_object":
                CheckListObject(values);
                break;
            case "custom_attribute_link_configuration":
                foreach (var column in new[] { "entity_type", "entity_type_to" })
                    if (values.GetValueOrDefault(column) is string name && !LegacyTypes.ContainsKey(name))
                        throw FtrackError.Validation($"Attribute \"{column}\" of CustomAttributeLinkConfiguration must be one of {string.Join(", ", LegacyTypes.Keys)}, not \"{FtrackError.Shorten(name)}\".");
                break;
            case "custom_attribute_link":
                CheckLink(values);
                break;
        }
    }

    private void CheckListObject(Dictionary<string, object?> values)
    {
        var list = values.GetValueOrDefault("list_id") as string;
        var entity = values.GetValueOrDefault("entity_id") as string;
        var kind = _commands.Get("SELECT system_type FROM \"list\" WHERE id = $0", list).ExecuteScalar() as string;
        var table = kind == "assetversion" ? "asset_version" : "context";
        if (entity == null || _commands.Get($"SELECT EXISTS (SELECT 1 FROM \"{table}\" WHERE id = $0)", entity).ExecuteScalar() is not (long and 1))
            throw FtrackError.Validation($"Attribute \"entity_id\" of ListObject references {(kind == "assetversion" ? "AssetVersion" : "TypedContext")} {entity ?? "null"}, which does not exist: a {kind} list holds those.");
        if (_commands.Get("SELECT id FROM list_object WHERE list_id = $0 AND entity_id = $1", list, entity).ExecuteScalar() is string existing)
            throw new FtrackError("DuplicateEntryError", $"List {list} holds {entity} already (ListObject {existing}).", 409);
    }

    private void CheckLink(Dictionary<string, object?> values)
    {
        string? fromType, toType;
        long oneToOne;
        using (var reader = _commands.Get("SELECT entity_type, entity_type_to, COALESCE(one_to_one, 0) FROM custom_attribute_link_configuration WHERE id = $0", values.GetValueOrDefault("configuration_id")).ExecuteReader())
        {
            if (!reader.Read())
                return; // The missing configuration is refused as any foreign key is.
            fromType = reader.IsDBNull(0) ? null : reader.GetString(0);
            toType = reader.IsDBNull(1) ? null : reader.GetString(1);
            oneToOne = reader.GetInt64(2);
        }
        foreach (var (column, legacy, typeColumn) in new[] { ("from_id", fromType, "from_entity_type"), ("to_id", toType, "to_entity_type") })
        {
            if (legacy == null || !LegacyTypes.TryGetValue(legacy, out var target))
                continue;
            var id = values.GetValueOrDefault(column) as string;
            if (id == null || _commands.Get($"SELECT EXISTS (SELECT 1 FROM \"{target.Table}\" WHERE id = $0)", id).ExecuteScalar() is not (long and 1))
                throw FtrackError.Validation($"Attribute \"{column}\" of CustomAttributeLink references {target.Type} {id ?? "null"}, which does not exist.");
            values[typeColumn] = target.Type;
        }
        if (oneToOne == 1 && _commands.Get("SELECT id FROM custom_attribute_link WHERE configuration_id = $0 AND from_id = $1", values["configuration_id"], values.GetValueOrDefault("from_id")).ExecuteScalar() is string existing)
            throw new FtrackError("DuplicateEntryError", $"The link configuration is one_to_one: {values.GetValueOrDefault("from_id")} is linked already (CustomAttributeLink {existing}).", 409);
    }
}
