using System.Collections.Generic;
using Ftrack.Server.Schema;

namespace Ftrack.Server.Encoding;

/// <summary>
/// One entity as loaded for a response: its type, key and every attribute loaded for it by any
/// operation of the batch. Values are stored scalars, an <see cref="EntityRecord"/> (reference),
/// a list of records (collection) or a list of <see cref="LinkItem"/> (the computed link).
/// </summary>
internal sealed class EntityRecord
{
    public EntityRecord(EntityType type, string key, object?[] keyValues)
    {
        Type = type;
        Key = key;
        KeyValues = keyValues;
    }

    /// <summary>The most specific type known for the row (a Context row read as Task is a Task).</summary>
    public EntityType Type { get; set; }

    public string Key { get; }

    public object?[] KeyValues { get; }

    public Dictionary<string, object?> Values { get; } = new(8);

    /// <summary>How many attributes the encoder wrote in full for this entity so far (0: not yet).</summary>
    internal int WrittenAttributeCount { get; set; }

    /// <summary>Whether the denormalizing encoder is inside this entity right now (cycle guard).</summary>
    internal bool BeingWritten { get; set; }
}

/// <summary>One element of a context's <c>link</c>: the path from the project down to it.</summary>
internal sealed record LinkItem(string Id, string? Name, string Type);
