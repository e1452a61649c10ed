using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Ftrack.Server.Api;
using Ftrack.Server.Encoding;
using Ftrack.Server.Query;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Ftrack.Server.Operations;

/// <summary>
/// Creates, updates and deletes entities inside the request's transaction, enforcing what the
/// schema says (types, required, immutable, references that exist). Defaults, the context tree,
/// collections, custom attributes, the rules of single types and the delete cascade are their
/// own classes; this one decides what is written.
/// </summary>
internal sealed class EntityWriter
{
    private readonly EntityModel _model;
    private readonly PreparedCommands _commands;
    // Per-request cache: a batch of thousands of creates checks the same references over and over.
    private readonly HashSet<(string Table, string Key)> _existing = new();
    private readonly ResponseIdentityMap _map;
    private readonly ContextTree _tree;
    private readonly CreateDefaults _defaults;
    private readonly DeleteCascade _cascade;
    private readonly EntityLoader _loader;
    private readonly CollectionWriter _collections;
    private readonly CustomAttributeValues _values;
    private readonly CustomAttributeConfigurations _configurations;
    private readonly EntityRules _rules;

    public EntityWriter(EntityModel model, PreparedCommands commands, ResponseIdentityMap map, string? userId, EntityLoader loader)
    {
        _model = model;
        _commands = commands;
        _map = map;
        _loader = loader;
        _tree = new ContextTree(commands);
        _defaults = new CreateDefaults(commands, userId);
        _cascade = new DeleteCascade(model, commands, _tree, userId);
        _collections = new CollectionWriter(model, commands, this);
        _values = new CustomAttributeValues(commands);
        _configurations = new CustomAttributeConfigurations(commands);
        _rules = new EntityRules(commands);
    }

    /// <summary>Where what this batch changes is noted for <c>ftrack.update</c> (null: nobody listens).</summary>
    public Events.EntityChangeLog? Changes
    {
        get => _changes;
        set
        {
            _changes = value;
            // Custom attribute values are written there: they are reported as updates of their entity.
            _values.Changes = value;
            // So are the rows a delete takes with it, each a "remove" of its own.
            _cascade.Removing = value == null ? null : (table, id) => value.RemovedRow(_model, table, id);
        }
    }

    private Events.EntityChangeLog? _changes;

    /// <summary>Told the ids of components deleted by this request (with what owned them), so their stored files can go after the commit.</summary>
    public Action<IReadOnlyCollection<string>>? ComponentsDeleted
    {
        set => _cascade.ComponentsDeleted = value;
    }

    /// <summary>
    /// Data properties in the order they are applied: a reference after its key column, so when a
    /// client sends both (the Python client sends <c>priority</c> and the schema's default
    /// <c>priority_id</c>) the reference wins, as on a real server.
    /// </summary>
    private static IEnumerable<JsonProperty> InApplyOrder(EntityType type, JsonElement data) =>
        data.EnumerateObject().Where(p => p.Name != "__entity_type__")
            .OrderBy(p => type.Attributes.GetValueOrDefault(p.Name)?.Kind == AttributeKind.Reference ? 1 : 0);

    public EntityRecord Create(EntityType type, JsonElement data)
    {
        if (type.IsAbstract)
            throw FtrackError.Validation($"\"{type.Name}\" cannot be created directly; create one of its concrete types.");
        if (data.ValueKind != JsonValueKind.Object)
            throw FtrackError.Validation("entity_data must be an object.");
        if (type.Table.IsView)
            return _loader.LoadByKey(type, _values.Set(type, null, data), type.Attributes.Values.Where(a => a.Kind == AttributeKind.Scalar).Select(a => a.Name))!;
        var values = new Dictionary<string, object?>();
        var given = new Dictionary<string, string>();
        var collections = new List<(AttributeDef Attribute, JsonElement Value)>();
        foreach (var property in InApplyOrder(type, data))
            Assign(type, property.Name, property.Value, values, given, collections);
        EnsureKindKept(type, values, given, type.Classifiers.ToDictionary(c => c.Column, c => (object?)c.Value));
        // Before the defaults: a new context's first status comes from the project its parent gives it.
        if (type.IsContext)
            _tree.Place(type, values, given);
        _defaults.Apply(type, values);
        ValidateRequired(type, values);
        ValidateReferences(type, values);
        if (type.IsContext)
            _tree.RefuseDuplicateName(type, values);
        if (type.Name == "CustomAttributeConfiguration")
            _configurations.CheckCreate(values);
        _rules.CheckCreate(type, values);
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
        Changes?.Added(type, keyValues, values);
        if (keyValues.Length == 1)
            _existing.Add((type.Table.Name, keyValues[0]!.ToString()!));
        if (type.IsContext)
            _tree.Added((string)values["id"]!, (string)values["context_type"]!, values.GetValueOrDefault("project_id") as string, values.GetValueOrDefault("parent_id") as string);

        var record = _map.GetOrAdd(type, ResponseIdentityMap.KeyOf(keyValues), keyValues);
        foreach (var attribute in type.Attributes.Values.Where(a => a.Kind == AttributeKind.Scalar))
        {
            var value = values.GetValueOrDefault(attribute.Column!);
            if (value != null || type.AlwaysProjected.Contains(attribute.Name))
                record.Values[attribute.Name] = value;
        }
        WriteCollections(type, keyValues, collections);
        return record;
    }

