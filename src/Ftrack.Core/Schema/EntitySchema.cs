using System;
using System.Collections.Generic;

namespace Ftrack.Core.Schema
{
    /// <summary>What the client needs to know of one attribute of an entity type.</summary>
    public sealed class AttributeSchema
    {
        /// <summary>An attribute named <paramref name="name"/>.</summary>
        public AttributeSchema(string name) { Name = name; }

        /// <summary>The attribute name.</summary>
        public string Name { get; }
        /// <summary>JSON-schema type: string, number, integer, boolean, array, mapped_array, variable, or null for a reference.</summary>
        public string? Type { get; internal set; }
        /// <summary>"date-time", "date", "foreign_key", ...</summary>
        public string? Format { get; internal set; }
        /// <summary>Referenced entity type for a scalar reference ($ref).</summary>
        public string? Reference { get; internal set; }
        /// <summary>Entity type of collection items (items.$ref).</summary>
        public string? ItemsReference { get; internal set; }
        /// <summary>The schema default: "{uid}" means a new UUID.</summary>
        public object? Default { get; internal set; }
        /// <summary>Whether the schema gives a default.</summary>
        public bool HasDefault { get; internal set; }
        /// <summary>
        /// For a collection read as a dictionary (custom_attributes, metadata: the schema's
        /// key_value_attributes), the attribute of each item that is its key; null otherwise.
        /// </summary>
        public string? KeyAttribute { get; internal set; }
        /// <summary>For a collection read as a dictionary, the attribute of each item that is its value.</summary>
        public string? ValueAttribute { get; internal set; }

        /// <summary>A reference to one entity.</summary>
        public bool IsReference => Reference != null;
        /// <summary>A collection of entities.</summary>
        public bool IsCollection => ItemsReference != null;
        /// <summary>A date and time.</summary>
        public bool IsDateTime => Format == "date-time";
        /// <summary>A collection of key/value items, shown as a dictionary (custom_attributes, metadata).</summary>
        public bool IsKeyValueCollection => KeyAttribute != null && ValueAttribute != null && IsCollection;
    }

    /// <summary>One entity type as the server's query_schemas describes it.</summary>
    public sealed class EntitySchema
    {
        /// <summary>The schema of the type <paramref name="id"/>.</summary>
        public EntitySchema(string id) { Id = id; }

        /// <summary>The entity type name, e.g. Task.</summary>
        public string Id { get; }
        /// <summary>Attributes by name.</summary>
        public IReadOnlyDictionary<string, AttributeSchema> Attributes { get; internal set; } = new Dictionary<string, AttributeSchema>();
        /// <summary>The attributes that key an entity of this type.</summary>
        public string[] PrimaryKey { get; internal set; } = { "id" };
        /// <summary>Attributes a create must give (or the server fills in).</summary>
        public string[] Required { get; internal set; } = Array.Empty<string>();
        /// <summary>Attributes set at creation and never changed.</summary>
        public string[] Immutable { get; internal set; } = Array.Empty<string>();
        /// <summary>Attributes the server computes; never written.</summary>
        public string[] Computed { get; internal set; } = Array.Empty<string>();
        /// <summary>What a query without select returns.</summary>
        public string[] DefaultProjections { get; internal set; } = Array.Empty<string>();
        /// <summary>What every query of the type returns besides.</summary>
        public string[] SystemProjections { get; internal set; } = Array.Empty<string>();
        /// <summary>The stored type this one is a view of ("Task" for Shot and for TypedContext, "Show" for Project), if any.</summary>
        public string? AliasFor { get; internal set; }
        /// <summary>
        /// True when the alias names classifiers: this type is one kind of the rows its stored type
        /// holds (a Shot among the "Task" rows), not the whole of them (TypedContext).
        /// </summary>
        public bool IsClassifiedAlias { get; internal set; }
        /// <summary>
        /// The id of the object type that classifies this type's rows (Shot, Task, Sequence: the
        /// schema's alias_for classifiers.object_typeid); null for other types.
        /// </summary>
        public string? ObjectTypeId { get; internal set; }

        /// <summary>Whether an update may not change <paramref name="attribute"/> (immutable or computed).</summary>
        public bool IsImmutable(string attribute) => Array.IndexOf(Immutable, attribute) >= 0 || Array.IndexOf(Computed, attribute) >= 0;

        /// <inheritdoc />
        public override string ToString() => Id;
    }
}
