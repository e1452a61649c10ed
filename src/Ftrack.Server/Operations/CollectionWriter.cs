using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Ftrack.Server.Api;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Operations;

/// <summary>
/// A create or update that sets a collection to a list of references, as the official Python
/// client sends every change to one (<c>shot.create_note(...)</c> appends the new note to
/// <c>shot['notes']</c> and sends the whole list). A one-to-many collection takes the listed
/// entities in: each is updated to name the owner (a note's parent, a reply's thread, a child's
/// parent), through the same rules as any update; entities no longer listed stay where they are.
/// A many-to-many collection becomes exactly the listed entities. Entities whose key names the
/// owner (metadata, recipients, custom attribute values) must name it already.
/// </summary>
internal sealed class CollectionWriter
{
    private readonly EntityModel _model;
    private readonly PreparedCommands _commands;
    private readonly EntityWriter _writer;

    public CollectionWriter(EntityModel model, PreparedCommands commands, EntityWriter writer)
    {
        _model = model;
        _commands = commands;
        _writer = writer;
    }

    private sealed record Member(EntityType Type, object?[] Key);

    public void Write(EntityType owner, string ownerId, AttributeDef collection, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw FtrackError.Validation($"Collection \"{collection.Name}\" of {owner.Name} expects a list of references.");
        var members = value.EnumerateArray().Select(reference => Read(owner, collection, reference)).ToList();
        switch (collection.Shape)
        {
            case CollectionShape.ForeignKeyOnTarget:
                foreach (var member in members)
                    Attach(owner, ownerId, collection, member);
                break;
            case CollectionShape.LinkTable:
                ReplaceLinks(owner, ownerId, collection, members);
                break;
            default:
                throw FtrackError.Validation($"Collection \"{collection.Name}\" of {owner.Name} follows from the tree: set the parent of a context instead.");
        }
    }