    /// <summary>Collections set by a create or update, once the owner is written.</summary>
    private void WriteCollections(EntityType type, object?[] keyValues, List<(AttributeDef Attribute, JsonElement Value)> collections)
    {
        foreach (var (attribute, value) in collections)
        {
            if (keyValues.Length != 1)
                throw FtrackError.Validation($"Collection \"{attribute.Name}\" of {type.Name} cannot be set.");
            _collections.Write(type, (string)keyValues[0]!, attribute, value);
        }
    }

    /// <summary>Applies an update; returns the changed attribute names.</summary>
    public (object?[] Key, List<string> Changed) Update(EntityType type, JsonElement key, JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object)
            throw FtrackError.Validation("entity_data must be an object.");
        var keyValues = ReadKey(type, key);
        if (type.Table.IsView)
            return (_values.Set(type, keyValues, data), data.TryGetProperty("value", out _) ? ["value"] : []);
        // The rules are those of the row's own type, also when it is updated through a supertype.
        var stored = Find(type, keyValues);
        type = stored.Type;
        var values = new Dictionary<string, object?>();
        var given = new Dictionary<string, string>();
        var changed = new List<string>();
        var collections = new List<(AttributeDef Attribute, JsonElement Value)>();
        foreach (var property in InApplyOrder(type, data))
        {
            if (type.PrimaryKey.Contains(property.Name) && property.Value.ValueKind == JsonValueKind.String
                && property.Value.GetString() == keyValues[type.PrimaryKey.IndexOf(property.Name)]?.ToString())
                continue;
            if (type.Immutable.Contains(property.Name))
                throw FtrackError.Validation($"Attribute \"{property.Name}\" of \"{type.Name}\" is immutable and cannot be updated.");
            var attribute = Assign(type, property.Name, property.Value, values, given, collections);
            changed.Add(attribute.Kind == AttributeKind.Reference ? ScalarNameOf(type, attribute.Column!) : attribute.Name);
        }
        EnsureKindKept(type, values, given, stored.Values.Where(v => type.Table.ClassifierColumns.Contains(v.Key)).ToDictionary());
        if (type.IsContext)
            _tree.CheckUpdate(type, (string)keyValues[0]!, stored.Values, values, given);
        if (type.Name == "CustomAttributeConfiguration")
            _configurations.CheckUpdate((string)keyValues[0]!, values);
        foreach (var (column, value) in values)
        {
            var attribute = type.Attributes.Values.FirstOrDefault(a => a.Kind == AttributeKind.Scalar && a.Column == column);
            if (value == null && attribute != null && type.Required.Contains(attribute.Name))
                throw FtrackError.Validation($"Attribute \"{attribute.Name}\" of \"{type.Name}\" is required and cannot be set to null.");
        }
        ValidateReferences(type, values);
        if (values.Count == 0)
        {
            WriteCollections(type, keyValues, collections);
            return (keyValues, changed);
        }
        var before = Changes?.ReadRow(type, keyValues);
        var columns = values.Keys.ToList();
        var set = string.Join(", ", columns.Select((c, i) => $"{Database.Quote(c)} = ${i}"));
        var where = string.Join(" AND ", type.Table.PrimaryKey.Select((k, i) => $"{Database.Quote(k)} = ${columns.Count + i}"));
        _commands.Get($"UPDATE {type.Table.Quoted} SET {set} WHERE {where}", columns.Select(c => values[c]).Concat(keyValues).ToArray()).ExecuteNonQuery();
        if (before != null)
            Changes!.Updated(type, keyValues, before, values);
        if (type.IsContext && values.TryGetValue("parent_id", out var newParent) && !Equals(newParent, stored.Values["parent_id"]))
            _tree.Move((string)keyValues[0]!, (string)newParent!);
        WriteCollections(type, keyValues, collections);
        return (keyValues, changed.Distinct().ToList());
    }

    public void Delete(EntityType type, JsonElement key)
    {
        var keyValues = ReadKey(type, key);
        if (type.Table.IsView)
        {
            _values.Clear(type, keyValues);
            return;
        }
        Find(type, keyValues);
        Changes?.Removed(type, keyValues);
        // Deleted rows must not be taken for existing by later operations of the batch.
        _existing.Clear();
        _tree.Forget();
        _cascade.Delete(type, keyValues);
    }

    /// <summary>
    /// Sets a stored value from a JSON attribute value; <paramref name="given"/> remembers which
    /// attribute name the client used for the column (parent or parent_id), so errors name it.
    /// Collections are written once the entity is (<see cref="WriteCollections"/>).
    /// </summary>
    private AttributeDef Assign(EntityType type, string name, JsonElement value, Dictionary<string, object?> values, Dictionary<string, string> given,
        List<(AttributeDef Attribute, JsonElement Value)> collections)
    {
        if (!type.Attributes.TryGetValue(name, out var attribute))
            throw FtrackError.Validation($"Unknown attribute \"{name}\" on entity type \"{type.Name}\".");
        if (attribute.Column != null)
            given[attribute.Column] = name;
        switch (attribute.Kind)
        {
            case AttributeKind.Scalar:
                values[attribute.Column!] = ValueCodec.FromJson(value, attribute.ScalarType, name);
                break;
            case AttributeKind.Reference:
                values[attribute.Column!] = ReferenceKey(attribute, value);
                break;
            case AttributeKind.Collection:
                collections.Add((attribute, value));
                break;
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

    private static void ValidateRequired(EntityType type, Dictionary<string, object?> values)
    {
        foreach (var name in type.Required)
        {
            if (!type.Attributes.TryGetValue(name, out var attribute) || attribute.Kind != AttributeKind.Scalar)
                continue;
            if (values.GetValueOrDefault(attribute.Column!) != null)
                continue;
            // Only tasks must have a type in ftrack; shots, sequences and folders may leave it empty.
            if (type.IsContext && type.Name != "Task" && name == "type_id")
                continue;
            throw FtrackError.Validation($"Missing required attribute \"{name}\" for {type.Name}.");
        }
    }

    /// <summary>Every foreign key set must name an existing row of the referenced table (or the row itself: a project's project).</summary>
    private void ValidateReferences(EntityType type, Dictionary<string, object?> values)
    {
        foreach (var foreignKey in type.ForeignKeys)
        {
            if (!values.TryGetValue(foreignKey.Column, out var key) || key == null)
                continue;
            var table = foreignKey.Target.Table;
            if (_existing.Contains((table.Name, key.ToString()!)) || (table == type.Table && Equals(key, values.GetValueOrDefault(table.PrimaryKey[0]))))
                continue;
            if (Exists(table, [key]))
                _existing.Add((table.Name, key.ToString()!));
            else
                throw FtrackError.Validation($"Attribute \"{foreignKey.Name}\" of {type.Name} references {foreignKey.Target.Name} {key}, which does not exist.");
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

    /// <summary>Refuses a value for a classifier column other than the one the entity has (<paramref name="kind"/>).</summary>
    private static void EnsureKindKept(EntityType type, Dictionary<string, object?> values, Dictionary<string, string> given, Dictionary<string, object?> kind)
    {
        foreach (var (column, value) in kind)
        {
            if (values.TryGetValue(column, out var requested) && !Equals(requested, value))
                throw FtrackError.Validation($"Attribute \"{given[column]}\" of {type.Name} cannot be {(requested == null ? "null" : $"\"{FtrackError.Shorten(requested.ToString()!)}\"")}: it decides what kind of entity this is, and a {type.Name} has \"{value}\".");
        }
    }

    /// <summary>A stored row: its own type (from its classifiers) and the columns the update rules look at.</summary>
    private sealed record StoredRow(EntityType Type, Dictionary<string, object?> Values);

    /// <summary>Fails with NoResultFoundError unless a row of this type has the key.</summary>
    private StoredRow Find(EntityType type, object?[] keyValues)
    {
        var columns = type.Table.ClassifierColumns.ToList();
        if (type.IsContext)
            columns.AddRange(["parent_id", "project_id", "name"]);
        var where = string.Join(" AND ", type.Table.PrimaryKey.Select((k, i) => $"{Database.Quote(k)} = ${i}"));
        var values = keyValues.ToList();
        var filter = type.RowFilter(type.Table.Quoted, value =>
        {
            values.Add(value);
            return "$" + (values.Count - 1);
        });
        var select = columns.Count == 0 ? "1" : string.Join(", ", columns.Select(Database.Quote));
        using var reader = _commands.Get($"SELECT {select} FROM {type.Table.Quoted} WHERE {where} AND {filter}", values.ToArray()).ExecuteReader();
        if (!reader.Read())
            throw FtrackError.NotFound($"No {type.Name} found with key {Describe(keyValues)}.");
        var row = columns.Select((_, i) => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToArray();
        var rowType = type.Table.ClassifiedMembers.Count == 0 ? type : _model.ResolveRowType(type.Table, row, columns.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i));
        return new StoredRow(rowType.IsA(type) ? rowType : type, columns.Select((c, i) => (c, row[i])).ToDictionary(p => p.c, p => p.Item2));
    }

    private static string Describe(object?[] keyValues) => "[" + string.Join(", ", keyValues.Select(k => "\"" + k + "\"")) + "]";
}
