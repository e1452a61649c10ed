using System;
using System.Collections.Generic;
using Ftrack.Server.Api;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Operations;

/// <summary>
/// The context tree of one request's transaction: where a context may hang (a project at the
/// top, everything else below an existing parent and in its project, never below itself) and
/// the closure table that answers ancestors, descendants and link without walking
/// <c>parent_id</c> row by row.
/// </summary>
internal sealed class ContextTree
{
    private readonly PreparedCommands _commands;
    // Per-request caches: a batch of thousands of creates asks about the same parents over and over.
    private readonly Dictionary<string, (string ContextType, string? ProjectId)> _contexts = new();
    private readonly Dictionary<string, List<(string Ancestor, long Depth)>> _ancestors = new();

    public ContextTree(PreparedCommands commands) => _commands = commands;

    /// <summary>
    /// Where a new context hangs: a project at the top, without a parent; anything else below an
    /// existing parent, in the parent's project (which is set here, and refused if the client
    /// named another). <paramref name="given"/> holds the attribute names the client used.
    /// </summary>
    public void Place(EntityType type, Dictionary<string, object?> values, IReadOnlyDictionary<string, string> given)
    {
        string Name(string column) => given.GetValueOrDefault(column, column);
        if (type.Name == "Project")
        {
            RefuseProjectParent(values, Name);
            // A project is its own project (CreateDefaults sets it when left out or null).
            if (values.GetValueOrDefault("project_id") != null)
                RefuseOtherProject(type, values, Name, values.GetValueOrDefault("id") as string);
            return;
        }
        if (values.GetValueOrDefault("parent_id") is not string parentId)
            throw FtrackError.Validation($"A {type.Name} needs a parent (a project or another context): attribute \"{Name("parent_id")}\" is missing or null.");
        var expected = ProjectBelow(parentId, type, Name("parent_id"));
        RefuseOtherProject(type, values, Name, expected);
        values["project_id"] = expected;
    }

    /// <summary>
    /// Refuses an update that would break the tree: a project given a parent, a typed context
    /// left without one or moved below itself, a project_id its parent chain contradicts.
    /// </summary>
    public void CheckUpdate(EntityType type, string id, IReadOnlyDictionary<string, object?> stored, Dictionary<string, object?> values, IReadOnlyDictionary<string, string> given)
    {
        string Name(string column) => given.GetValueOrDefault(column, column);
        if (type.Name == "Project")
        {
            RefuseProjectParent(values, Name);
            RefuseOtherProject(type, values, Name, id);
            return;
        }
        var expected = stored["project_id"] as string;
        if (values.TryGetValue("parent_id", out var parent) && !Equals(parent, stored["parent_id"]))
        {
            if (parent is not string parentId)
                throw FtrackError.Validation($"Attribute \"{Name("parent_id")}\" of {type.Name} cannot be null: a {type.Name} hangs below a project or another context.");
            if (_commands.Get($"SELECT EXISTS (SELECT 1 FROM {Database.ClosureTable} WHERE ancestor_id = $0 AND descendant_id = $1)", id, parentId).ExecuteScalar() is long and 1)
                throw FtrackError.Validation($"Attribute \"{Name("parent_id")}\" of {type.Name} cannot be {parentId}: that is the {type.Name} itself or one of its descendants.");
            expected = ProjectBelow(parentId, type, Name("parent_id"));
        }
        RefuseOtherProject(type, values, Name, expected);
        var renamed = values.TryGetValue("name", out var name) && !Equals(name, stored["name"]);
        var moved = values.TryGetValue("parent_id", out var newParent) && !Equals(newParent, stored["parent_id"]);
        if (renamed || moved)
            RefuseDuplicateName(type, id, values.GetValueOrDefault("parent_id", stored["parent_id"]) as string, values.GetValueOrDefault("name", stored["name"]) as string);
    }

    /// <summary>Siblings have different names (a new context's parent and name are set by now).</summary>
    public void RefuseDuplicateName(EntityType type, Dictionary<string, object?> values) =>
        RefuseDuplicateName(type, values.GetValueOrDefault("id") as string, values.GetValueOrDefault("parent_id") as string, values.GetValueOrDefault("name") as string);