    /// <summary>A reference to an entity the collection can hold: its type (of the member type's table) and key.</summary>
    private Member Read(EntityType owner, AttributeDef collection, JsonElement reference)
    {
        var target = collection.Target!;
        FtrackError Invalid() => FtrackError.Validation(
            $"Collection \"{collection.Name}\" of {owner.Name} expects references {{\"__entity_type__\": \"{target.Name}\", {string.Join(", ", target.PrimaryKey.Select(k => $"\"{k}\": ..."))}}}.");
        if (reference.ValueKind != JsonValueKind.Object || !reference.TryGetProperty("__entity_type__", out var typeName) || typeName.ValueKind != JsonValueKind.String)
            throw Invalid();
        var type = _model.Find(typeName.GetString()!);
        if (type == null || type.Table != target.Table || !(type.IsA(target) || target.IsA(type)))
            throw FtrackError.Validation($"Collection \"{collection.Name}\" of {owner.Name} holds {target.Name} entities, not {FtrackError.Shorten(typeName.GetString()!)}.");
        var key = new object?[type.PrimaryKey.Count];
        for (var i = 0; i < key.Length; i++)
        {
            if (!reference.TryGetProperty(type.PrimaryKey[i], out var part) || part.ValueKind != JsonValueKind.String)
                throw Invalid();
            key[i] = part.GetString();
        }
        return new Member(type, key);
    }

    /// <summary>One-to-many: the member is updated to name the owner.</summary>
    private void Attach(EntityType owner, string ownerId, AttributeDef collection, Member member)
    {
        var column = collection.TargetColumn!;
        var keyIndex = member.Type.PrimaryKey.IndexOf(member.Type.Attributes.Values.FirstOrDefault(a => a.Kind == AttributeKind.Scalar && a.Column == column)?.Name ?? column);
        if (keyIndex >= 0 || member.Type.Table.IsView)
        {
            // The owner is part of the member's key: it belongs to the owner from its creation on.
            if (keyIndex < 0 || !Equals(member.Key[keyIndex], ownerId) || !Exists(member))
                throw FtrackError.Validation(
                    $"Collection \"{collection.Name}\" of {owner.Name} {ownerId} cannot take {member.Type.Name} [{string.Join(", ", member.Key)}]: it belongs to the entity its key names, and must exist.");
            return;
        }
        // The scalar (parent_id) where the member type has one, else its reference.
        var attribute = member.Type.Attributes.Values.Where(a => a.Column == column && a.Kind is AttributeKind.Scalar or AttributeKind.Reference)
            .OrderBy(a => a.Kind == AttributeKind.Scalar ? 0 : 1).First();
        var data = new Dictionary<string, object?> { [attribute.Name] = ReferenceOrId(attribute, owner, ownerId) };
        if (collection.MemberFilter is { } filter)
            data[filter.Column] = filter.Value;
        if (collection.Name == "notes" && collection.Target!.Name == "Note")
            data["parent_type"] = ParentType(owner);
        if (collection.Name == "replies")
        {
            // A reply hangs on what its thread hangs on.
            using var reader = _commands.Get("SELECT parent_id, parent_type FROM note WHERE id = $0", ownerId).ExecuteReader();
            if (reader.Read())
            {
                data["parent_id"] = reader.IsDBNull(0) ? null : reader.GetString(0);
                data["parent_type"] = reader.IsDBNull(1) ? null : reader.GetString(1);
            }
        }
        _writer.Update(member.Type, JsonSerializer.SerializeToElement(member.Key), JsonSerializer.SerializeToElement(data));
    }

    private static object ReferenceOrId(AttributeDef attribute, EntityType owner, string ownerId) =>
        attribute.Kind == AttributeKind.Scalar ? ownerId : new Dictionary<string, string> { ["__entity_type__"] = owner.Name, ["id"] = ownerId };

    /// <summary>How a note names the kind of entity it hangs on: TypedContext for Shot, Task, ...; else the type.</summary>
    private static string ParentType(EntityType owner) => owner.IsContext && owner.Name != "Project" ? "TypedContext" : owner.Name;

    /// <summary>Many-to-many: the links become exactly the listed members.</summary>
    private void ReplaceLinks(EntityType owner, string ownerId, AttributeDef collection, List<Member> members)
    {
        var table = Database.Quote(collection.LinkTable!);
        string source = Database.Quote(collection.LinkSourceColumn!), target = Database.Quote(collection.LinkTargetColumn!);
        var wanted = members.Select(m => (string)m.Key[0]!).Distinct().ToList();
        foreach (var member in members)
            if (!Exists(member))
                throw FtrackError.Validation($"Collection \"{collection.Name}\" of {owner.Name} references {member.Type.Name} {member.Key[0]}, which does not exist.");
        var current = new List<string>();
        using (var reader = _commands.Get($"SELECT {target} FROM {table} WHERE {source} = $0", ownerId).ExecuteReader())
            while (reader.Read())
                current.Add(reader.GetString(0));
        var linkType = _model.Types.Values.FirstOrDefault(t => t.Table.Name == collection.LinkTable && t.Table.BaseType == t);
        foreach (var gone in current.Except(wanted))
        {
            if (linkType == null)
            {
                _commands.Get($"DELETE FROM {table} WHERE {source} = $0 AND {target} = $1", ownerId, gone).ExecuteNonQuery();
                continue;
            }
            // A served link type (ListObject, ...) is deleted as itself, with what it owns.
            var keys = new List<object?[]>();
            using (var reader = _commands.Get($"SELECT {string.Join(", ", linkType.PrimaryKey.Select(Database.Quote))} FROM {table} WHERE {source} = $0 AND {target} = $1", ownerId, gone).ExecuteReader())
                while (reader.Read())
                    keys.Add(Enumerable.Range(0, reader.FieldCount).Select(i => (object?)reader.GetString(i)).ToArray());
            foreach (var key in keys)
                _writer.Delete(linkType, JsonSerializer.SerializeToElement(key));
        }
        foreach (var added in wanted.Except(current))
        {
            if (linkType == null)
                _commands.Get($"INSERT INTO {table} ({source}, {target}) VALUES ($0, $1)", ownerId, added).ExecuteNonQuery();
            else
                _writer.Create(linkType, JsonSerializer.SerializeToElement(new Dictionary<string, string> { [collection.LinkSourceColumn!] = ownerId, [collection.LinkTargetColumn!] = added }));
        }
    }

    private bool Exists(Member member)
    {
        var where = string.Join(" AND ", member.Type.PrimaryKey.Select((k, i) => $"m.{Database.Quote(member.Type.Attributes[k].Column!)} = ${i}"));
        return _commands.Get($"SELECT EXISTS (SELECT 1 FROM {member.Type.Table.Quoted} m WHERE {where})", member.Key).ExecuteScalar() is long and 1;
    }
}
