using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Ftrack.Server.Api;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Operations;

/// <summary>
/// What deleting an entity takes with it, as in ftrack: a context its subtree, and any row the
/// rows owned by it (a version its components, a note its replies). Deleting something others
/// still point at (a Status used by tasks) is refused instead, as a database with foreign keys would.
/// </summary>
internal sealed class DeleteCascade
{
    /// <summary>Rows owned by another row: deleting the owner deletes them (owner table, table, column).</summary>
    private static readonly (string Owner, string Table, string Column)[] Ownership =
    [
        ("context", "timelog", "context_id"), ("context", "appointment", "context_id"), ("context", "note", "parent_id"),
        ("context", "asset", "context_id"), ("asset", "asset_version", "asset_id"), ("asset_version", "component", "version_id"),
        ("asset_version", "note", "parent_id"), ("component", "component_location", "component_id"), ("note", "note", "in_reply_to_id"),
        ("note", "note_label_link", "note_id"), ("project_schema", "project_schema_object_type", "project_schema_id"),
        ("workflow_schema", "workflow_schema_status", "workflow_schema_id"), ("task_type_schema", "task_type_schema_type", "task_type_schema_id"),
        ("location", "component_location", "location_id"),
    ];

    private readonly EntityModel _model;
    private readonly PreparedCommands _commands;
    private readonly ContextTree _tree;

    public DeleteCascade(EntityModel model, PreparedCommands commands, ContextTree tree)
    {
        _model = model;
        _commands = commands;
        _tree = tree;
    }

    /// <summary>Deletes an existing row and everything it owns.</summary>
    public void Delete(EntityType type, object?[] keyValues)
    {
        if (type.Table.PrimaryKey.Count > 1)
        {
            var where = string.Join(" AND ", type.Table.PrimaryKey.Select((k, i) => $"{Database.Quote(k)} = ${i}"));
            _commands.Get($"DELETE FROM {type.Table.Quoted} WHERE {where}", keyValues).ExecuteNonQuery();
            return;
        }
        string ids;
        if (type.IsContext)
        {
            // A context takes its whole subtree with it, as in ftrack.
            ids = _tree.RemoveSubtree((string)keyValues[0]!);
        }
        else
        {
            EnsureUnreferenced(type, keyValues[0]!);
            ids = JsonSerializer.Serialize(new[] { keyValues[0]?.ToString() });
        }
        DeleteOwned(type.Table.Name, ids);
    }

    /// <summary>Refuses to delete an entity others still point at; rows the entity owns are deleted with it instead.</summary>
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

    /// <summary>Deletes the rows of a table with the given ids (a JSON array), first the rows they own.</summary>
    private void DeleteOwned(string table, string idsJson)
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
                    DeleteOwned(child, JsonSerializer.Serialize(childIds));
            }
            else
            {
                _commands.Get($"DELETE FROM \"{child}\" WHERE {Database.Quote(column)} IN (SELECT value FROM json_each($0))", idsJson).ExecuteNonQuery();
            }
        }
        _commands.Get("DELETE FROM metadata WHERE parent_id IN (SELECT value FROM json_each($0))", idsJson).ExecuteNonQuery();
        _commands.Get($"DELETE FROM \"{table}\" WHERE id IN (SELECT value FROM json_each($0))", idsJson).ExecuteNonQuery();
    }
}
