using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Ftrack.Server.Api;
using Ftrack.Server.Encoding;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Ftrack.Server.Operations;

/// <summary>
/// Creates, updates and deletes entities inside the request's transaction, enforcing what the
/// schema says (types, required, immutable, references that exist) and keeping the context
/// closure table in step with <c>parent_id</c>.
/// </summary>
internal sealed class EntityWriter
{
    /// <summary>Rows owned by another row: deleting the owner deletes them (table, owner table, column).</summary>
    private static readonly (string Owner, string Table, string Column)[] Ownership =
    [
        ("context", "timelog", "context_id"), ("context", "appointment", "context_id"), ("context", "note", "parent_id"),
        ("context", "asset", "context_id"), ("asset", "asset_version", "asset_id"), ("asset_version", "component", "version_id"),
        ("asset_version", "note", "parent_id"), ("component", "component_location", "component_id"), ("note", "note", "in_reply_to_id"),
        ("note", "note_label_link", "note_id"), ("project_schema", "project_schema_object_type", "project_schema_id"),
        ("workflow_schema", "workflow_schema_status", "workflow_schema_id"), ("task_type_schema", "task_type_schema_type", "task_type_schema_id"),
        ("location", "component_location", "location_id"),
    ];

    /// <summary>Schema defaults per type, parsed once: (column, value, whether it is a new "{uid}").</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<EntityType, (string Column, object? Value, bool NewId)[]> DefaultsByType = new();

    private readonly EntityModel _model;
    private readonly PreparedCommands _commands;
    // Per-request caches: a batch of thousands of creates checks the same parents and references over and over.
    private readonly HashSet<(string Table, string Key)> _existing = new();
    private readonly Dictionary<string, (string ContextType, string? ProjectId)> _contexts = new();
    private readonly Dictionary<string, string?> _firstStatus = new();
    private readonly Dictionary<string, List<(string Ancestor, long Depth)>> _ancestors = new();
    private readonly ResponseIdentityMap _map;
    private readonly string? _userId;

    public EntityWriter(EntityModel model, PreparedCommands commands, ResponseIdentityMap map, string? userId)
    {
        _model = model;
        _commands = commands;
        _map = map;
        _userId = userId;
    }

