using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Ftrack.Server.Encoding;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Ftrack.Server.Query;

/// <summary>
/// Runs a compiled query and loads its projections into the response's identity map. Related
/// entities are fetched per projection path with one IN query over all rows of the level
/// (never one query per row), so cost grows with rows times paths, not with their product.
/// </summary>
internal sealed class EntityLoader
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly EntityModel _model;
    private readonly ResponseIdentityMap _map;
    private readonly PageCursorCache? _cursors;
    private readonly Dictionary<string, string> _sharedStrings = new(StringComparer.Ordinal);

    public EntityLoader(SqliteConnection connection, SqliteTransaction transaction, EntityModel model, ResponseIdentityMap map, PageCursorCache? cursors = null)
    {
        _cursors = cursors;
        _connection = connection;
        _transaction = transaction;
        _model = model;
        _map = map;
    }

    /// <summary>
    /// One loaded row: its record, the raw column values it was read with, and one extra column:
    /// the owner's key for collection members, the rowid for root rows.
    /// </summary>
    private readonly record struct Row(EntityRecord Record, object?[] Values, string? Owner);

    public List<EntityRecord> Query(ParsedQuery query, out long? nextOffset)
    {
        var compiled = SqlCompiler.Compile(_model, query);
        var node = ProjectionNode.Build(compiled.Type, query.Projections);
        var columns = ColumnsFor(node);
        var offset = query.Offset ?? 0;
        var sql = $"SELECT {string.Join(", ", columns.Select(c => compiled.RootAlias + "." + Database.Quote(c)))}, {compiled.RootAlias}.rowid FROM {compiled.From} WHERE {compiled.Where}";
        // Without "order by" rows come in rowid order, so a remembered page end replaces OFFSET.
        var cursorKey = _cursors != null && query.OrderBy.Count == 0 && query.Limit != null ? sql + "\u0001" + string.Join("\u0001", compiled.Parameters) : null;
        var writeVersion = cursorKey != null ? WriteVersion() : 0;
        long cursor = 0;
        var useCursor = cursorKey != null && offset > 0 && _cursors!.TryGet(cursorKey, writeVersion, offset, out cursor);
        using var command = Command(sql + (useCursor ? $" AND {compiled.RootAlias}.rowid > $cursor" : "") + $" ORDER BY {compiled.OrderBy}");
        for (var i = 0; i < compiled.Parameters.Count; i++)
            command.Parameters.AddWithValue("$p" + i, compiled.Parameters[i] ?? DBNull.Value);
        if (useCursor)
            command.Parameters.AddWithValue("$cursor", cursor);
        if (query.Limit != null || offset > 0)
        {
            // One row beyond the page tells whether another page exists.
            command.CommandText += " LIMIT $limit OFFSET $offset";
            command.Parameters.AddWithValue("$limit", query.Limit is { } l ? l + 1 : -1);
            command.Parameters.AddWithValue("$offset", useCursor ? 0 : offset);
        }
        var rows = Read(command, node, columns, hasOwner: true);
        nextOffset = null;
        if (query.Limit is { } limit && rows.Count > limit)
        {
            rows.RemoveRange((int)limit, rows.Count - (int)limit);
            nextOffset = limit > 0 ? offset + limit : null;
            if (cursorKey != null && limit > 0)
                _cursors!.Store(cursorKey, writeVersion, offset + limit, long.Parse(rows[^1].Owner!, System.Globalization.CultureInfo.InvariantCulture));
        }
        LoadRelations(node, rows, columns);
        return rows.Select(r => r.Record).ToList();
    }

    /// <summary>Loads the given attributes for already known entities (used for create results).</summary>
    public EntityRecord? LoadByKey(EntityType type, object?[] key, IEnumerable<string> attributes)
    {
        var node = new ProjectionNode(type);
        foreach (var attribute in attributes)
            node.Attributes.Add(attribute);
        var columns = ColumnsFor(node);
        var where = string.Join(" AND ", type.PrimaryKey.Select((k, i) => $"m.{Database.Quote(type.Attributes[k].Column!)} = $k{i}"));
        using var command = Command($"SELECT {string.Join(", ", columns.Select(c => "m." + Database.Quote(c)))} FROM {type.Table.Quoted} m WHERE {where}");
        for (var i = 0; i < key.Length; i++)
            command.Parameters.AddWithValue("$k" + i, key[i] ?? DBNull.Value);
        var rows = Read(command, node, columns, hasOwner: false);
        LoadRelations(node, rows, columns);
        return rows.Count == 0 ? null : rows[0].Record;
    }

    /// <summary>The write version as this transaction's snapshot sees it.</summary>
    private long WriteVersion()
    {
        using var command = Command("SELECT value FROM server_setting WHERE name = 'write_version'");
        return command.ExecuteScalar() is string text && long.TryParse(text, out var version) ? version : 0;
    }

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Columns to read for a node: keys, classifiers, system projections, requested scalars and foreign keys.</summary>
    private static List<string> ColumnsFor(ProjectionNode node)
    {
        var table = node.Type.Table;
        var columns = new List<string>(table.PrimaryKey);
        void Add(string column)
        {
            if (table.Columns.ContainsKey(column) && !columns.Contains(column))
                columns.Add(column);
        }
        foreach (var member in table.Members)
        {
            foreach (var (column, _) in member.Classifiers)
                Add(column);
            foreach (var attribute in member.AlwaysProjected)
                Add(attribute);
        }
        foreach (var attribute in node.Attributes)
        {
            Add(attribute);
            if (attribute == "bid_time_logged_difference")
                Add("bid");
        }
        foreach (var (name, _) in node.Relations)
            if (node.Type.FindAttribute(name) is { Kind: AttributeKind.Reference } reference)
                Add(reference.Column!);
        return columns;
    }

    private List<Row> Read(SqliteCommand command, ProjectionNode node, List<string> columns, bool hasOwner)
    {
        var table = node.Type.Table;
        var columnIndex = new Dictionary<string, int>(columns.Count);
        for (var i = 0; i < columns.Count; i++)
            columnIndex[columns[i]] = i;
        var keyIndexes = table.PrimaryKey.Select(k => columnIndex[k]).ToArray();
        // Foreign keys and classifiers repeat across rows (every task has the same project_id):
        // sharing one string per value keeps large results small in memory.
        var shared = columns.Select(c => !table.PrimaryKey.Contains(c) && (c.EndsWith("_id", StringComparison.Ordinal) || c.EndsWith("_type", StringComparison.Ordinal))).ToArray();
        // Which columns to keep depends only on the row's type: work it out once per type, not per row.
        var recordedByType = new Dictionary<EntityType, (string Name, int Index)[]>();
        (string Name, int Index)[] Recorded(EntityType type)
        {
            if (!recordedByType.TryGetValue(type, out var recorded))
            {
                recorded = type.AlwaysProjected.Concat(node.Attributes).Distinct()
                    .Where(a => columnIndex.ContainsKey(a) && type.Attributes.TryGetValue(a, out var def) && def.Kind == AttributeKind.Scalar)
                    .Select(a => (a, columnIndex[a])).ToArray();
                recordedByType[type] = recorded;
            }
            return recorded;
        }
        var rows = new List<Row>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var values = new object?[columns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                var value = reader.IsDBNull(i) ? null : reader.GetValue(i);
                if (shared[i] && value is string text)
                {
                    if (_sharedStrings.TryGetValue(text, out var existing))
                        value = existing;
                    else if (_sharedStrings.Count < 100_000)
                        _sharedStrings[text] = text;
                }
                values[i] = value;
            }
            var keyValues = new object?[keyIndexes.Length];
            for (var i = 0; i < keyIndexes.Length; i++)
                keyValues[i] = values[keyIndexes[i]];
            var rowType = table.ClassifiedMembers.Count == 0 ? table.BaseType! : _model.ResolveRowType(table, values, columnIndex);
            if (!rowType.IsA(node.Type) && !node.Type.IsA(rowType))
                rowType = node.Type;
            var record = _map.GetOrAdd(rowType, ResponseIdentityMap.KeyOf(keyValues), keyValues);
            foreach (var (name, index) in Recorded(record.Type))
                record.Values[name] = values[index];
            rows.Add(new Row(record, values, hasOwner ? reader.GetValue(columns.Count)?.ToString() : null));
        }
        return rows;
    }

    private void LoadRelations(ProjectionNode node, List<Row> allRows, List<string> columns)
    {
        if (allRows.Count == 0)
            return;
        var rows = allRows;
        foreach (var name in node.Unsupported)
        {
            var isCollection = node.Type.Schema["properties"]?[name]?["items"] != null;
            foreach (var row in rows)
                row.Record.Values[name] = isCollection ? new List<EntityRecord>() : null;
        }
        foreach (var name in node.Attributes)
        {
            if (node.Type.FindAttribute(name) is { Kind: AttributeKind.Computed })
                LoadComputed(node, name, rows.Where(r => r.Record.Type.Attributes.ContainsKey(name)).ToList(), columns);
        }
        foreach (var (name, child) in node.Relations)
        {
            var attribute = node.Type.FindAttribute(name)!;
            // Rows of a subtype without this relation (a Project among Context children) get nothing.
            rows = rows.Where(r => r.Record.Type.Attributes.ContainsKey(name)).ToList();
            if (rows.Count == 0)
                continue;
            if (attribute.Kind == AttributeKind.Reference)
                LoadReference(name, child, rows, columns.IndexOf(attribute.Column!));
            else if (attribute.Kind == AttributeKind.Collection)
                LoadCollection(attribute, child, rows);
            else if (name == "latest_version")
                LoadLatestVersion(child, rows);
        }
    }

    private static string JsonKeys(IEnumerable<string> keys) => JsonSerializer.Serialize(keys.Distinct().ToList());

    private void LoadReference(string name, ProjectionNode child, List<Row> rows, int foreignKeyIndex)
    {
        var keys = rows.Select(r => r.Values[foreignKeyIndex]?.ToString()).Where(k => k != null).Select(k => k!).ToList();
        var targets = FetchByKeys(child, keys);
        foreach (var row in rows)
        {
            var key = row.Values[foreignKeyIndex]?.ToString();
            row.Record.Values[name] = key != null && targets.TryGetValue(key, out var target) ? target : null;
        }
    }

    /// <summary>Loads the entities with the given primary keys at one projection node, in one query.</summary>
    private Dictionary<string, EntityRecord> FetchByKeys(ProjectionNode child, List<string> keys)
    {
        var result = new Dictionary<string, EntityRecord>();
        if (keys.Count == 0)
            return result;
        var table = child.Type.Table;
        var columns = ColumnsFor(child);
        using var command = Command($"SELECT {string.Join(", ", columns.Select(c => "m." + Database.Quote(c)))} FROM {table.Quoted} m WHERE m.{Database.Quote(table.PrimaryKey[0])} IN (SELECT value FROM json_each($keys))");
        command.Parameters.AddWithValue("$keys", JsonKeys(keys));
        var rows = Read(command, child, columns, hasOwner: false);
        foreach (var row in rows)
            result[row.Record.Key] = row.Record;
        LoadRelations(child, rows, columns);
        return result;
    }

    private void LoadCollection(AttributeDef collection, ProjectionNode child, List<Row> owners)
    {
        var target = collection.Target!;
        var columns = ColumnsFor(child);
        var select = string.Join(", ", columns.Select(c => "m." + Database.Quote(c)));
        var filter = string.Join("", target.Classifiers.Select((c, i) => $" AND m.{Database.Quote(c.Column)} = $c{i}"));
        if (collection.MemberFilter is { } extra)
            filter += $" AND m.{Database.Quote(extra.Column)} = $extra";
        var sql = collection.Shape switch
        {
            CollectionShape.ForeignKeyOnTarget =>
                $"SELECT {select}, m.{Database.Quote(collection.TargetColumn!)} FROM {target.Table.Quoted} m WHERE m.{Database.Quote(collection.TargetColumn!)} IN (SELECT value FROM json_each($keys)){filter} ORDER BY m.rowid",
            CollectionShape.LinkTable =>
                $"SELECT {select}, l.{Database.Quote(collection.LinkSourceColumn!)} FROM \"{collection.LinkTable}\" l JOIN {target.Table.Quoted} m ON m.\"id\" = l.{Database.Quote(collection.LinkTargetColumn!)} WHERE l.{Database.Quote(collection.LinkSourceColumn!)} IN (SELECT value FROM json_each($keys)){filter} ORDER BY l.rowid",
            CollectionShape.Ancestors =>
                $"SELECT {select}, c.descendant_id FROM {Database.ClosureTable} c JOIN {target.Table.Quoted} m ON m.\"id\" = c.ancestor_id WHERE c.descendant_id IN (SELECT value FROM json_each($keys)) AND c.depth > 0{filter} ORDER BY c.depth DESC",
            _ =>
                $"SELECT {select}, c.ancestor_id FROM {Database.ClosureTable} c JOIN {target.Table.Quoted} m ON m.\"id\" = c.descendant_id WHERE c.ancestor_id IN (SELECT value FROM json_each($keys)) AND c.depth > 0{filter} ORDER BY c.depth, m.rowid",
        };
        using var command = Command(sql);
        command.Parameters.AddWithValue("$keys", JsonKeys(owners.Select(o => o.Record.Key)));
        for (var i = 0; i < target.Classifiers.Count; i++)
            command.Parameters.AddWithValue("$c" + i, target.Classifiers[i].Value);
        if (collection.MemberFilter is { } memberFilter)
            command.Parameters.AddWithValue("$extra", memberFilter.Value);
        var members = Read(command, child, columns, hasOwner: true);
        var byOwner = new Dictionary<string, List<EntityRecord>>();
        foreach (var member in members)
        {
            if (!byOwner.TryGetValue(member.Owner!, out var list))
                byOwner[member.Owner!] = list = new List<EntityRecord>();
            list.Add(member.Record);
        }
        foreach (var owner in owners)
            owner.Record.Values[collection.Name] = byOwner.GetValueOrDefault(owner.Record.Key) ?? new List<EntityRecord>();
        // Members reached from several owners appear once per owner row; load their relations once.
        var distinct = members.GroupBy(m => m.Record).Select(g => g.First()).ToList();
        LoadRelations(child, distinct, columns);
    }

    private void LoadLatestVersion(ProjectionNode child, List<Row> assets)
    {
        using var command = Command("SELECT v.asset_id, v.id FROM asset_version v WHERE v.asset_id IN (SELECT value FROM json_each($keys)) AND v.version = (SELECT MAX(w.version) FROM asset_version w WHERE w.asset_id = v.asset_id)");
        command.Parameters.AddWithValue("$keys", JsonKeys(assets.Select(a => a.Record.Key)));
        var latest = new Dictionary<string, string>();
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                latest[reader.GetString(0)] = reader.GetString(1);
        var targets = FetchByKeys(child, latest.Values.ToList());
        foreach (var asset in assets)
            asset.Record.Values["latest_version"] = latest.TryGetValue(asset.Record.Key, out var id) && targets.TryGetValue(id, out var version) ? version : null;
    }

    private void LoadComputed(ProjectionNode node, string name, List<Row> rows, List<string> columns)
    {
        var keys = JsonKeys(rows.Select(r => r.Record.Key));
        switch (name)
        {
            case "link" or "_link" when node.Type.IsContext:
            {
                using var command = Command($"SELECT c.descendant_id, a.id, a.name, a.context_type FROM {Database.ClosureTable} c JOIN context a ON a.id = c.ancestor_id WHERE c.descendant_id IN (SELECT value FROM json_each($keys)) ORDER BY c.descendant_id, c.depth DESC");
                command.Parameters.AddWithValue("$keys", keys);
                var links = new Dictionary<string, List<LinkItem>>();
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        var owner = reader.GetString(0);
                        if (!links.TryGetValue(owner, out var list))
                            links[owner] = list = new List<LinkItem>();
                        list.Add(new LinkItem(reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) || reader.GetString(3) != "show" ? "TypedContext" : "Project"));
                    }
                }
                foreach (var row in rows)
                    row.Record.Values[name] = links.GetValueOrDefault(row.Record.Key) ?? new List<LinkItem>();
                return;
            }
            case "time_logged" or "bid_time_logged_difference" when node.Type.IsContext:
            {
                using var command = Command("SELECT context_id, TOTAL(duration) FROM timelog WHERE context_id IN (SELECT value FROM json_each($keys)) GROUP BY context_id");
                command.Parameters.AddWithValue("$keys", keys);
                var logged = new Dictionary<string, double>();
                using (var reader = command.ExecuteReader())
                    while (reader.Read())
                        logged[reader.GetString(0)] = reader.GetDouble(1);
                var bidIndex = columns.IndexOf("bid");
                foreach (var row in rows)
                {
                    var total = logged.GetValueOrDefault(row.Record.Key);
                    object value = total;
                    if (name == "bid_time_logged_difference")
                        value = (bidIndex >= 0 && row.Values[bidIndex] is { } bid ? Convert.ToDouble(bid) : 0) - total;
                    row.Record.Values[name] = value;
                }
                return;
            }
            case "is_latest_version" when node.Type.Name == "AssetVersion":
            {
                using var command = Command("SELECT v.id, v.version >= (SELECT MAX(w.version) FROM asset_version w WHERE w.asset_id = v.asset_id) FROM asset_version v WHERE v.id IN (SELECT value FROM json_each($keys))");
                command.Parameters.AddWithValue("$keys", keys);
                var latest = new Dictionary<string, bool>();
                using (var reader = command.ExecuteReader())
                    while (reader.Read())
                        latest[reader.GetString(0)] = !reader.IsDBNull(1) && reader.GetInt64(1) != 0;
                foreach (var row in rows)
                    row.Record.Values[name] = latest.GetValueOrDefault(row.Record.Key, true);
                return;
            }
            default:
                // Thumbnails and server URLs have no meaning for a local server without storage.
                foreach (var row in rows)
                    row.Record.Values[name] = null;
                return;
        }
    }
}