    /// <summary>
    /// A real server refuses two contexts of one name below one parent (two "compositing" tasks on a
    /// shot) with a DuplicateEntryError. Projects have no parent: their names are not compared here.
    /// </summary>
    private void RefuseDuplicateName(EntityType type, string? id, string? parentId, string? name)
    {
        if (parentId == null || name == null)
            return;
        if (_commands.Get("SELECT id FROM context WHERE parent_id = $0 AND name = $1 AND id IS NOT $2 LIMIT 1", parentId, name, id).ExecuteScalar() is string sibling)
            throw new FtrackError("DuplicateEntryError",
                $"A {type.Name} cannot be named \"{FtrackError.Shorten(name)}\": its parent {parentId} has a child of that name already ({sibling}). Siblings' names are unique.", 409);
    }

    private static void RefuseProjectParent(Dictionary<string, object?> values, Func<string, string> name)
    {
        if (values.GetValueOrDefault("parent_id") != null)
            throw FtrackError.Validation($"Attribute \"{name("parent_id")}\" of a Project must be null: a project is at the top of the tree.");
    }

    /// <summary>project_id follows from the tree: it may be given only as the value the tree gives it.</summary>
    private static void RefuseOtherProject(EntityType type, Dictionary<string, object?> values, Func<string, string> name, string? expected)
    {
        if (values.TryGetValue("project_id", out var project) && !Equals(project, expected))
            throw FtrackError.Validation($"Attribute \"{name("project_id")}\" of {type.Name} cannot be {project ?? "null"}: "
                + (type.Name == "Project" ? "a project is its own project." : $"it is {expected}, the project at the top of its parents; move it by changing its parent."));
    }

    /// <summary>The project a context below this parent belongs to; the parent must exist.</summary>
    private string? ProjectBelow(string parentId, EntityType type, string attribute)
    {
        if (!_contexts.TryGetValue(parentId, out var parent))
        {
            using var reader = _commands.Get("SELECT context_type, project_id FROM context WHERE id = $0", parentId).ExecuteReader();
            if (!reader.Read())
                throw FtrackError.Validation($"Attribute \"{attribute}\" of {type.Name} references Context {parentId}, which does not exist.");
            _contexts[parentId] = parent = (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
        }
        return parent.ContextType == "show" ? parentId : parent.ProjectId;
    }

    /// <summary>
    /// Records a new context's ancestors (itself at depth 0). The parent's ancestors come from
    /// this batch's memory when it created them: an INSERT ... SELECT on the closure table itself
    /// would make SQLite copy the selection into a temporary table for every row.
    /// </summary>
    public void Added(string id, string contextType, string? projectId, string? parentId)
    {
        _contexts[id] = (contextType, projectId);
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

    /// <summary>Re-hangs a context and its subtree under a new parent (checked by <see cref="CheckUpdate"/>) in the closure table.</summary>
    public void Move(string id, string newParent)
    {
        Forget();
        var closure = Database.ClosureTable;
        _commands.Get($"DELETE FROM {closure} WHERE descendant_id IN (SELECT descendant_id FROM {closure} WHERE ancestor_id = $0) AND ancestor_id NOT IN (SELECT descendant_id FROM {closure} WHERE ancestor_id = $0)", id).ExecuteNonQuery();
        _commands.Get($"INSERT INTO {closure} (ancestor_id, descendant_id, depth) SELECT a.ancestor_id, d.descendant_id, a.depth + d.depth + 1 FROM {closure} a, {closure} d WHERE a.descendant_id = $1 AND d.ancestor_id = $0", id, newParent).ExecuteNonQuery();
        // Everything below moves to the new parent's project.
        _commands.Get($"UPDATE context SET project_id = (SELECT CASE WHEN p.context_type = 'show' THEN p.id ELSE p.project_id END FROM context p WHERE p.id = $1) WHERE id IN (SELECT descendant_id FROM {closure} WHERE ancestor_id = $0) AND context_type != 'show'", id, newParent).ExecuteNonQuery();
    }

    /// <summary>A context and everything below it.</summary>
    public List<string> Subtree(string id)
    {
        var subtree = new List<string>();
        using (var reader = _commands.Get($"SELECT descendant_id FROM {Database.ClosureTable} WHERE ancestor_id = $0", id).ExecuteReader())
            while (reader.Read())
                subtree.Add(reader.GetString(0));
        return subtree;
    }

    /// <summary>Takes deleted contexts (a JSON array of ids, whole subtrees) out of the closure table.</summary>
    public void Remove(string idsJson)
    {
        _commands.Get($"DELETE FROM {Database.ClosureTable} WHERE descendant_id IN (SELECT value FROM json_each($0))", idsJson).ExecuteNonQuery();
        Forget();
    }

    /// <summary>Drops what this request remembered: after a move or a delete it may be wrong.</summary>
    public void Forget()
    {
        _contexts.Clear();
        _ancestors.Clear();
    }
}
