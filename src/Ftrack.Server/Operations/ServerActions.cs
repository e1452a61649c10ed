using System;
using System.Security.Cryptography;
using System.Text.Json;
using Ftrack.Server.Api;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Operations;

/// <summary>
/// Actions the official Python client calls beside query and CRUD, answered in the shapes it
/// reads: <c>reset_remote</c> (<c>user.reset_api_key()</c> reads <c>data.api_key</c>; any other
/// reset type puts an attribute back to its schema default) and <c>get_widget_url</c>
/// (<c>widget_url</c>). The local server has no web interface: its widget URLs name what a real
/// server's would show, on this server.
/// </summary>
internal sealed class ServerActions
{
    /// <summary>The widgets ftrack serves (Session.get_widget_url's documentation).</summary>
    private static readonly string[] Widgets = ["info", "tasks", "tasks_browser"];

    private readonly EntityModel _model;
    private readonly PreparedCommands _commands;
    private readonly EntityWriter _writer;
    private readonly string? _apiUserId;

    public ServerActions(EntityModel model, PreparedCommands commands, EntityWriter writer, string? apiUserId)
    {
        _model = model;
        _commands = commands;
        _writer = writer;
        _apiUserId = apiUserId;
    }

    /// <summary>reset_remote: <c>{"reset_type", "entity_type", "entity_key": id}</c> answers <c>{"data": {reset_type: new value}}</c>.</summary>
    public void ResetRemote(JsonElement operation, Utf8JsonWriter json)
    {
        var resetType = operation.TryGetProperty("reset_type", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : throw FtrackError.Validation("reset_remote needs a string \"reset_type\".");
        var (type, id) = Entity(operation, "reset_remote");
        json.WriteStartObject();
        json.WriteString("action", "reset_remote");
        json.WriteStartObject("data");
        if (resetType == "api_key")
        {
            if (type?.Name != "User")
                throw FtrackError.Validation("reset_remote api_key needs a User (entity_type and entity_key).");
            // This server's own key is set on its command line; other users cannot log in to it, so their new key is not kept.
            if (id == _apiUserId)
                throw FtrackError.Validation("The API key of this server's API user is set when the server starts (--api-key): it cannot be reset remotely.");
            json.WriteString("api_key", Convert.ToHexString(RandomNumberGenerator.GetBytes(18)).ToLowerInvariant());
        }
        else
        {
            if (type == null || !type.Attributes.TryGetValue(resetType, out var attribute) || attribute.Kind != AttributeKind.Scalar || type.PrimaryKey.Contains(resetType)
                || type.Schema["properties"]?[resetType]?["default"] is not { } defaultValue || (string?)defaultValue == "{uid}")
                throw FtrackError.Validation($"Cannot reset \"{resetType}\"{(type == null ? "" : " of " + type.Name)}: only an attribute with a default value can be reset.");
            using var data = JsonDocument.Parse(new System.Text.Json.Nodes.JsonObject { [resetType] = defaultValue.DeepClone() }.ToJsonString());
            _writer.Update(type, JsonSerializer.SerializeToElement(new[] { id }), data.RootElement);
            json.WritePropertyName(resetType);
            data.RootElement.GetProperty(resetType).WriteTo(json);
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>get_widget_url: <c>{"name", "theme", "entity_type", "entity_key": [id]}</c> answers <c>{"widget_url": ...}</c>.</summary>
    public void WidgetUrl(JsonElement operation, Utf8JsonWriter json, string? serverUrl)
    {
        var name = operation.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
        if (Array.IndexOf(Widgets, name) < 0)
            throw FtrackError.Validation($"Unknown widget \"{FtrackError.Shorten(name)}\": one of {string.Join(", ", Widgets)}.");
        var theme = operation.TryGetProperty("theme", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "light" ? "light" : "dark";
        var (type, id) = Entity(operation, "get_widget_url");
        if (name == "info" && type == null)
            throw FtrackError.Validation("The info widget shows one entity: get_widget_url needs entity_type and entity_key.");
        var query = $"view={name}&theme={theme}" + (type == null ? "" : $"&entityType={Uri.EscapeDataString(type.Name)}&entityId={Uri.EscapeDataString(id!)}");
        json.WriteStartObject();
        json.WriteString("action", "get_widget_url");
        json.WriteString("widget_url", $"{serverUrl}/widget/?{query}");
        json.WriteEndObject();
    }

    /// <summary>The entity an action names (entity_type with entity_key, an id or [id]), which must exist; none when not named.</summary>
    private (EntityType? Type, string? Id) Entity(JsonElement operation, string action)
    {
        if (!operation.TryGetProperty("entity_type", out var typeName) || typeName.ValueKind == JsonValueKind.Null)
            return (null, null);
        var type = typeName.ValueKind == JsonValueKind.String ? _model.Find(typeName.GetString()!) : null;
        if (type == null)
            throw FtrackError.Validation($"{action}: unknown entity type {FtrackError.Shorten(typeName.GetRawText())}.");
        var key = operation.TryGetProperty("entity_key", out var k) ? k : default;
        var id = key.ValueKind == JsonValueKind.String ? key.GetString()
            : key.ValueKind == JsonValueKind.Array && key.GetArrayLength() == 1 && key[0].ValueKind == JsonValueKind.String ? key[0].GetString()
            : throw FtrackError.Validation($"{action} needs the entity's id as \"entity_key\".");
        var values = new System.Collections.Generic.List<object?> { id };
        var filter = type.RowFilter("m", value =>
        {
            values.Add(value);
            return "$" + (values.Count - 1);
        });
        if (type.PrimaryKey.Count != 1 || _commands.Get($"SELECT EXISTS (SELECT 1 FROM {type.Table.Quoted} m WHERE m.{Database.Quote(type.PrimaryKey[0])} = $0 AND {filter})", values.ToArray()).ExecuteScalar() is not (long and 1))
            throw FtrackError.NotFound($"No {type.Name} found with key [\"{id}\"].");
        return (type, id);
    }
}
