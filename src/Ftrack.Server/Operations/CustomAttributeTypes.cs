using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ftrack.Server.Api;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Operations;

/// <summary>
/// What a value of each custom attribute type may be, as ftrack validates it: number, text (and
/// url), boolean, date, enumerator (a list of the configured values; one at most unless
/// multiSelect) and dynamic enumerator (a list of text). Values are kept as JSON text, dates as
/// the wire's datetime object in UTC. A value of the wrong kind is a ValidationError naming the
/// attribute's key and type, as a real server words it.
/// </summary>
internal static class CustomAttributeTypes
{
    /// <summary>The types every ftrack server has (CustomAttributeType.name).</summary>
    public static readonly IReadOnlyList<string> Names = ["text", "number", "boolean", "date", "enumerator", "dynamic enumerator", "expression", "url"];

    /// <summary>The stored JSON of a value for an attribute of this type (JSON null, "null", is a value of its own).</summary>
    public static string Normalize(string key, string? typeName, string? config, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
            return "null";
        FtrackError Wrong() => FtrackError.Validation(
            $"Custom attribute value for \"{key}\" must be of type {typeName}. Got {FtrackError.Shorten(value.GetRawText())} of type {KindOf(value)}.");
        switch (typeName)
        {
            case "number":
                if (value.ValueKind != JsonValueKind.Number || !double.IsFinite(value.GetDouble()))
                    throw Wrong();
                return value.GetRawText();
            case "text" or "url":
                return value.ValueKind == JsonValueKind.String ? value.GetRawText() : throw Wrong();
            case "boolean":
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetRawText() : throw Wrong();
            case "date":
                var text = value.ValueKind == JsonValueKind.String ? value.GetString()
                    : value.ValueKind == JsonValueKind.Object && value.TryGetProperty("value", out var inner) && inner.ValueKind == JsonValueKind.String ? inner.GetString()
                    : throw Wrong();
                var date = ValueCodec.ParseDateTime(text!, key);
                return new JsonObject { ["__type__"] = "datetime", ["value"] = date }.ToJsonString();
            case "enumerator" or "dynamic enumerator":
                // A single text is taken as the list of it, as scripts commonly set one choice.
                var items = value.ValueKind == JsonValueKind.String ? [value.GetString()!]
                    : value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(i => i.ValueKind == JsonValueKind.String)
                        ? value.EnumerateArray().Select(i => i.GetString()!).ToList()
                        : throw Wrong();
                if (typeName == "enumerator")
                    CheckChoices(key, config, items);
                return JsonSerializer.Serialize(items);
            case "expression":
                throw FtrackError.Validation($"Custom attribute \"{key}\" is an expression: its value is computed and cannot be set.");
            default:
                return value.GetRawText();
        }
    }

    /// <summary>An enumerator's values must be among the configured ones, and single unless multiSelect.</summary>
    private static void CheckChoices(string key, string? config, List<string> items)
    {
        var (multiSelect, choices) = EnumeratorConfig(config);
        if (!multiSelect && items.Count > 1)
            throw FtrackError.Validation($"Custom attribute value for \"{key}\" must be one choice: the enumerator is not multiSelect. Got {items.Count}.");
        var unknown = items.FirstOrDefault(i => !choices.Contains(i));
        if (unknown != null)
            throw FtrackError.Validation($"Custom attribute value for \"{key}\" must be one of {string.Join(", ", choices.Select(c => "\"" + c + "\""))}. Got \"{FtrackError.Shorten(unknown)}\".");
    }

    /// <summary>
    /// An enumerator's config: <c>{"multiSelect": bool, "data": [{"menu", "value"}, ...]}</c>, where
    /// ftrack's own clients send data as a JSON string of that list.
    /// </summary>
    public static (bool MultiSelect, List<string> Choices) EnumeratorConfig(string? config)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(config ?? "{}");
        }
        catch (JsonException)
        {
            throw FtrackError.Validation("The config of an enumerator must be a JSON object with \"data\".");
        }
        var multiSelect = root?["multiSelect"] is JsonValue flag && flag.TryGetValue<bool>(out var b) && b;
        var data = root?["data"];
        if (data is JsonValue encoded && encoded.TryGetValue<string>(out var json))
        {
            try
            {
                data = JsonNode.Parse(json);
            }
            catch (JsonException)
            {
                throw FtrackError.Validation("The \"data\" of an enumerator's config must be a list of {\"menu\", \"value\"}.");
            }
        }
        if (data is not JsonArray list || list.Any(i => i?["value"] is not JsonValue))
            throw FtrackError.Validation("The \"data\" of an enumerator's config must be a list of {\"menu\", \"value\"}.");
        return (multiSelect, list.Select(i => i!["value"]!.ToString()).ToList());
    }

    private static string KindOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "text",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "list",
        _ => "object",
    };
}
