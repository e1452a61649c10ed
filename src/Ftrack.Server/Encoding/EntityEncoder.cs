using System.Collections.Generic;
using System.Text.Json;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Encoding;

/// <summary>
/// Writes entities as the ftrack server does. Normalized (default): an entity is written in full
/// at its first occurrence in the response and as a bare reference <c>{"__entity_type__", keys}</c>
/// afterwards; it is written in full again only if it gained attributes since. Denormalized
/// (<c>ftrack-api-options: denormalize:1</c>): in full everywhere, except where that would recurse
/// into an entity already being written (the graph may be cyclic).
/// </summary>
internal sealed class EntityEncoder
{
    private readonly bool _denormalize;

    public EntityEncoder(bool denormalize) => _denormalize = denormalize;

    public void Write(Utf8JsonWriter writer, EntityRecord record)
    {
        // Records live for one response, so the bookkeeping sits on them rather than in side tables.
        var full = _denormalize ? !record.BeingWritten : record.WrittenAttributeCount == 0 || record.WrittenAttributeCount < record.Values.Count;
        if (!full)
        {
            WriteReference(writer, record);
            return;
        }
        record.WrittenAttributeCount = record.Values.Count;
        record.BeingWritten = true;
        writer.WriteStartObject();
        writer.WriteString("__entity_type__", record.Type.Name);
        foreach (var (name, value) in record.Values)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, record.Type, name, value);
        }
        writer.WriteEndObject();
        record.BeingWritten = false;
    }

    private void WriteValue(Utf8JsonWriter writer, EntityType owner, string name, object? value)
    {
        switch (value)
        {
            case EntityRecord related:
                Write(writer, related);
                return;
            case List<EntityRecord> members:
                writer.WriteStartArray();
                foreach (var member in members)
                    Write(writer, member);
                writer.WriteEndArray();
                return;
            case List<LinkItem> link:
                writer.WriteStartArray();
                foreach (var item in link)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", item.Id);
                    writer.WriteString("name", item.Name);
                    writer.WriteString("type", item.Type);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                return;
            default:
                var type = owner.Attributes.TryGetValue(name, out var attribute) ? attribute.ScalarType : ScalarType.String;
                ValueCodec.Write(writer, value, type);
                return;
        }
    }

    public static void WriteReference(Utf8JsonWriter writer, EntityRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("__entity_type__", record.Type.Name);
        for (var i = 0; i < record.Type.PrimaryKey.Count; i++)
        {
            writer.WritePropertyName(record.Type.PrimaryKey[i]);
            ValueCodec.Write(writer, record.KeyValues[i], ScalarType.String);
        }
        writer.WriteEndObject();
    }
}
