using System;
using System.Collections.Generic;
using System.Linq;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Events;

/// <summary>
/// What one write batch changed, entity by entity, as <c>ftrack.update</c> reports it: kept while
/// the batch runs (old values and parents are read inside its transaction, before a delete takes
/// them away) and published only once the transaction committed.
/// </summary>
internal sealed class EntityChangeLog
{
    private readonly PreparedCommands _commands;
    private readonly List<EntityChange> _changes = new();
    // A context's ancestors, read once per batch: 10,000 tasks created under one shot share them.
    // Forgotten whenever a context is updated or removed (a move changes its descendants' chains).
    private readonly Dictionary<string, List<ParentLink>> _chains = new(StringComparer.Ordinal);

    public EntityChangeLog(PreparedCommands commands) => _commands = commands;

    public IReadOnlyList<EntityChange> Changes => _changes;

    /// <summary>A created entity: every value it was given or defaulted to, old values null.</summary>
    public void Added(EntityType type, object?[] key, IReadOnlyDictionary<string, object?> columns)
    {
        var changes = columns.Where(c => c.Value != null && !type.Table.PrimaryKey.Contains(c.Key))
            .Select(c => new KeyChange(LegacyKey(c.Key), null, c.Value)).ToList();
        _changes.Add(Describe(type, key, "add", changes, columns));
    }

    /// <summary>The stored row (all its columns) before an update or a delete changes it.</summary>
    public Dictionary<string, object?> ReadRow(EntityType type, object?[] key) => ReadRow(type.Table, key);

    private Dictionary<string, object?> ReadRow(TableDef table, object?[] key)
    {
        var where = string.Join(" AND ", table.PrimaryKey.Select((k, i) => $"{Database.Quote(k)} = ${i}"));
        using var reader = _commands.Get($"SELECT * FROM {table.Quoted} WHERE {where}", key).ExecuteReader();
        var row = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (reader.Read())
            for (var i = 0; i < reader.FieldCount; i++)
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        return row;
    }

    /// <summary>An updated entity: the columns whose value changed, with the value before and after.</summary>
    public void Updated(EntityType type, object?[] key, Dictionary<string, object?> before, IReadOnlyDictionary<string, object?> written)
    {
        var changes = new List<KeyChange>();
        foreach (var (column, value) in written)
        {
            var old = before.GetValueOrDefault(column);
            if (!SameValue(old, value))
                changes.Add(new KeyChange(LegacyKey(column), old, value));
        }
        if (changes.Count == 0)
            return;
        if (type.IsContext)
            _chains.Clear();
        var after = new Dictionary<string, object?>(before);
        foreach (var (column, value) in written)
            after[column] = value;
        _changes.Add(Describe(type, key, "update", changes, after));
    }

    /// <summary>An entity about to be deleted (its parents are read while they still exist).</summary>
    public void Removed(EntityType type, object?[] key)
    {
        var row = ReadRow(type, key);
        _changes.Add(Describe(type, key, "remove", [], row));
        if (type.IsContext)
            _chains.Clear();
    }

    /// <summary>A row a delete takes with it (a shot's tasks, a version's components): removed too, its type read from the row.</summary>
    public void RemovedRow(EntityModel model, TableDef table, string id)
    {
        var row = ReadRow(table, [id]);
        if (row.Count == 0)
            return;
        var columns = row.Keys.Select((name, index) => (name, index)).ToDictionary(c => c.name, c => c.index, StringComparer.Ordinal);
        var type = model.ResolveRowType(table, row.Values.ToArray(), columns);
        _changes.Add(Describe(type, [id], "remove", [], row));
    }

    /// <summary>A custom attribute's value as the entity has it now (set, inherited or its default, as JSON), and its key; null when it does not apply.</summary>
    public (string Key, string Json, string Kind)? ReadCustomAttribute(string configurationId, string entityId)
    {
        using var reader = _commands.Get($"SELECT \"key\", value, {CustomAttributeStore.KindColumn} FROM {CustomAttributeStore.ValueView} WHERE configuration_id = $0 AND entity_id = $1",
            configurationId, entityId).ExecuteReader();
        if (!reader.Read())
            return null;
        return (reader.GetString(0), reader.IsDBNull(1) ? "null" : reader.GetString(1), reader.IsDBNull(2) ? "" : reader.GetString(2));
    }

