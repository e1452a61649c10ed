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
    private readonly PreparedCommands _sql;
    private readonly EntityModel _model;
    private readonly ResponseIdentityMap _map;
    private readonly PageCursorCache? _cursors;
    private readonly Dictionary<string, string> _sharedStrings = new(StringComparer.Ordinal);

    private readonly ComputeContext _compute;

    /// <param name="urls">Signs the URLs computed attributes answer (thumbnail_url, ComponentLocation.url); null: they read as null.</param>
    /// <param name="serverUrl">The server's address as the client reached it, for those URLs.</param>
    public EntityLoader(PreparedCommands sql, EntityModel model, ResponseIdentityMap map, PageCursorCache? cursors = null, Api.ComponentUrls? urls = null, string? serverUrl = null)
    {
        _compute = new ComputeContext(sql, urls, serverUrl);
        _cursors = cursors;
        _sql = sql;
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
        var cursorKey = _cursors != null && query.OrderBy.Count == 0 && query.Limit != null ? PageCursorCache.KeyOf(sql, compiled.Parameters) : null;
        var writeVersion = cursorKey != null ? WriteVersion() : 0;
        long cursor = 0;
        var useCursor = cursorKey != null && offset > 0 && _cursors!.TryGet(cursorKey, writeVersion, offset, out cursor);
        // The compiled parameters are $0..$n-1; the page's own values follow them.
        var values = new List<object?>(compiled.Parameters);
        string Next(object? value)
        {
            values.Add(value);
            return "$" + (values.Count - 1);
        }
        if (useCursor)
            sql += $" AND {compiled.RootAlias}.rowid > {Next(cursor)}";
        sql += $" ORDER BY {compiled.OrderBy}";
        // One row beyond the page tells whether another page exists.
        if (query.Limit != null || offset > 0)
            sql += $" LIMIT {Next(query.Limit is { } l ? l + 1 : -1)} OFFSET {Next(useCursor ? 0 : offset)}";
        var rows = Read(_sql.Get(sql, values.ToArray()), node, columns, hasOwner: true);
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

    /// <summary>Loads the given attributes (or relations, as references) of one entity: the result of a write.</summary>
    public EntityRecord? LoadByKey(EntityType type, object?[] key, IEnumerable<string> attributes)
    {
        var node = new ProjectionNode(type);
        foreach (var attribute in attributes)
            node.AddPath(attribute);
        var columns = ColumnsFor(node);
        var where = string.Join(" AND ", type.PrimaryKey.Select((k, i) => $"m.{Database.Quote(type.Attributes[k].Column!)} = ${i}"));
        var rows = Read(_sql.Get($"SELECT {string.Join(", ", columns.Select(c => "m." + Database.Quote(c)))} FROM {type.Table.Quoted} m WHERE {where}", key), node, columns, hasOwner: false);
        LoadRelations(node, rows, columns);
        return rows.Count == 0 ? null : rows[0].Record;
    }

    /// <summary>The write version as this transaction's snapshot sees it.</summary>
    private long WriteVersion() =>
        _sql.Get("SELECT value FROM server_setting WHERE name = 'write_version'").ExecuteScalar() is string text && long.TryParse(text, out var version) ? version : 0;

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
            if (ComputedAttributes.Find(node.Type, attribute)?.NeedsColumn is { } needed)
                Add(needed);
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

    private void LoadRelations(ProjectionNode node, List<Row> rows, List<string> columns)
    {
        if (rows.Count == 0)
            return;
        foreach (var name in node.Unsupported)
        {
            var isCollection = node.Type.Schema["properties"]?[name]?["items"] != null;
            foreach (var row in rows)
                row.Record.Values[name] = isCollection ? new List<EntityRecord>() : null;
        }
        // Rows of a subtype without an attribute (a Project among Context children) get nothing for it.
        List<Row> Having(string name) => rows.Where(r => r.Record.Type.Attributes.ContainsKey(name)).ToList();
        foreach (var name in node.Attributes)
        {
            if (node.Type.FindAttribute(name) is { Kind: AttributeKind.Computed })
                LoadComputed(node, name, Having(name), columns);
        }
        foreach (var (name, child) in node.Relations)
        {
            var attribute = node.Type.FindAttribute(name)!;
            var holders = Having(name);
            if (holders.Count == 0)
                continue;
            if (attribute.Kind == AttributeKind.Reference)
                LoadReference(name, child, holders, columns.IndexOf(attribute.Column!));
            else if (attribute.Kind == AttributeKind.Collection)
                LoadCollection(attribute, child, holders);
            else
                LoadComputedReference(node, name, child, holders, columns);
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
        var rows = Read(_sql.Get($"SELECT {string.Join(", ", columns.Select(c => "m." + Database.Quote(c)))} FROM {table.Quoted} m WHERE m.{Database.Quote(table.PrimaryKey[0])} IN (SELECT value FROM json_each($0))", JsonKeys(keys)), child, columns, hasOwner: false);
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
        // $0 is the owners' keys; the member filters' values follow.
        var values = new List<object?> { JsonKeys(owners.Select(o => o.Record.Key)) };
        string Parameter(string value)
        {
            values.Add(value);
            return "$" + (values.Count - 1);
        }
        var filter = " AND " + target.RowFilter("m", Parameter);
        if (collection.MemberFilter is { } extra)
            filter += $" AND m.{Database.Quote(extra.Column)} = {Parameter(extra.Value)}";
        var sql = collection.Shape switch
        {
            CollectionShape.ForeignKeyOnTarget =>
                $"SELECT {select}, m.{Database.Quote(collection.TargetColumn!)} FROM {target.Table.Quoted} m WHERE m.{Database.Quote(collection.TargetColumn!)} IN (SELECT value FROM json_each($0)){filter} ORDER BY m.rowid",
            CollectionShape.LinkTable =>
                $"SELECT {select}, l.{Database.Quote(collection.LinkSourceColumn!)} FROM \"{collection.LinkTable}\" l JOIN {target.Table.Quoted} m ON m.\"id\" = l.{Database.Quote(collection.LinkTargetColumn!)} WHERE l.{Database.Quote(collection.LinkSourceColumn!)} IN (SELECT value FROM json_each($0)){filter} ORDER BY l.rowid",
            CollectionShape.Ancestors =>
                $"SELECT {select}, c.descendant_id FROM {Database.ClosureTable} c JOIN {target.Table.Quoted} m ON m.\"id\" = c.ancestor_id WHERE c.descendant_id IN (SELECT value FROM json_each($0)) AND c.depth > 0{filter} ORDER BY c.depth DESC",
            _ =>
                $"SELECT {select}, c.ancestor_id FROM {Database.ClosureTable} c JOIN {target.Table.Quoted} m ON m.\"id\" = c.descendant_id WHERE c.ancestor_id IN (SELECT value FROM json_each($0)) AND c.depth > 0{filter} ORDER BY c.depth, m.rowid",
        };
        var members = Read(_sql.Get(sql, values.ToArray()), child, columns, hasOwner: true);
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

    /// <summary>Computed scalar attributes (link, time_logged, ...) of the rows, from the one table of them.</summary>
    private void LoadComputed(ProjectionNode node, string name, List<Row> rows, List<string> columns)
    {
        if (rows.Count == 0)
            return;
        var values = ComputedAttributes.Find(node.Type, name) is { } computed ? computed.Compute(_compute, ComputedRows(rows, columns)) : new object?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
            rows[i].Record.Values[name] = values[i];
    }

    /// <summary>A computed relation (latest_version): the table gives the related keys, loaded like a reference.</summary>
    private void LoadComputedReference(ProjectionNode node, string name, ProjectionNode child, List<Row> rows, List<string> columns)
    {
        var keys = ComputedAttributes.Find(node.Type, name) is { } computed ? computed.Compute(_compute, ComputedRows(rows, columns)) : new object?[rows.Count];
        var targets = FetchByKeys(child, keys.OfType<string>().ToList());
        for (var i = 0; i < rows.Count; i++)
            rows[i].Record.Values[name] = keys[i] is string key && targets.TryGetValue(key, out var target) ? target : null;
    }

    private static List<ComputedRow> ComputedRows(List<Row> rows, List<string> columns) =>
        rows.Select(r => new ComputedRow(r.Record.Key, column => columns.IndexOf(column) is var index and >= 0 ? r.Values[index] : null)).ToList();
}
