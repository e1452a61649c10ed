using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace Ftrack.Server.Events;

/// <summary>
/// The <c>ftrack.update</c> event of one committed batch, in the form a real ftrack server
/// publishes: <c>data.entities[]</c> each with <c>entityId</c>, <c>entityType</c> (ftrack's
/// internal name: <c>task</c> for every typed context, <c>show</c> for a project,
/// <c>assetversion</c>...), <c>entity_type</c> (the API's name), <c>action</c> (add, update,
/// remove), <c>keys</c>, <c>changes</c> (<c>{key: {old, new}}</c>), <c>parents</c> and
/// <c>parentId</c>; beside them the ids of all parents, the user who wrote, and a push token.
/// </summary>
internal static class UpdateEvent
{
    public const string Topic = "ftrack.update";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Build(IReadOnlyList<EntityChange> changes, string userName, string? userId)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("topic", Topic);
            json.WriteString("id", Guid.NewGuid().ToString("N"));
            json.WriteStartObject("data");
            json.WriteStartArray("entities");
            foreach (var change in changes)
                WriteEntity(json, change);
            json.WriteEndArray();
            json.WriteStartArray("parents");
            foreach (var id in changes.SelectMany(c => c.Parents).Select(p => p.EntityId).Distinct())
                json.WriteStringValue(id);
            json.WriteEndArray();
            json.WriteString("pushToken", Guid.NewGuid().ToString("N"));
            json.WriteStartObject("user");
            WriteNullable(json, "userid", userId);
            json.WriteString("name", userName);
            json.WriteEndObject();
            json.WriteNull("clientToken");
            json.WriteEndObject();
            json.WriteStartObject("source");
            json.WriteString("id", "ftrack.server");
            json.WriteString("applicationId", "ftrack.server");
            json.WriteStartObject("user");
            json.WriteString("username", userName);
            WriteNullable(json, "id", userId);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteString("target", "");
            json.WriteNull("inReplyToEvent");
            json.WriteNull("sent");
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteEntity(Utf8JsonWriter json, EntityChange change)
    {
        json.WriteStartObject();
        json.WriteString("entityId", change.EntityId);
        json.WriteString("entityType", change.EntityType);
        json.WriteString("entity_type", change.ApiType);
        json.WriteString("action", change.Action);
        WriteNullable(json, "parentId", change.ParentId);
        if (change.ObjectTypeId != null)
            json.WriteString("objectTypeId", change.ObjectTypeId);
        json.WriteStartArray("keys");
        foreach (var key in change.Changes)
            json.WriteStringValue(key.Key);
        json.WriteEndArray();
        json.WriteStartObject("changes");
        foreach (var key in change.Changes)
        {
            json.WriteStartObject(key.Key);
            json.WritePropertyName("old");
            WriteValue(json, key.Old);
            json.WritePropertyName("new");
            WriteValue(json, key.New);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteStartArray("parents");
        foreach (var parent in change.Parents)
        {
            json.WriteStartObject();
            json.WriteString("entityId", parent.EntityId);
            json.WriteString("entityType", parent.EntityType);
            json.WriteString("entity_type", parent.ApiType);
            WriteNullable(json, "parentId", parent.ParentId);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value == null)
            json.WriteNull(name);
        else
            json.WriteString(name, value);
    }

    /// <summary>A stored value as the event carries it: text, numbers, booleans; dates as ISO 8601 text.</summary>
    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case RawJson raw: json.WriteRawValue(raw.Json, skipInputValidation: false); break;
            case string s: json.WriteStringValue(s); break;
            case bool b: json.WriteBooleanValue(b); break;
            case long l: json.WriteNumberValue(l); break;
            case int i: json.WriteNumberValue(i); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case decimal m: json.WriteNumberValue(m); break;
            case DateTime t: json.WriteStringValue(t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)); break;
            case byte[] bytes: json.WriteStringValue(Convert.ToBase64String(bytes)); break;
            default: json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }
}