    /// <summary>
    /// A custom attribute value written or cleared: ftrack reports it as an update of the entity
    /// that has it, the attribute's key among the keys, with the value before and after.
    /// </summary>
    public void CustomAttributeChanged(string configurationId, string entityId, (string Key, string Json, string Kind) before)
    {
        var after = ReadCustomAttribute(configurationId, entityId);
        var now = after?.Json ?? "null";
        if (now == before.Json)
            return;
        var change = new KeyChange(before.Key, new RawJson(before.Json), new RawJson(now));
        var existing = _changes.FindIndex(c => c.EntityId == entityId && c.Action != "remove");
        if (existing >= 0)
        {
            _changes[existing].Changes.RemoveAll(c => c.Key == before.Key);
            _changes[existing].Changes.Add(change);
            return;
        }
        if (before.Kind == "context")
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            using (var reader = _commands.Get("SELECT context_type, parent_id, object_type_id FROM context WHERE id = $0", entityId).ExecuteReader())
            {
                if (reader.Read())
                {
                    row["context_type"] = reader.IsDBNull(0) ? null : reader.GetString(0);
                    row["parent_id"] = reader.IsDBNull(1) ? null : reader.GetString(1);
                    row["object_type_id"] = reader.IsDBNull(2) ? null : reader.GetString(2);
                }
            }
            var contextType = row.GetValueOrDefault("context_type") as string ?? "task";
            var parentId = row.GetValueOrDefault("parent_id") as string;
            var parents = new List<ParentLink> { new(entityId, contextType, contextType == "show" ? "Project" : "TypedContext", parentId) };
            if (parentId != null)
                parents.AddRange(ContextChain(parentId));
            _changes.Add(new EntityChange(entityId, contextType, contextType == "show" ? "Project" : "TypedContext", "update", [change], parents, parentId, row.GetValueOrDefault("object_type_id") as string));
            return;
        }
        var apiType = before.Kind switch { "assetversion" => "AssetVersion", "asset" => "Asset", "user" => "User", "list" => "List", _ => before.Kind };
        _changes.Add(new EntityChange(entityId, before.Kind, apiType, "update", [change], [new ParentLink(entityId, before.Kind, apiType, null)], null, null));
    }

    private static bool SameValue(object? a, object? b)
    {
        if (a == null || b == null)
            return a == null && b == null;
        if (a is IConvertible && b is IConvertible && a.GetType() != b.GetType())
            return string.Equals(Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture), Convert.ToString(b, System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return Equals(a, b);
    }

    /// <summary>
    /// ftrack's event keys are its database's column names: the API's attribute names without
    /// underscores (status_id is statusid, start_date startdate).
    /// </summary>
    public static string LegacyKey(string column) => column.Replace("_", "", StringComparison.Ordinal);

    private EntityChange Describe(EntityType type, object?[] key, string action, List<KeyChange> changes, IReadOnlyDictionary<string, object?> row)
    {
        var id = key.Length == 1 ? Convert.ToString(key[0], System.Globalization.CultureInfo.InvariantCulture)! : string.Join(",", key);
        var parents = new List<ParentLink>();
        string? parentId = null;
        string? objectTypeId = null;
        string legacyType;
        if (type.IsContext)
        {
            legacyType = row.GetValueOrDefault("context_type") as string ?? (type.Name == "Project" ? "show" : "task");
            parentId = row.GetValueOrDefault("parent_id") as string;
            objectTypeId = row.GetValueOrDefault("object_type_id") as string;
            parents.Add(new ParentLink(id, legacyType, type.Name, parentId));
            if (parentId != null)
                parents.AddRange(ContextChain(parentId));
        }
        else
        {
            legacyType = type.Table.Name.Replace("_", "", StringComparison.Ordinal);
            // The context an entity lives under: a version's asset's, an asset's, a note's or timelog's.
            var context = row.GetValueOrDefault("context_id") as string ?? row.GetValueOrDefault("parent_id") as string;
            if (type.Table.Name == "asset_version" && row.GetValueOrDefault("asset_id") is string assetId)
            {
                parentId = assetId;
                using var reader = _commands.Get("SELECT context_id FROM asset WHERE id = $0", assetId).ExecuteReader();
                var assetContext = reader.Read() && !reader.IsDBNull(0) ? reader.GetString(0) : null;
                parents.Add(new ParentLink(id, legacyType, type.Name, assetId));
                parents.Add(new ParentLink(assetId, "asset", "Asset", assetContext));
                context = assetContext;
            }
            else
            {
                parentId = context;
                parents.Add(new ParentLink(id, legacyType, type.Name, context));
            }
            if (context != null)
                parents.AddRange(ContextChain(context));
        }
        return new EntityChange(id, legacyType, type.Name, action, changes, parents, parentId, objectTypeId);
    }

    /// <summary>A context and its ancestors up to the project, nearest first (nothing when the id is no context).</summary>
    private List<ParentLink> ContextChain(string contextId)
    {
        if (_chains.TryGetValue(contextId, out var known))
            return known;
        var chain = new List<ParentLink>();
        using var reader = _commands.Get(
            "WITH RECURSIVE up(id, parent_id, context_type, depth) AS (SELECT id, parent_id, context_type, 0 FROM context WHERE id = $0 "
            + "UNION ALL SELECT c.id, c.parent_id, c.context_type, up.depth + 1 FROM context c JOIN up ON c.id = up.parent_id WHERE up.depth < 100) "
            + "SELECT id, parent_id, context_type FROM up ORDER BY depth", contextId).ExecuteReader();
        while (reader.Read())
        {
            var contextType = reader.IsDBNull(2) ? "task" : reader.GetString(2);
            chain.Add(new ParentLink(reader.GetString(0), contextType, contextType == "show" ? "Project" : "TypedContext", reader.IsDBNull(1) ? null : reader.GetString(1)));
        }
        _chains[contextId] = chain;
        return chain;
    }
}

/// <summary>A value that is JSON already (a custom attribute's), written as is.</summary>
internal sealed record RawJson(string Json);

/// <summary>One key of an entity that changed: its value before (null when added) and after (null when removed).</summary>
internal sealed record KeyChange(string Key, object? Old, object? New);

/// <summary>An entity or one of its ancestors, as <c>parents</c> lists them (the entity first, the project last).</summary>
internal sealed record ParentLink(string EntityId, string EntityType, string ApiType, string? ParentId);

/// <summary>One entity of an <c>ftrack.update</c>: added, updated or removed, with its changed keys and its parents.</summary>
internal sealed record EntityChange(string EntityId, string EntityType, string ApiType, string Action, List<KeyChange> Changes, List<ParentLink> Parents, string? ParentId, string? ObjectTypeId);
