using System.Text.Json;
using Ftrack.Server.Api;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Operations;

/// <summary>
/// Writes of custom attribute values (CustomAttributeValue and its *CustomAttributeValue kinds),
/// keyed by [configuration_id, entity_id]. Every entity has a value for each configuration that
/// applies to it (see <see cref="CustomAttributeStore"/>), so create and update both set the value
/// (the Python client updates ContextCustomAttributeValue, also for an entity created earlier in
/// the same batch), and delete takes a set value away again (the default or inherited value shows).
/// </summary>
internal sealed class CustomAttributeValues
{
    private readonly PreparedCommands _commands;

    public CustomAttributeValues(PreparedCommands commands) => _commands = commands;

    /// <summary>Where a value written or cleared is noted for <c>ftrack.update</c> (null: nobody listens).</summary>
    public Events.EntityChangeLog? Changes { get; set; }

    /// <summary>Sets a value from create or update data; returns its key [configuration_id, entity_id].</summary>
    public object?[] Set(EntityType type, object?[]? key, JsonElement data)
    {
        string? configurationId = key?[0] as string, entityId = key?[1] as string;
        JsonElement? value = null;
        string? givenKey = null;
        foreach (var property in data.EnumerateObject())
        {
            switch (property.Name)
            {
                case "__entity_type__":
                    break;
                case "configuration_id" or "configuration" or "entity_id":
                    var id = property.Name == "configuration" ? IdOfReference(property.Value) : property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    if (id == null)
                        throw FtrackError.Validation($"Attribute \"{property.Name}\" of {type.Name} expects {(property.Name == "configuration" ? "a reference to a CustomAttributeConfiguration" : "an id")}.");
                    var current = property.Name == "entity_id" ? entityId : configurationId;
                    if (key != null && current != id)
                        throw FtrackError.Validation($"Attribute \"{property.Name}\" of {type.Name} is immutable and cannot be updated.");
                    if (property.Name == "entity_id")
                        entityId = id;
                    else
                        configurationId = id;
                    break;
                case "key":
                    givenKey = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : throw FtrackError.Validation($"Attribute \"key\" of {type.Name} expects a string.");
                    break;
                case "value":
                    value = property.Value;
                    break;
                default:
                    throw FtrackError.Validation(type.Attributes.ContainsKey(property.Name)
                        ? $"Attribute \"{property.Name}\" of {type.Name} cannot be set: only \"value\" can."
                        : $"Unknown attribute \"{property.Name}\" on entity type \"{type.Name}\".");
            }
        }
        if (configurationId == null || entityId == null)
            throw FtrackError.Validation($"A {type.Name} needs \"configuration_id\" and \"entity_id\".");
        var configuration = Configuration(configurationId);
        if (givenKey != null && givenKey != configuration.Key)
            throw FtrackError.Validation($"Attribute \"key\" of {type.Name} is the configuration's, \"{configuration.Key}\", not \"{FtrackError.Shorten(givenKey)}\".");
        RequireApplies(type, configurationId, configuration, entityId);
        if (value is { } given)
        {
            var stored = CustomAttributeTypes.Normalize(configuration.Key, configuration.TypeName, configuration.Config, given);
            var before = Changes?.ReadCustomAttribute(configurationId, entityId);
            _commands.Get($"INSERT INTO {CustomAttributeStore.StoreTable} (configuration_id, entity_id, value) VALUES ($0, $1, $2) ON CONFLICT (configuration_id, entity_id) DO UPDATE SET value = excluded.value",
                configurationId, entityId, stored).ExecuteNonQuery();
            if (before is { } old)
                Changes!.CustomAttributeChanged(configurationId, entityId, old);
        }
        return [configurationId, entityId];
    }

    /// <summary>Takes a set value away: the entity reads the default (or the inherited value) again.</summary>
    public void Clear(EntityType type, object?[] key)
    {
        if (!Applies(type, (string)key[0]!, (string)key[1]!))
            throw FtrackError.NotFound($"No {type.Name} found with key [\"{key[0]}\", \"{key[1]}\"].");
        var before = Changes?.ReadCustomAttribute((string)key[0]!, (string)key[1]!);
        _commands.Get($"DELETE FROM {CustomAttributeStore.StoreTable} WHERE configuration_id = $0 AND entity_id = $1", key[0], key[1]).ExecuteNonQuery();
        if (before is { } old)
            Changes!.CustomAttributeChanged((string)key[0]!, (string)key[1]!, old);
    }

    private sealed record ConfigurationRow(string Key, string? TypeName, string? Config, string? EntityType);

    private ConfigurationRow Configuration(string id)
    {
        using var reader = _commands.Get("SELECT c.\"key\", t.name, c.config, c.entity_type FROM custom_attribute_configuration c LEFT JOIN custom_attribute_type t ON t.id = c.type_id WHERE c.id = $0", id).ExecuteReader();
        if (!reader.Read())
            throw FtrackError.Validation($"Attribute \"configuration_id\" references CustomAttributeConfiguration {id}, which does not exist.");
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return new ConfigurationRow(Text(0) ?? "", Text(1), Text(2), Text(3));
    }

    private void RequireApplies(EntityType type, string configurationId, ConfigurationRow configuration, string entityId)
    {
        if (!Applies(type, configurationId, entityId))
            throw FtrackError.Validation(
                $"Custom attribute \"{configuration.Key}\" (configured for {configuration.EntityType}) does not apply to {type.Name} entity {entityId}: it does not exist, or is not of that kind, project or object type.");
    }

    /// <summary>The entity exists and the configuration applies to it (and, for a kind of value, it is of that kind).</summary>
    private bool Applies(EntityType type, string configurationId, string entityId)
    {
        var parameters = new System.Collections.Generic.List<object?> { configurationId, entityId };
        var filter = type.RowFilter("v", value =>
        {
            parameters.Add(value);
            return "$" + (parameters.Count - 1);
        });
        return _commands.Get($"SELECT EXISTS (SELECT 1 FROM {CustomAttributeStore.ValueView} v WHERE v.configuration_id = $0 AND v.entity_id = $1 AND {filter})",
            parameters.ToArray()).ExecuteScalar() is long and 1;
    }

    private static string? IdOfReference(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
}
