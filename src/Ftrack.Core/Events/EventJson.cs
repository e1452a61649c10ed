using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace Ftrack.Core.Events
{
    /// <summary>
    /// Events to and from JSON as ftrack's event hub sends them: <c>inReplyToEvent</c> on the wire
    /// (the Python client renames it to <c>in_reply_to_event</c> in memory), every other key as is.
    /// </summary>
    internal static class EventJson
    {
        /// <summary>How deep a payload may nest before it is refused (a cycle, or data no one can read).</summary>
        public const int MaxDepth = 64;

        private static readonly JsonWriterOptions WriterOptions = new()
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = true,
        };

        /// <summary>The socket.io 0.9 packet of an event: <c>5:[id+]::{"name":"ftrack.event","args":[event]}</c>.</summary>
        public static byte[] EventPacket(FtrackEvent e, int? ackId)
        {
            // netstandard2.0's System.Text.Json keeps ArrayBufferWriter to itself: a MemoryStream does.
            var buffer = new MemoryStream(512);
            var prefix = ackId is { } id ? "5:" + id.ToString(CultureInfo.InvariantCulture) + "+::" : "5:::";
            foreach (var c in prefix) buffer.WriteByte((byte)c);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteString("name", "ftrack.event");
                writer.WriteStartArray("args");
                Write(writer, e);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            return buffer.ToArray();
        }

        public static void Write(Utf8JsonWriter writer, FtrackEvent e)
        {
            writer.WriteStartObject();
            writer.WriteString("topic", e.Topic);
            writer.WriteString("id", e.Id);
            writer.WritePropertyName("data");
            WriteValue(writer, e.Data, 0);
            writer.WritePropertyName("source");
            WriteValue(writer, e.Source, 0);
            writer.WriteString("target", e.Target ?? "");
            if (e.InReplyToEvent is null) writer.WriteNull("inReplyToEvent");
            else writer.WriteString("inReplyToEvent", e.InReplyToEvent);
            writer.WritePropertyName("sent");
            WriteValue(writer, e.Sent, 0);
            writer.WriteEndObject();
        }

        /// <summary>A value of a payload: dictionaries, lists, text, numbers, booleans, null; dates as ISO 8601 text, ids and enums as text.</summary>
        public static void WriteValue(Utf8JsonWriter writer, object? value, int depth)
        {
            if (depth > MaxDepth)
                throw new FtrackEncodingException("The event's data nests deeper than " + MaxDepth + " levels (does it refer to itself?): it cannot be sent.");
            switch (value)
            {
                case null: writer.WriteNullValue(); return;
                case string s: writer.WriteStringValue(s); return;
                case bool b: writer.WriteBooleanValue(b); return;
                case int i: writer.WriteNumberValue(i); return;
                case long l: writer.WriteNumberValue(l); return;
                case short or byte or sbyte or ushort: writer.WriteNumberValue(Convert.ToInt32(value, CultureInfo.InvariantCulture)); return;
                case uint ui: writer.WriteNumberValue(ui); return;
                case ulong ul: writer.WriteNumberValue(ul); return;
                case decimal m: writer.WriteNumberValue(m); return;
                case double d:
                    if (double.IsNaN(d) || double.IsInfinity(d)) throw new FtrackEncodingException("The event's data holds " + d.ToString(CultureInfo.InvariantCulture) + ", which JSON cannot carry.");
                    writer.WriteNumberValue(d);
                    return;
                case float f:
                    if (float.IsNaN(f) || float.IsInfinity(f)) throw new FtrackEncodingException("The event's data holds " + f.ToString(CultureInfo.InvariantCulture) + ", which JSON cannot carry.");
                    writer.WriteNumberValue(f);
                    return;
                case char c: writer.WriteStringValue(c.ToString()); return;
                case DateTime dt: writer.WriteStringValue(dt.ToString(dt.Kind == DateTimeKind.Utc ? "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)); return;
                case DateTimeOffset dto: writer.WriteStringValue(dto.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture)); return;
                case Guid g: writer.WriteStringValue(g.ToString()); return;
                case Enum en: writer.WriteStringValue(en.ToString()); return;
                case Uri u: writer.WriteStringValue(u.OriginalString); return;
                case JsonElement element: element.WriteTo(writer); return;
                case IDictionary<string, object?> typed:
                    writer.WriteStartObject();
                    foreach (var pair in typed)
                    {
                        writer.WritePropertyName(pair.Key);
                        WriteValue(writer, pair.Value, depth + 1);
                    }
                    writer.WriteEndObject();
                    return;
                case IDictionary dictionary:
                    writer.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                        WriteValue(writer, entry.Value, depth + 1);
                    }
                    writer.WriteEndObject();
                    return;
                case IEnumerable list:
                    writer.WriteStartArray();
                    foreach (var item in list) WriteValue(writer, item, depth + 1);
                    writer.WriteEndArray();
                    return;
                default:
                    throw new FtrackEncodingException("The event's data holds a " + value.GetType().FullName + ", which cannot be sent: use text, numbers, booleans, dates, lists and hashtables.");
            }
        }

        /// <summary>An event from its JSON (<c>args[0]</c> of a packet).</summary>
        public static FtrackEvent Read(JsonElement e)
        {
            string Text(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            var topic = Text("topic");
            var id = Text("id");
            var data = e.TryGetProperty("data", out var d) && ReadValue(d, 0) is Dictionary<string, object?> dd ? dd : new Dictionary<string, object?>();
            var source = e.TryGetProperty("source", out var s) && ReadValue(s, 0) is Dictionary<string, object?> sd ? sd : new Dictionary<string, object?>();
            string? replyTo = null;
            if (e.TryGetProperty("inReplyToEvent", out var r) && r.ValueKind == JsonValueKind.String) replyTo = r.GetString();
            else if (e.TryGetProperty("in_reply_to_event", out r) && r.ValueKind == JsonValueKind.String) replyTo = r.GetString();
            var sent = e.TryGetProperty("sent", out var sentValue) ? ReadValue(sentValue, 0) : null;
            return new FtrackEvent(topic, id, data, source, Text("target"), replyTo, sent);
        }

        /// <summary>JSON as plain values: Dictionary (keys in order received), List, string, long or double, bool, null.</summary>
        public static object? ReadValue(JsonElement value, int depth)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                    if (depth >= MaxDepth) return map;
                    foreach (var property in value.EnumerateObject())
                        map[property.Name] = ReadValue(property.Value, depth + 1);
                    return map;
                case JsonValueKind.Array:
                    var list = new List<object?>();
                    if (depth >= MaxDepth) return list;
                    foreach (var item in value.EnumerateArray())
                        list.Add(ReadValue(item, depth + 1));
                    return list;
                case JsonValueKind.String: return value.GetString();
                // Boxed apart: a conditional of long and double would make every number a double.
                case JsonValueKind.Number: return value.TryGetInt64(out var l) ? (object)l : value.GetDouble();
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                default: return null;
            }
        }

        /// <summary>A dictionary as a JSON element (subscriber metadata, which targets are matched against).</summary>
        public static JsonElement ToElement(IDictionary<string, object?> values)
        {
            var buffer = new MemoryStream(128);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) WriteValue(writer, values, 0);
            using var document = JsonDocument.Parse(new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length));
            return document.RootElement.Clone();
        }
    }
}
