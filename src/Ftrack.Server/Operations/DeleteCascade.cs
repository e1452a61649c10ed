using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Ftrack.Server.Api;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Operations;

/// <summary>
/// What deleting an entity does to everything that refers to it, so that no reference is left
/// naming a row that is gone. Three rules, in this order:
/// <list type="bullet">
/// <item>Owned rows go with their owner: a context's subtree, timelogs, appointments and assets;
/// an asset's versions, a version's components, a component's locations, a note's replies and
/// recipients, a user's timer, a project's lists and custom attribute configurations; the notes,
/// metadata, custom attribute values, custom attribute links and list entries of any deleted
/// entity; link rows (a status in a workflow, a version's dependencies) with either end.</item>
/// <item>An optional reference (not required by the schema) is cleared: a version's task, a
/// thumbnail, a note's category, a timelog's user.</item>
/// <item>A required reference refuses the delete (a Status used by tasks), as a database with
/// foreign keys would; so does this server's own API user.</item>
/// </list>
/// The rules apply to every row the delete takes with it, not only the one named.
/// </summary>
internal sealed class DeleteCascade
{
    /// <summary>Rows owned by another row: deleting the owner deletes them (owner table, table, column).</summary>
    private static readonly (string Owner, string Table, string Column)[] Ownership =
    [
        ("context", "timelog", "context_id"), ("context", "appointment", "context_id"), ("context", "asset", "context_id"),
        ("asset", "asset_version", "asset_id"), ("asset_version", "component", "version_id"),
        ("component", "component_location", "component_id"), ("location", "component_location", "location_id"),
        ("note", "note", "in_reply_to_id"), ("resource", "timer", "user_id"), ("context", "list", "project_id"),
        ("project_schema", "schema", "project_schema_id"), ("object_type", "schema", "type_id"), ("project_schema", "project_schema_override", "project_schema_id"),
        // Configurations of a project or of an object type, and everything hanging on them.
        ("context", "custom_attribute_configuration", "project_id"), ("object_type", "custom_attribute_configuration", "object_type_id"),
        ("custom_attribute_link_configuration", "custom_attribute_link", "configuration_id"), ("list", "list_object", "list_id"),
        ("context", "typed_context_link", "from_id"), ("context", "typed_context_link", "to_id"),
        ("asset_version", "asset_version_link", "from_id"), ("asset_version", "asset_version_link", "to_id"),
        // Link rows mean nothing without either end.
        ("project_schema", "project_schema_object_type", "project_schema_id"), ("object_type", "project_schema_object_type", "object_type_id"),
        ("workflow_schema", "workflow_schema_status", "workflow_schema_id"), ("status", "workflow_schema_status", "status_id"),
        ("task_type_schema", "task_type_schema_type", "task_type_schema_id"), ("type", "task_type_schema_type", "type_id"),
        ("note", "note_label_link", "note_id"), ("note_category", "note_label_link", "label_id"),
        ("note", "recipient", "note_id"), ("resource", "recipient", "resource_id"),
        ("note", "note_component", "note_id"), ("component", "note_component", "component_id"),
        ("job", "job_component", "job_id"), ("component", "job_component", "component_id"),
        ("schema", "schema_status", "schema_id"), ("status", "schema_status", "status_id"),
        ("schema", "schema_type", "schema_id"), ("type", "schema_type", "type_id"),
    ];

    /// <summary>
    /// Rows that name an entity of any type by its id alone (no foreign key of one table), each
    /// deleted with any entity it names: (table, column).
    /// </summary>
    private static readonly (string Table, string Column)[] ByAnyEntity =
    [
        ("metadata", "parent_id"), (CustomAttributeStore.StoreTable, "entity_id"), (CustomAttributeStore.StoreTable, "configuration_id"),
        ("custom_attribute_link", "from_id"), ("custom_attribute_link", "to_id"), ("list_object", "entity_id"),
    ];

    private readonly EntityModel _model;
    private readonly PreparedCommands _commands;
    private readonly ContextTree _tree;
    private readonly string? _apiUserId;

