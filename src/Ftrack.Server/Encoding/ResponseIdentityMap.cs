using System.Collections.Generic;
using Ftrack.Server.Schema;

namespace Ftrack.Server.Encoding;

/// <summary>
/// All entities of one response, by table and key, so each is loaded and encoded once. (The
/// client has its own identity map for decoding; this one is the server building an answer.)
/// </summary>
internal sealed class ResponseIdentityMap
{
    private readonly Dictionary<(string Table, string Key), EntityRecord> _records = new();

    public EntityRecord GetOrAdd(EntityType type, string key, object?[] keyValues)
    {
        if (_records.TryGetValue((type.Table.Name, key), out var record))
        {
            if (type.Lineage.Count > record.Type.Lineage.Count)
                record.Type = type;
            return record;
        }
        record = new EntityRecord(type, key, keyValues);
        _records[(type.Table.Name, key)] = record;
        return record;
    }

    public static string KeyOf(object?[] keyValues) =>
        keyValues.Length == 1 ? keyValues[0]?.ToString() ?? "" : string.Join("\u001f", keyValues);
}
