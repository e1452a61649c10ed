using System;
using System.Collections.Generic;

namespace Ftrack.Core.Schema
{
    /// <summary>What the client needs to know of one attribute of an entity type.</summary>
    public sealed class AttributeSchema
    {
        public AttributeSchema(string name) { Name = name; }

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
        public bool HasDefault { get; internal set; }

        public bool IsReference => Reference != null;
        public bool IsCollection => ItemsReference != null;
        public bool IsDateTime => Format == "date-time";
    }

    /// <summary>One entity type as the server's query_schemas describes it.</summary>
    public sealed class EntitySchema
    {
        public EntitySchema(string id) { Id = id; }

        public string Id { get; }
        public IReadOnlyDictionary<string, AttributeSchema> Attributes { get; internal set; } = new Dictionary<string, AttributeSchema>();
        public string[] PrimaryKey { get; internal set; } = { "id" };
        public string[] Required { get; internal set; } = Array.Empty<string>();
        public string[] Immutable { get; internal set; } = Array.Empty<string>();
        public string[] Computed { get; internal set; } = Array.Empty<string>();
        public string[] DefaultProjections { get; internal set; } = Array.Empty<string>();
        public string[] SystemProjections { get; internal set; } = Array.Empty<string>();
        /// <summary>The base type a typed context aliases (Task → TypedContext), if any.</summary>
        public string? AliasFor { get; internal set; }

        public bool IsImmutable(string attribute) => Array.IndexOf(Immutable, attribute) >= 0 || Array.IndexOf(Computed, attribute) >= 0;

        public override string ToString() => Id;
    }
}