    public EntityRecord Create(EntityType type, JsonElement data)
    {
        if (type.IsAbstract)
            throw FtrackError.Validation($"\"{type.Name}\" cannot be created directly; create one of its concrete types.");
        if (data.ValueKind != JsonValueKind.Object)
            throw FtrackError.Validation("entity_data must be an object.");
        var values = new Dictionary<string, object?>();
        foreach (var property in data.EnumerateObject())
        {
            if (property.Name == "__entity_type__")
                continue;
            Assign(type, property.Name, property.Value, values, isUpdate: false);
        }
        ApplyDefaults(type, values);
        ValidateRequired(type, values);
        ValidateReferences(type, values);
        var keyValues = type.PrimaryKey.Select(k => values.GetValueOrDefault(type.Attributes[k].Column!)).ToArray();
        if (keyValues.Any(k => k == null))
            throw FtrackError.Validation($"The primary key of \"{type.Name}\" must be set.");
        var columns = values.Keys.ToList();
        var sql = $"INSERT INTO {type.Table.Quoted} ({string.Join(", ", columns.Select(Database.Quote))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$" + i))})";
        try
        {
            _commands.Get(sql, columns.Select(c => values[c]).ToArray()).ExecuteNonQuery();
        }
        catch (SqliteException error) when (error.SqliteErrorCode == 19)
        {
            // The primary key constraint is the duplicate check: cheaper than looking first.
            throw new FtrackError("DuplicateEntryError", $"A {type.Name} with key {Describe(keyValues)} already exists.", 409);
        }
        if (keyValues.Length == 1)
            _existing.Add((type.Table.Name, keyValues[0]!.ToString()!));
        if (type.IsContext)
        {
            _contexts[(string)values["id"]!] = ((string)values["context_type"]!, values.GetValueOrDefault("project_id") as string);
            InsertClosure((string)values["id"]!, values.GetValueOrDefault("parent_id") as string);
        }

        var record = _map.GetOrAdd(type, ResponseIdentityMap.KeyOf(keyValues), keyValues);
        foreach (var attribute in type.Attributes.Values.Where(a => a.Kind == AttributeKind.Scalar))
        {
            var value = values.GetValueOrDefault(attribute.Column!);
            if (value != null || type.AlwaysProjected.Contains(attribute.Name))
                record.Values[attribute.Name] = value;
        }
        return record;
    }

    /// <summary>Applies an update; returns the changed attribute names.</summary>
    public (object?[] Key, List<string> Changed) Update(EntityType type, JsonElement key, JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object)
            throw FtrackError.Validation("entity_data must be an object.");
        var keyValues = ReadKey(type, key);
        var existing = Find(type, keyValues);
        var values = new Dictionary<string, object?>();
        var changed = new List<string>();
        foreach (var property in data.EnumerateObject())
        {
            if (property.Name == "__entity_type__")
                continue;
            if (type.PrimaryKey.Contains(property.Name) && property.Value.ValueKind == JsonValueKind.String
                && property.Value.GetString() == keyValues[type.PrimaryKey.IndexOf(property.Name)]?.ToString())
                continue;
            if (type.Immutable.Contains(property.Name))
                throw FtrackError.Validation($"Attribute \"{property.Name}\" of \"{type.Name}\" is immutable and cannot be updated.");
            var attribute = Assign(type, property.Name, property.Value, values, isUpdate: true);
            changed.Add(attribute.Kind == AttributeKind.Reference ? ScalarNameOf(type, attribute.Column!) : attribute.Name);
        }
        foreach (var (column, value) in values)
        {
            var attribute = type.Attributes.Values.FirstOrDefault(a => a.Kind == AttributeKind.Scalar && a.Column == column);
            if (value == null && attribute != null && type.Required.Contains(attribute.Name))
                throw FtrackError.Validation($"Attribute \"{attribute.Name}\" of \"{type.Name}\" is required and cannot be set to null.");
        }
        ValidateReferences(type, values);
        if (values.Count == 0)
            return (keyValues, changed);
        var columns = values.Keys.ToList();
        var set = string.Join(", ", columns.Select((c, i) => $"{Database.Quote(c)} = ${i}"));
        var where = string.Join(" AND ", type.Table.PrimaryKey.Select((k, i) => $"{Database.Quote(k)} = ${columns.Count + i}"));
        _commands.Get($"UPDATE {type.Table.Quoted} SET {set} WHERE {where}", columns.Select(c => values[c]).Concat(keyValues).ToArray()).ExecuteNonQuery();
        if (type.IsContext && values.TryGetValue("parent_id", out var newParent) && !Equals(newParent, existing))
            MoveContext((string)keyValues[0]!, newParent as string);
        return (keyValues, changed.Distinct().ToList());
    }

    public void Delete(EntityType type, JsonElement key)
    {
        var keyValues = ReadKey(type, key);
        Find(type, keyValues);
        // Deleted rows must not be taken for existing by later operations of the batch.
        _existing.Clear();
        _contexts.Clear();
        _ancestors.Clear();
        if (type.Table.PrimaryKey.Count > 1)
        {
            var where = string.Join(" AND ", type.Table.PrimaryKey.Select((k, i) => $"{Database.Quote(k)} = ${i}"));
            _commands.Get($"DELETE FROM {type.Table.Quoted} WHERE {where}", keyValues).ExecuteNonQuery();
            return;
        }
        var ids = JsonSerializer.Serialize(new[] { keyValues[0]?.ToString() });
        if (!type.IsContext)
            EnsureUnreferenced(type, keyValues[0]!);
        if (type.IsContext)
        {
            // A context takes its whole subtree with it, as in ftrack.
            var subtree = new List<string>();
            using (var reader = _commands.Get($"SELECT descendant_id FROM {Database.ClosureTable} WHERE ancestor_id = $0", keyValues[0]).ExecuteReader())
                while (reader.Read())
                    subtree.Add(reader.GetString(0));
            ids = JsonSerializer.Serialize(subtree);
            _commands.Get($"DELETE FROM {Database.ClosureTable} WHERE descendant_id IN (SELECT value FROM json_each($0))", ids).ExecuteNonQuery();
        }
        DeleteCascading(type.Table.Name, ids);
    }

    /// <summary>
    /// Refuses to delete an entity others still point at (a Status used by tasks), as a database
    /// with foreign keys would; rows the entity owns are deleted with it instead.
    /// </summary>
    private void EnsureUnreferenced(EntityType type, object key)
    {
        var checkedColumns = new HashSet<(string, string)>();
        foreach (var other in _model.Types.Values)
        {
            foreach (var reference in other.Attributes.Values)
            {
                if (reference.Kind != AttributeKind.Reference || reference.Target!.Table != type.Table || !checkedColumns.Add((other.Table.Name, reference.Column!)))
                    continue;
                if (Ownership.Any(o => o.Owner == type.Table.Name && o.Table == other.Table.Name && o.Column == reference.Column))
                    continue;
                if (other.Table == type.Table && reference.Column == "parent_id")
                    continue;
                if (_commands.Get($"SELECT EXISTS (SELECT 1 FROM {other.Table.Quoted} WHERE {Database.Quote(reference.Column!)} = $0)", key).ExecuteScalar() is long and 1)
                    throw FtrackError.Validation($"{type.Name} {key} cannot be deleted: {other.Name}.{reference.Name} still refers to it.");
            }
        }
    }

    private void DeleteCascading(string table, string idsJson)
    {
        foreach (var (_, child, column) in Ownership.Where(o => o.Owner == table))
        {
            if (!_model.Tables.TryGetValue(child, out var childTable))
                continue;
            if (childTable.PrimaryKey.Count == 1 && childTable.PrimaryKey[0] == "id")
            {
                var childIds = new List<string>();
                using (var reader = _commands.Get($"SELECT id FROM \"{child}\" WHERE {Database.Quote(column)} IN (SELECT value FROM json_each($0))", idsJson).ExecuteReader())
                    while (reader.Read())
                        childIds.Add(reader.GetString(0));
                if (childIds.Count > 0)
                    DeleteCascading(child, JsonSerializer.Serialize(childIds));
            }
            else
            {
                _commands.Get($"DELETE FROM \"{child}\" WHERE {Database.Quote(column)} IN (SELECT value FROM json_each($0))", idsJson).ExecuteNonQuery();
            }
        }
        _commands.Get("DELETE FROM metadata WHERE parent_id IN (SELECT value FROM json_each($0))", idsJson).ExecuteNonQuery();
        _commands.Get($"DELETE FROM \"{table}\" WHERE id IN (SELECT value FROM json_each($0))", idsJson).ExecuteNonQuery();
    }

    /// <summary>
    /// Records a new context's ancestors (itself at depth 0). The parent's ancestors come from
    /// this batch's memory when it created them: an INSERT ... SELECT on the closure table itself
    /// would make SQLite copy the selection into a temporary table for every row.
    /// </summary>
    private void InsertClosure(string id, string? parentId)
    {
        var ancestors = new List<(string Ancestor, long Depth)> { (id, 0) };
        if (parentId != null)
            foreach (var (ancestor, depth) in AncestorsOf(parentId))
                ancestors.Add((ancestor, depth + 1));
        foreach (var (ancestor, depth) in ancestors)
            _commands.Get($"INSERT INTO {Database.ClosureTable} (ancestor_id, descendant_id, depth) VALUES ($0, $1, $2)", ancestor, id, depth).ExecuteNonQuery();
        _ancestors[id] = ancestors;
    }

    private List<(string Ancestor, long Depth)> AncestorsOf(string id)
    {
        if (_ancestors.TryGetValue(id, out var known))
            return known;
        var ancestors = new List<(string Ancestor, long Depth)>();
        using (var reader = _commands.Get($"SELECT ancestor_id, depth FROM {Database.ClosureTable} WHERE descendant_id = $0", id).ExecuteReader())
            while (reader.Read())
                ancestors.Add((reader.GetString(0), reader.GetInt64(1)));
        _ancestors[id] = ancestors;
        return ancestors;
    }

    /// <summary>Re-hangs a context and its subtree under a new parent in the closure table.</summary>
    private void MoveContext(string id, string? newParent)
    {
        if (newParent != null)
        {
            using var reader = _commands.Get($"SELECT 1 FROM {Database.ClosureTable} WHERE ancestor_id = $0 AND descendant_id = $1", id, newParent).ExecuteReader();
            if (reader.Read())
                throw FtrackError.Validation("A context cannot be moved below itself or one of its descendants.");
        }
        _contexts.Clear();
        _ancestors.Clear();
        var closure = Database.ClosureTable;
        _commands.Get($"DELETE FROM {closure} WHERE descendant_id IN (SELECT descendant_id FROM {closure} WHERE ancestor_id = $0) AND ancestor_id NOT IN (SELECT descendant_id FROM {closure} WHERE ancestor_id = $0)", id).ExecuteNonQuery();
        if (newParent == null)
            return;
        _commands.Get($"INSERT INTO {closure} (ancestor_id, descendant_id, depth) SELECT a.ancestor_id, d.descendant_id, a.depth + d.depth + 1 FROM {closure} a, {closure} d WHERE a.descendant_id = $1 AND d.ancestor_id = $0", id, newParent).ExecuteNonQuery();
        // Everything below moves to the new parent's project.
        _commands.Get($"UPDATE context SET project_id = (SELECT CASE WHEN p.context_type = 'show' THEN p.id ELSE p.project_id END FROM context p WHERE p.id = $1) WHERE id IN (SELECT descendant_id FROM {closure} WHERE ancestor_id = $0) AND context_type != 'show'", id, newParent).ExecuteNonQuery();
    }

    private AttributeDef Assign(EntityType type, string name, JsonElement value, Dictionary<string, object?> values, bool isUpdate)
    {
        if (!type.Attributes.TryGetValue(name, out var attribute))
            throw FtrackError.Validation($"Unknown attribute \"{name}\" on entity type \"{type.Name}\".");
        switch (attribute.Kind)
        {
            case AttributeKind.Scalar:
                values[attribute.Column!] = ValueCodec.FromJson(value, attribute.ScalarType, name);
                break;
            case AttributeKind.Reference:
                values[attribute.Column!] = ReferenceKey(attribute, value);
                break;
            case AttributeKind.Collection when value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0 && !isUpdate:
                break;
            case AttributeKind.Collection:
                throw FtrackError.Validation($"Collection \"{name}\" of \"{type.Name}\" cannot be set directly: create or update its members instead.");
            case AttributeKind.Computed:
                throw FtrackError.Validation($"Attribute \"{name}\" of \"{type.Name}\" is computed and cannot be set.");
            default:
                throw FtrackError.Validation($"Attribute \"{name}\" of \"{type.Name}\" relates to a type this local server does not store.");
        }
        return attribute;
    }

    private static object? ReferenceKey(AttributeDef reference, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            if (value.TryGetProperty("__entity_type__", out var typeName) && typeName.ValueKind == JsonValueKind.String)
            {
                var given = typeName.GetString()!;
                var target = reference.Target!;
                if (target.Lineage.Count > 0 && !target.Table.Members.Any(m => m.Name == given))
                    throw FtrackError.Validation($"Attribute \"{reference.Name}\" expects a {target.Name}, not a {given}.");
            }
            return id.GetString();
        }
        throw FtrackError.Validation($"Attribute \"{reference.Name}\" expects a reference {{\"__entity_type__\": ..., \"id\": ...}} or null.");
    }

    private static string ScalarNameOf(EntityType type, string column) =>
        type.Attributes.Values.FirstOrDefault(a => a.Kind == AttributeKind.Scalar && a.Column == column)?.Name ?? column;

    private void ApplyDefaults(EntityType type, Dictionary<string, object?> values)
    {
        foreach (var (column, value, newId) in DefaultsOf(type))
            if (!values.ContainsKey(column))
                values[column] = newId ? Guid.NewGuid().ToString() : value;
        foreach (var (column, value) in type.Classifiers)
            values[column] = value;
        if (type.Attributes.ContainsKey("created_at") && !values.ContainsKey("created_at"))
            values["created_at"] = ValueCodec.Now();
        if (type.Attributes.ContainsKey("created_by_id") && !values.ContainsKey("created_by_id"))
            values["created_by_id"] = _userId;

        if (type.IsContext)
            ApplyContextDefaults(type, values);
        switch (type.Name)
        {
            case "AssetVersion":
                values.TryAdd("user_id", _userId);
                values.TryAdd("date", ValueCodec.Now());
                if (values.GetValueOrDefault("status_id") == null)
                    values["status_id"] = FirstStatus(null);
                if (values.GetValueOrDefault("version") == null && values.GetValueOrDefault("asset_id") is string assetId)
                    values["version"] = (long)(_commands.Get("SELECT COALESCE(MAX(version), 0) + 1 FROM asset_version WHERE asset_id = $0", assetId).ExecuteScalar() ?? 1L);
                break;
            case "Note":
                values.TryAdd("user_id", _userId);
                values.TryAdd("date", ValueCodec.Now());
                break;
            case "Timelog":
                values.TryAdd("user_id", _userId);
                break;
            case "User":
                foreach (var flag in new[] { "is_active", "is_otp_enabled", "is_totp_enabled", "require_details_update" })
                    values.TryAdd(flag, 0L);
                break;
        }
        // Required numbers and flags without a schema default start at zero / false, as ftrack's do.
        foreach (var name in type.Required)
        {
            if (type.Attributes.TryGetValue(name, out var attribute) && attribute.Kind == AttributeKind.Scalar
                && attribute.ScalarType is ScalarType.Number or ScalarType.Integer or ScalarType.Boolean
                && values.GetValueOrDefault(attribute.Column!) == null)
                values[attribute.Column!] = 0L;
        }
    }

    private static (string Column, object? Value, bool NewId)[] DefaultsOf(EntityType type) =>
        DefaultsByType.GetOrAdd(type, t =>
        {
            var defaults = new List<(string, object?, bool)>();
            foreach (var (name, node) in t.Schema["properties"]!.AsObject())
            {
                if (node?["default"] is not { } defaultNode || !t.Attributes.TryGetValue(name, out var attribute) || attribute.Kind != AttributeKind.Scalar)
                    continue;
                using var document = JsonDocument.Parse(defaultNode.ToJsonString());
                var element = document.RootElement;
                var isNewId = element.ValueKind == JsonValueKind.String && element.GetString() == "{uid}";
                defaults.Add((attribute.Column!, isNewId ? null : ValueCodec.FromJson(element, attribute.ScalarType, name), isNewId));
            }
            return defaults.ToArray();
        });

    private void ApplyContextDefaults(EntityType type, Dictionary<string, object?> values)
    {
        if (type.Name == "Project")
        {
            values["project_id"] = values["id"];
            values.TryAdd("status", "active");
            values.TryAdd("full_name", values.GetValueOrDefault("name"));
            return;
        }
        if (values.GetValueOrDefault("parent_id") is not string parentId)
            throw FtrackError.Validation($"A {type.Name} needs a parent (a project or another context).");
        if (!_contexts.TryGetValue(parentId, out var parent))
        {
            using var reader = _commands.Get("SELECT context_type, project_id FROM context WHERE id = $0", parentId).ExecuteReader();
            if (!reader.Read())
                throw FtrackError.Validation($"The parent {parentId} of the new {type.Name} does not exist.");
            _contexts[parentId] = parent = (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
        }
        values["project_id"] = parent.ContextType == "show" ? parentId : parent.ProjectId;
        if (values.GetValueOrDefault("status_id") == null)
            values["status_id"] = FirstStatus(values["project_id"] as string);
        // Only tasks must have a type in ftrack; shots, sequences and folders may leave it empty.
        if (type.Name != "Task")
            values.TryAdd("type_id", null);
    }

    /// <summary>The first status of the project's task workflow, else the first status there is.</summary>
    private string? FirstStatus(string? projectId)
    {
        if (_firstStatus.TryGetValue(projectId ?? "", out var cached))
            return cached;
        var status = projectId == null ? null : _commands.Get(
            "SELECT s.id FROM context p JOIN project_schema ps ON ps.id = p.project_schema_id JOIN workflow_schema_status ws ON ws.workflow_schema_id = ps.task_workflow_schema_id JOIN status s ON s.id = ws.status_id WHERE p.id = $0 ORDER BY s.sort LIMIT 1",
            projectId).ExecuteScalar() as string;
        status ??= _commands.Get("SELECT id FROM status ORDER BY sort LIMIT 1").ExecuteScalar() as string;
        _firstStatus[projectId ?? ""] = status;
        return status;
    }

    private static void ValidateRequired(EntityType type, Dictionary<string, object?> values)
    {
        foreach (var name in type.Required)
        {
            if (!type.Attributes.TryGetValue(name, out var attribute) || attribute.Kind != AttributeKind.Scalar)
                continue;
            if (values.GetValueOrDefault(attribute.Column!) != null)
                continue;
            if (type.IsContext && type.Name != "Task" && name == "type_id")
                continue;
            throw FtrackError.Validation($"Missing required attribute \"{name}\" for {type.Name}.");
        }
    }

    /// <summary>Every foreign key set must name an existing row of the referenced table.</summary>
    private void ValidateReferences(EntityType type, Dictionary<string, object?> values)
    {
        foreach (var attribute in type.Attributes.Values)
        {
            if (attribute.Kind != AttributeKind.Reference || !values.TryGetValue(attribute.Column!, out var key) || key == null)
                continue;
            var table = attribute.Target!.Table;
            if (_existing.Contains((table.Name, key.ToString()!)))
                continue;
            if (Exists(table, [key]))
                _existing.Add((table.Name, key.ToString()!));
            else
                throw FtrackError.Validation($"Attribute \"{attribute.Name}\" of {type.Name} references {attribute.Target.Name} {key}, which does not exist.");
        }
    }

    private bool Exists(TableDef table, object?[] keyValues)
    {
        var where = string.Join(" AND ", table.PrimaryKey.Take(keyValues.Length).Select((k, i) => $"{Database.Quote(k)} = ${i}"));
        return _commands.Get($"SELECT EXISTS (SELECT 1 FROM {table.Quoted} WHERE {where})", keyValues).ExecuteScalar() is long and 1;
    }

    private static object?[] ReadKey(EntityType type, JsonElement key)
    {
        var parts = key.ValueKind switch
        {
            JsonValueKind.Array => key.EnumerateArray().ToList(),
            JsonValueKind.String => [key],
            _ => throw FtrackError.Validation("entity_key must be a list of primary key values."),
        };
        if (parts.Count != type.PrimaryKey.Count || parts.Any(p => p.ValueKind != JsonValueKind.String))
            throw FtrackError.Validation($"entity_key of {type.Name} must hold {type.PrimaryKey.Count} string value(s): {string.Join(", ", type.PrimaryKey)}.");
        return parts.Select(p => (object?)p.GetString()).ToArray();
    }

    /// <summary>Fails with NoResultFoundError unless a row of this type has the key; returns its parent_id for contexts.</summary>
    private object? Find(EntityType type, object?[] keyValues)
    {
        var where = string.Join(" AND ", type.Table.PrimaryKey.Select((k, i) => $"{Database.Quote(k)} = ${i}"));
        var filter = string.Concat(type.Classifiers.Select((c, i) => $" AND {Database.Quote(c.Column)} = ${keyValues.Length + i}"));
        var select = type.IsContext ? "parent_id" : "1";
        using var reader = _commands.Get($"SELECT {select} FROM {type.Table.Quoted} WHERE {where}{filter}",
            keyValues.Concat(type.Classifiers.Select(c => (object?)c.Value)).ToArray()).ExecuteReader();
        if (!reader.Read())
            throw FtrackError.NotFound($"No {type.Name} found with key {Describe(keyValues)}.");
        return reader.IsDBNull(0) ? null : reader.GetValue(0);
    }

    private static string Describe(object?[] keyValues) => "[" + string.Join(", ", keyValues.Select(k => "\"" + k + "\"")) + "]";
}
