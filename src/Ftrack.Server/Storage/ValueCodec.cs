using System;
using System.Globalization;
using System.Text.Json;
using Ftrack.Server.Api;
using Ftrack.Server.Schema;

namespace Ftrack.Server.Storage;

/// <summary>
/// Converts attribute values between the wire (JSON) and SQLite. Datetimes are stored as naive
/// UTC text "yyyy-MM-ddTHH:mm:ss", which sorts and compares correctly as text.
/// </summary>
internal static class ValueCodec
{
    public const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss";

    /// <summary>The stored value of a JSON attribute value; a wrong JSON type is a ValidationError.</summary>
    public static object? FromJson(JsonElement value, ScalarType type, string attribute)
    {
        if (value.ValueKind == JsonValueKind.Null)
            return null;
        switch (type)
        {
            case ScalarType.String:
                if (value.ValueKind == JsonValueKind.String)
                    return value.GetString();
                break;
            case ScalarType.Integer:
                if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var integer))
                    return integer;
                break;
            case ScalarType.Number:
                if (value.ValueKind == JsonValueKind.Number)
                {
                    if (value.TryGetInt64(out var whole))
                        return whole;
                    // 1e400 reads as infinity, which SQLite would keep and answer as null.
                    if (value.GetDouble() is var real && double.IsFinite(real))
                        return real;
                    throw FtrackError.Validation($"Attribute \"{attribute}\" expects a number, and {FtrackError.Shorten(value.GetRawText())} is beyond the range of one.");
                }
                break;
            case ScalarType.Boolean:
                if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    return value.GetBoolean() ? 1L : 0L;
                break;
            case ScalarType.DateTime:
                if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("value", out var inner) && inner.ValueKind == JsonValueKind.String)
                    return ParseDateTime(inner.GetString()!, attribute);
                if (value.ValueKind == JsonValueKind.String)
                    return ParseDateTime(value.GetString()!, attribute);
                break;
            case ScalarType.Variable:
                return value.GetRawText();
        }
        throw FtrackError.Validation($"Attribute \"{attribute}\" expects a value of type {Describe(type)}, not {value.ValueKind.ToString().ToLowerInvariant()}.");
    }

    public static string ParseDateTime(string text, string attribute)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            return parsed.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture);
        throw FtrackError.Validation($"Attribute \"{attribute}\" expects a datetime, \"{FtrackError.Shorten(text)}\" is not one.");
    }

    public static string Now() => DateTime.UtcNow.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Writes a stored value in the wire encoding of its schema type.</summary>
    public static void Write(Utf8JsonWriter writer, object? value, ScalarType type)
    {
        switch (value)
        {
            case null or DBNull:
                writer.WriteNullValue();
                return;
            case string text when type == ScalarType.DateTime:
                writer.WriteStartObject();
                writer.WriteString("__type__", "datetime");
                writer.WriteString("value", text);
                writer.WriteEndObject();
                return;
            case string raw when type == ScalarType.Variable:
                try
                {
                    using var document = JsonDocument.Parse(raw);
                    document.RootElement.WriteTo(writer);
                }
                catch (JsonException)
                {
                    writer.WriteStringValue(raw);
                }
                return;
            case string text:
                writer.WriteStringValue(text);
                return;
            case long number when type == ScalarType.Boolean:
                writer.WriteBooleanValue(number != 0);
                return;
            case long number:
                writer.WriteNumberValue(number);
                return;
            case double real:
                if (double.IsFinite(real))
                    writer.WriteNumberValue(real);
                else
                    writer.WriteNullValue();
                return;
            case bool flag:
                writer.WriteBooleanValue(flag);
                return;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                return;
        }
    }

    private static string Describe(ScalarType type) => type switch
    {
        ScalarType.DateTime => "datetime",
        ScalarType.Boolean => "boolean",
        ScalarType.Integer => "integer",
        ScalarType.Number => "number",
        _ => "string",
    };
}
