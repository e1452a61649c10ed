using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Ftrack.Core.Entities;

namespace Ftrack.Core.Json
{
    /// <summary>
    /// Writes client values the way ftrack expects them: entities as references
    /// {"__entity_type__", primary key}, DateTime as {"__type__":"datetime"} naive in the server's
    /// zone, plain strings as strings (never sniffed into dates).
    /// </summary>
    public sealed class ValueEncoder
    {
        private const int MaxDepth = 64;

        /// <summary>An encoder for a server whose naive dates are UTC (or not), keyed by that server's <paramref name="shapes"/>.</summary>
        public ValueEncoder(bool serverUsesUtc, EntityShapes? shapes = null)
        {
            ServerUsesUtc = serverUsesUtc;
            _shapes = shapes ?? EntityShapes.Unbound;
        }

        // For references given as hashtables: which attributes key their type on this server.
        private readonly EntityShapes _shapes;

        /// <summary>True when the server reports timezone support: naive values are UTC.</summary>
        public bool ServerUsesUtc { get; }

        /// <summary>Writes one value (entities as references).</summary>
        public void WriteValue(Utf8JsonWriter writer, object? value) => WriteValue(writer, value, 0);

        private void WriteValue(Utf8JsonWriter writer, object? value, int depth)
        {
            if (depth > MaxDepth) throw new FtrackEncodingException("The value is nested more than " + MaxDepth + " levels deep (a cycle?).");
            switch (value)
            {
                case null: writer.WriteNullValue(); return;
                case string s: writer.WriteStringValue(s); return;
                case bool b: writer.WriteBooleanValue(b); return;
                case int i: writer.WriteNumberValue(i); return;
                case long l: writer.WriteNumberValue(l); return;
                case short or byte or sbyte or ushort or uint:
                    writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); return;
                case ulong ul: writer.WriteNumberValue(ul); return;
                case decimal m: writer.WriteNumberValue(m); return;
                case double d:
                    if (double.IsNaN(d) || double.IsInfinity(d)) throw new FtrackEncodingException("The number " + d.ToString(CultureInfo.InvariantCulture) + " cannot be sent to ftrack.");
                    writer.WriteNumberValue(d); return;
                case float f: WriteValue(writer, (double)f, depth); return;
                case DateTime dt: WriteDateTime(writer, dt); return;
                case DateTimeOffset dto: WriteDateTime(writer, ServerUsesUtc ? dto.UtcDateTime : dto.LocalDateTime); return;
                case Guid g: writer.WriteStringValue(g.ToString()); return;
                case Enum e: writer.WriteStringValue(e.ToString()); return;
                case FtrackEntity entity: WriteReference(writer, entity); return;
                case IDictionary dictionary:
                    if (dictionary.Contains("__entity_type__")) WriteReference(writer, dictionary);
                    else WriteObject(writer, dictionary, depth);
                    return;
                case IEnumerable sequence:
                    writer.WriteStartArray();
                    foreach (var item in sequence) WriteValue(writer, item, depth + 1);
                    writer.WriteEndArray();
                    return;
                default:
                    throw new FtrackEncodingException("A value of type " + value.GetType().FullName + " cannot be sent to ftrack; use a string, number, boolean, DateTime, entity, array or hashtable.");
            }
        }

        private void WriteDateTime(Utf8JsonWriter writer, DateTime value)
        {
            writer.WriteStartObject();
            writer.WriteString("__type__", "datetime");
            writer.WriteString("value", FtrackDates.FormatDateTime(value, ServerUsesUtc));
            writer.WriteEndObject();
        }

        /// <summary>{"__entity_type__": T, pk...}: how an entity is referred to inside another's data.</summary>
        public void WriteReference(Utf8JsonWriter writer, FtrackEntity entity)
        {
            writer.WriteStartObject();
            writer.WriteString("__entity_type__", entity.EntityType);
            foreach (var key in entity.Shape.PrimaryKey)
            {
                if (!entity.TryGetValue(key, out var keyValue) || keyValue is null)
                    throw new FtrackEncodingException(entity.EntityType + " value has no '" + key + "': it cannot be sent as a reference.");
                writer.WritePropertyName(key);
                WriteValue(writer, keyValue, 1);
            }
            writer.WriteEndObject();
        }

        private void WriteReference(Utf8JsonWriter writer, IDictionary dictionary)
        {
            var entityType = Convert.ToString(dictionary["__entity_type__"], CultureInfo.InvariantCulture);
            if (string.IsNullOrEmpty(entityType)) throw new FtrackEncodingException("__entity_type__ is empty.");
            writer.WriteStartObject();
            writer.WriteString("__entity_type__", entityType);
            foreach (var key in _shapes.For(entityType!).PrimaryKey)
            {
                if (!TryGetIgnoreCase(dictionary, key, out var keyValue) || keyValue is null)
                    throw new FtrackEncodingException("The " + entityType + " reference has no '" + key + "'.");
                writer.WritePropertyName(key);
                WriteValue(writer, keyValue, 1);
            }
            writer.WriteEndObject();
        }

        private void WriteObject(Utf8JsonWriter writer, IDictionary dictionary, int depth)
        {
            writer.WriteStartObject();
            foreach (DictionaryEntry entry in dictionary)
            {
                writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                WriteValue(writer, entry.Value, depth + 1);
            }
            writer.WriteEndObject();
        }

        /// <summary>
        /// Writes entity data in full (its own attributes), with entity-valued attributes as references.
        /// With a schema, DateTime values of "date" attributes are sent as date-only values.
        /// </summary>
        public void WriteEntityData(Utf8JsonWriter writer, string entityType, IEnumerable<KeyValuePair<string, object?>> attributes, Schema.EntitySchema? schema = null)
        {
            writer.WriteStartObject();
            writer.WriteString("__entity_type__", entityType);
            foreach (var pair in attributes)
            {
                if (pair.Key == "__entity_type__") continue;
                writer.WritePropertyName(pair.Key);
                var value = pair.Value;
                if (value is DateTime date && schema != null && schema.Attributes.TryGetValue(pair.Key, out var attribute) && attribute.Format == "date")
                {
                    writer.WriteStartObject();
                    writer.WriteString("__type__", "date");
                    writer.WriteString("value", FtrackDates.FormatDate(date));
                    writer.WriteEndObject();
                }
                else WriteValue(writer, value, 1);
            }
            writer.WriteEndObject();
        }

        /// <summary>A raw operation (Invoke-FtrackOperation): members as given; entity_data in full.</summary>
        internal void WriteRawOperation(Utf8JsonWriter writer, IDictionary<string, object?> body)
        {
            writer.WriteStartObject();
            foreach (var pair in body)
            {
                writer.WritePropertyName(pair.Key);
                var value = pair.Value;
                if (pair.Key == "entity_data" && value is IDictionary data)
                {
                    writer.WriteStartObject();
                    foreach (DictionaryEntry entry in data)
                    {
                        writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                        WriteValue(writer, entry.Value, 1);
                    }
                    writer.WriteEndObject();
                }
                else WriteValue(writer, value, 0);
            }
            writer.WriteEndObject();
        }

        private static bool TryGetIgnoreCase(IDictionary dictionary, string key, out object? value)
        {
            if (dictionary.Contains(key)) { value = dictionary[key]; return true; }
            foreach (DictionaryEntry entry in dictionary)
            {
                if (string.Equals(entry.Key as string, key, StringComparison.OrdinalIgnoreCase)) { value = entry.Value; return true; }
            }
            value = null;
            return false;
        }
    }
}
