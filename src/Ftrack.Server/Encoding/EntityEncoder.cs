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
    /// <summary>
    /// Entities nest at most this deep in an answer; deeper ones are written as references.
    /// Related entities merge across projection paths, so a deep context tree could otherwise
    /// nest an answer as deep as the tree: past the JSON writer's limit and past what clients
    /// accept (ours refuses 256 levels).
    /// </summary>
    public const int MaxNesting = 32;

    private readonly bool _denormalize;
    private int _nesting;

    public EntityEncoder(bool denormalize) => _denormalize = denormalize;

    public void Write(Utf8JsonWriter writer, EntityRecord record)
    {
        // Records live for one response, so the bookkeeping sits on them rather than in side tables.
        var full = _denormalize ? !record.BeingWritten : record.WrittenAttributeCount == 0 || record.WrittenAttributeCount < record.Values.Count;
        // Too deep: a reference, and the entity stays unwritten so a shallower occurrence writes it in full.
        if (!full || _nesting >= MaxNesting)
        {
            WriteReference(writer, record);
            return;
        }
        record.WrittenAttributeCount = record.Values.Count;
        record.BeingWritten = true;
        _nesting++;
        writer.WriteStartObject();
        writer.WriteString("__entity_type__", record.Type.Name);
        foreach (var (name, value) in record.Values)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, record.Type, name, value);
        }
        writer.WriteEndObject();
        _nesting--;
        record.BeingWritten = false;
    }

    /// <summary>One attribute value of an entity of <paramref name="owner"/>'s type: scalar, reference, collection or link.</summary>
    public void WriteValue(Utf8JsonWriter writer, EntityType owner, string name, object? value)
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
            case System.Text.Json.Nodes.JsonNode node:
                // A computed object value (thumbnail_url's {"url"}, ComponentLocation.url's {"value"}).
                node.WriteTo(writer);
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
