using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace Ftrack.Server.Schema;

/// <summary>The value type of a stored attribute, as the schema declares it.</summary>
internal enum ScalarType { String, Integer, Number, Boolean, DateTime, Variable }

/// <summary>How an attribute is backed.</summary>
internal enum AttributeKind
{
    /// <summary>A column of the entity's table.</summary>
    Scalar,
    /// <summary>A single related entity, found through a foreign key column of this table.</summary>
    Reference,
    /// <summary>Several related entities (foreign key on the other side, a link table, or the context tree).</summary>
    Collection,
    /// <summary>Computed by the server when projected (link, time_logged, ...).</summary>
    Computed,
    /// <summary>In the schema, but backed by a type this server does not serve.</summary>
    Unsupported,
}

/// <summary>How a collection finds its members.</summary>
internal enum CollectionShape
{
    /// <summary>Members whose <c>TargetColumn</c> equals this entity's id.</summary>
    ForeignKeyOnTarget,
    /// <summary>Members joined through a link table (many-to-many).</summary>
    LinkTable,
    /// <summary>Ancestors of a context, from the closure table.</summary>
    Ancestors,
    /// <summary>Descendants of a context, from the closure table.</summary>
    Descendants,
}

internal sealed class AttributeDef
{
    public required string Name { get; init; }
    public required AttributeKind Kind { get; init; }
    public ScalarType ScalarType { get; init; }
    /// <summary>Scalar: its column. Reference: the foreign key column on this table.</summary>
    public string? Column { get; init; }
    public EntityType? Target { get; set; }
    public CollectionShape Shape { get; init; }
    /// <summary>ForeignKeyOnTarget: the member column holding this entity's id.</summary>
    public string? TargetColumn { get; init; }
    /// <summary>LinkTable: table, column pointing at this entity, column pointing at the member.</summary>
    public string? LinkTable { get; init; }
    public string? LinkSourceColumn { get; init; }
    public string? LinkTargetColumn { get; init; }
    /// <summary>An extra equality a member must satisfy (appointments: type = 'assignment').</summary>
    public (string Column, string Value)? MemberFilter { get; init; }
}

/// <summary>
/// A column of a type's table holding the key of another entity: a reference's column
/// (<c>status</c> → <c>status_id</c>), or a key column the schema marks as a foreign key without a
/// reference beside it (<c>WorkflowSchemaStatus.status_id</c>). Name is the attribute errors name.
/// </summary>
internal sealed record ForeignKey(string Name, string Column, EntityType Target, bool Required);

/// <summary>A physical SQLite table shared by a family of entity types (all contexts share one).</summary>
internal sealed class TableDef
{
    public required string Name { get; init; }
    /// <summary>Column name to value type; names are the attribute names of the family.</summary>
    public Dictionary<string, ScalarType> Columns { get; } = new();
    public List<string> PrimaryKey { get; } = new();
    /// <summary>
    /// The columns that decide which type a row is (context_type, object_type_id, resource_type,
    /// system_type): changing one would turn an entity into another kind of entity.
    /// </summary>
    public HashSet<string> ClassifierColumns { get; } = new();
    /// <summary>Member types that carry a classifier, most specific first.</summary>
    public List<EntityType> ClassifiedMembers { get; } = new();
    /// <summary>The type a row has when no classifier matches.</summary>
    public EntityType? BaseType { get; set; }
    public List<EntityType> Members { get; } = new();

    /// <summary>A view computed from other tables (custom attribute values): read, never written.</summary>
    public bool IsView { get; init; }

    public string Quoted => "\"" + Name + "\"";
}

internal sealed class EntityType
{
    public required string Name { get; init; }
    public required JsonObject Schema { get; init; }
    public required TableDef Table { get; init; }
    public Dictionary<string, AttributeDef> Attributes { get; } = new();
    public List<string> PrimaryKey { get; } = new();
    public HashSet<string> Required { get; } = new();
    public HashSet<string> Immutable { get; } = new();
    public List<string> DefaultProjections { get; } = new();
    /// <summary>Attributes every encoded entity carries (system projections mapped to attribute names, plus keys and classifier).</summary>
    public List<string> AlwaysProjected { get; } = new();
    /// <summary>Column = value pairs that tell this type's rows apart in a shared table.</summary>
    public List<(string Column, string Value)> Classifiers { get; } = new();

    /// <summary>The classifier sets rows of this type or a subtype match (any one of them); empty: every row.</summary>
    public List<List<(string Column, string Value)>> RowClassifiers { get; } = new();

    /// <summary>An SQL condition true for the rows (at <paramref name="alias"/>) of this type; parameter binds a value.</summary>
    public string RowFilter(string alias, System.Func<string, string> parameter)
    {
        if (RowClassifiers.Count == 0)
            return "1";
        var sets = RowClassifiers.Select(set => string.Join(" AND ", set.Select(c => $"{alias}.\"{c.Column}\" = {parameter(c.Value)}")));
        return RowClassifiers.Count == 1 ? sets.First() : "(" + string.Join(" OR ", sets.Select(s => "(" + s + ")")) + ")";
    }
    /// <summary>Every column of this type holding another entity's key, each once.</summary>
    public List<ForeignKey> ForeignKeys { get; } = new();
    /// <summary>Context, TypedContext, Resource: types that only exist through a subtype.</summary>
    public bool IsAbstract { get; set; }
    /// <summary>This type and its supertypes (Task: Task, TypedContext, Context).</summary>
    public List<string> Lineage { get; } = new();

    public bool IsContext => Table.Name == "context";

    public bool IsA(EntityType other) => Lineage.Contains(other.Name);

    /// <summary>
    /// An attribute of this type or of one of its subtypes: <c>children.type.name</c> projects the
    /// type of those children that have one (Context has no type, Task has).
    /// </summary>
    public AttributeDef? FindAttribute(string name)
    {
        if (Attributes.TryGetValue(name, out var attribute))
            return attribute;
        foreach (var member in Table.Members)
            if (member.Lineage.Contains(Name) && member.Attributes.TryGetValue(name, out attribute))
                return attribute;
        return null;
    }

    public override string ToString() => Name;
}

internal sealed class EntityModel
{
    public Dictionary<string, EntityType> Types { get; } = new();
    public Dictionary<string, TableDef> Tables { get; } = new();
    public EntityType? Find(string name) => Types.TryGetValue(name, out var t) ? t : null;

    /// <summary>The entity type of a row of a shared table, from its classifier columns.</summary>
    public EntityType ResolveRowType(TableDef table, object?[] row, IReadOnlyDictionary<string, int> columnIndex)
    {
        foreach (var member in table.ClassifiedMembers)
        {
            var matches = true;
            foreach (var (column, value) in member.Classifiers)
            {
                if (!columnIndex.TryGetValue(column, out var index) || !string.Equals(row[index] as string, value, System.StringComparison.Ordinal))
                {
                    matches = false;
                    break;
                }
            }
            if (matches)
                return member;
        }
        return table.BaseType!;
    }
}