    public DeleteCascade(EntityModel model, PreparedCommands commands, ContextTree tree, string? apiUserId)
    {
        _model = model;
        _commands = commands;
        _tree = tree;
        _apiUserId = apiUserId;
    }

    /// <summary>Told each row a delete takes along besides the one named, while it still exists (ftrack.update reports each).</summary>
    public System.Action<TableDef, string>? Removing { get; set; }

    /// <summary>Told the ids of components a delete takes along (their stored files go once the request commits).</summary>
    public System.Action<IReadOnlyCollection<string>>? ComponentsDeleted { get; set; }

    /// <summary>Deletes an existing row with what it owns, clearing optional references to them all.</summary>
    public void Delete(EntityType type, object?[] keyValues)
    {
        if (type.Table.PrimaryKey.Count > 1)
        {
            // Link rows and metadata: nothing refers to them.
            var where = string.Join(" AND ", type.Table.PrimaryKey.Select((k, i) => $"{Database.Quote(k)} = ${i}"));
            _commands.Get($"DELETE FROM {type.Table.Quoted} WHERE {where}", keyValues).ExecuteNonQuery();
            return;
        }
        var id = (string)keyValues[0]!;
        var described = $"{type.Name} {id}";
        if (type.Table.Name == "resource" && id == _apiUserId)
            throw FtrackError.Validation($"{described} cannot be deleted: it is the API user of this server.");
        var doomed = Collect(type.Table.Name, type.IsContext ? _tree.Subtree(id) : [id]);
        var (clear, refusal) = ReferencesTo(doomed, id);
        if (refusal != null)
            throw FtrackError.Validation($"{described} cannot be deleted: {refusal}.");
        if (Removing is { } removing)
            foreach (var (table, ids) in doomed)
                if (_model.Tables.TryGetValue(table, out var def) && def.BaseType != null)
                    foreach (var doomedId in ids)
                        if (doomedId != id || table != type.Table.Name)
                            removing(def, doomedId);
        foreach (var (table, column, ids) in clear)
            _commands.Get($"UPDATE {table.Quoted} SET {Database.Quote(column)} = NULL WHERE {Database.Quote(column)} IN (SELECT value FROM json_each($0))", ids).ExecuteNonQuery();
        foreach (var (owner, table, column) in Ownership.Where(o => doomed.ContainsKey(o.Owner) && _model.Tables[o.Table].PrimaryKey.Count > 1))
            _commands.Get($"DELETE FROM \"{table}\" WHERE {Database.Quote(column)} IN (SELECT value FROM json_each($0))", Json(doomed[owner])).ExecuteNonQuery();
        var all = Json(doomed.Values.SelectMany(ids => ids));
        foreach (var (table, column) in ByAnyEntity)
            _commands.Get($"DELETE FROM \"{table}\" WHERE {Database.Quote(column)} IN (SELECT value FROM json_each($0))", all).ExecuteNonQuery();
        // Links that are no served type (a context's scopes, a configuration's security roles) go with either end.
        foreach (var link in _model.Types.Values.SelectMany(t => t.Attributes.Values)
                     .Where(a => a.Shape == CollectionShape.LinkTable && !_model.Tables.ContainsKey(a.LinkTable!)).DistinctBy(a => a.LinkTable))
            _commands.Get($"DELETE FROM {Database.Quote(link.LinkTable!)} WHERE {Database.Quote(link.LinkSourceColumn!)} IN (SELECT value FROM json_each($0)) OR {Database.Quote(link.LinkTargetColumn!)} IN (SELECT value FROM json_each($0))", all).ExecuteNonQuery();
        foreach (var (table, ids) in doomed)
            _commands.Get($"DELETE FROM \"{table}\" WHERE id IN (SELECT value FROM json_each($0))", Json(ids)).ExecuteNonQuery();
        if (doomed.TryGetValue("component", out var components))
            ComponentsDeleted?.Invoke(components);
        if (doomed.TryGetValue("context", out var contexts))
            _tree.Remove(Json(contexts));
    }

    private static string Json(IEnumerable<string> ids) => JsonSerializer.Serialize(ids);

    /// <summary>The rows (by table, single-key tables only) the delete takes: the named ones and, transitively, what they own.</summary>
    private Dictionary<string, HashSet<string>> Collect(string table, IReadOnlyCollection<string> ids)
    {
        var doomed = new Dictionary<string, HashSet<string>>();
        var pending = new Queue<(string Table, IReadOnlyCollection<string> Ids)>();
        pending.Enqueue((table, ids));
        while (pending.TryDequeue(out var next))
        {
            if (!doomed.TryGetValue(next.Table, out var known))
                doomed[next.Table] = known = new HashSet<string>();
            var added = next.Ids.Where(known.Add).ToList();
            if (added.Count == 0)
                continue;
            var json = Json(added);
            // Notes hang on an entity of any type through parent_id (metadata too: deleted by parent in Delete).
            var owned = Ownership.Where(o => o.Owner == next.Table && _model.Tables[o.Table].PrimaryKey is ["id"]).Select(o => (o.Table, o.Column))
                .Append(("note", "parent_id"));
            foreach (var (child, column) in owned)
            {
                var childIds = new List<string>();
                using (var reader = _commands.Get($"SELECT id FROM \"{child}\" WHERE {Database.Quote(column)} IN (SELECT value FROM json_each($0))", json).ExecuteReader())
                    while (reader.Read())
                        childIds.Add(reader.GetString(0));
                if (childIds.Count > 0)
                    pending.Enqueue((child, childIds));
            }
        }
        return doomed;
    }

    /// <summary>
    /// Every foreign key naming a doomed row from a row that stays: the optional ones to clear
    /// (table, column, the doomed ids it names), or why a required one refuses the delete.
    /// </summary>
    private (List<(TableDef Table, string Column, string Ids)> Clear, string? Refusal) ReferencesTo(Dictionary<string, HashSet<string>> doomed, string named)
    {
        var clear = new List<(TableDef, string, string)>();
        var seen = new HashSet<(string Table, string Column)>();
        // Views hold no rows of their own: what they show of doomed entities goes with them.
        foreach (var holder in _model.Types.Values.Where(t => !t.Table.IsView))
        {
            foreach (var key in holder.ForeignKeys)
            {
                var table = holder.Table;
                if (!doomed.TryGetValue(key.Target.Table.Name, out var targets) || !seen.Add((table.Name, key.Column)))
                    continue;
                var targetIds = Json(targets);
                var staying = StayingRows(table, doomed);
                if (!key.Required && !table.Members.Any(m => m.ForeignKeys.Any(k => k.Column == key.Column && k.Required)))
                {
                    clear.Add((table, key.Column, targetIds));
                    continue;
                }
                var sql = $"SELECT {Database.Quote(key.Column)} FROM {table.Quoted} WHERE {Database.Quote(key.Column)} IN (SELECT value FROM json_each($0)) AND {staying.Condition} LIMIT 1";
                if (_commands.Get(sql, staying.Values.Prepend(targetIds).ToArray()).ExecuteScalar() is string target)
                    return (clear, $"{holder.Name}.{key.Name} still refers to {(target == named ? "it" : $"{key.Target.Name} {target}, which it would take along")}");
            }
        }
        return (clear, null);
    }

    /// <summary>An SQL condition (parameters from $1) true for rows of the table the delete does not take.</summary>
    private static (string Condition, List<object?> Values) StayingRows(TableDef table, Dictionary<string, HashSet<string>> doomed)
    {
        var conditions = new List<string> { "1" };
        var values = new List<object?>();
        string Parameter(IEnumerable<string> ids)
        {
            values.Add(Json(ids));
            return "$" + values.Count;
        }
        if (doomed.TryGetValue(table.Name, out var own))
            conditions.Add($"id NOT IN (SELECT value FROM json_each({Parameter(own)}))");
        foreach (var (owner, _, column) in Ownership.Where(o => o.Table == table.Name && doomed.ContainsKey(o.Owner)))
            conditions.Add($"{Database.Quote(column)} NOT IN (SELECT value FROM json_each({Parameter(doomed[owner])}))");
        return (string.Join(" AND ", conditions), values);
    }
}
