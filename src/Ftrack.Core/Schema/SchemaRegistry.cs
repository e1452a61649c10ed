using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Ftrack.Core.Entities;

namespace Ftrack.Core.Schema
{
    /// <summary>
    /// The schemas of one server, parsed once from the raw query_schemas bytes. The raw bytes are
    /// kept so the disk cache can store exactly what the server sent.
    /// </summary>
    public sealed class SchemaRegistry
    {
        private readonly Dictionary<string, EntitySchema> _byName;
        private readonly Dictionary<string, EntitySchema> _byNameIgnoreCase;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<EntitySchema, EntitySchema[]> _subtypes = new();

        private SchemaRegistry(byte[] rawJson, Dictionary<string, EntitySchema> byName)
        {
            RawJson = rawJson;
            _byName = byName;
            _byNameIgnoreCase = new Dictionary<string, EntitySchema>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in byName) if (!_byNameIgnoreCase.ContainsKey(pair.Key)) _byNameIgnoreCase[pair.Key] = pair.Value;
            EntityTypeNames = byName.Keys.OrderBy(n => n, StringComparer.Ordinal).ToArray();
            // This server's shapes, keyed as its schemas say, so references encode and entities merge
            // correctly for composite keys — without touching another server's shapes.
            Shapes = new EntityShapes(type => byName.TryGetValue(type, out var schema) ? schema.PrimaryKey : null);
        }

        /// <summary>The entity shapes of this server's types (with their primary keys).</summary>
        public EntityShapes Shapes { get; }

        /// <summary>The exact bytes of the query_schemas result (a JSON array).</summary>
        public byte[] RawJson { get; }

        /// <summary>Every entity type name, sorted.</summary>
        public IReadOnlyList<string> EntityTypeNames { get; }

        /// <summary>Every schema.</summary>
        public IEnumerable<EntitySchema> All => _byName.Values;

        /// <summary>The schema of a type, or null.</summary>
        public EntitySchema? Find(string entityType, bool ignoreCase = false)
        {
            if (_byName.TryGetValue(entityType, out var schema)) return schema;
            return ignoreCase && _byNameIgnoreCase.TryGetValue(entityType, out schema) ? schema : null;
        }

        /// <summary>The schema of a type (any case), or a usage error naming close matches.</summary>
        public EntitySchema Require(string entityType) =>
            Find(entityType, ignoreCase: true)
            ?? throw new FtrackUsageException(FtrackErrorIds.UnknownEntityType,
                "The server has no entity type '" + entityType + "'. " + Suggestions.DidYouMean(entityType, EntityTypeNames) + "Get-FtrackSchema lists them all.");

        /// <summary>
        /// The types that have every attribute of <paramref name="schema"/> and more: its subtypes, as far
        /// as the schemas show (they name no inheritance; Context's are Project, TypedContext, Task, ...).
        /// A path through a base type may go on with what only a subtype has (children.type.name).
        /// </summary>
        public IReadOnlyList<EntitySchema> SubtypesOf(EntitySchema schema) =>
            _subtypes.GetOrAdd(schema, s => _byName.Values
                .Where(other => !ReferenceEquals(other, s) && other.Attributes.Count > s.Attributes.Count && s.Attributes.Keys.All(other.Attributes.ContainsKey))
                .ToArray());

        /// <summary>Parses the bytes of a query_schemas result (a JSON array of schema objects).</summary>
        public static SchemaRegistry Parse(byte[] rawJson)
        {
            using var doc = JsonDocument.Parse(rawJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                throw new FormatException("query_schemas did not return an array.");
            var byName = new Dictionary<string, EntitySchema>(StringComparer.Ordinal);
            foreach (var element in doc.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
                    continue;
                var schema = ParseSchema(string.Intern(idElement.GetString()!), element);
                byName[schema.Id] = schema;
            }
            return new SchemaRegistry(rawJson, byName);
        }

        private static EntitySchema ParseSchema(string id, JsonElement element)
        {
            var schema = new EntitySchema(id);
            var attributes = new Dictionary<string, AttributeSchema>(StringComparer.Ordinal);
            if (element.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in properties.EnumerateObject())
                {
                    var attribute = new AttributeSchema(string.Intern(property.Name));
                    var p = property.Value;
                    if (p.ValueKind == JsonValueKind.Object)
                    {
                        attribute.Type = GetString(p, "type");
                        attribute.Format = GetString(p, "format");
                        attribute.Reference = GetString(p, "$ref");
                        if (p.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object)
                            attribute.ItemsReference = GetString(items, "$ref");
                        if (p.TryGetProperty("key_value_attributes", out var keyValue) && keyValue.ValueKind == JsonValueKind.Object)
                        {
                            attribute.KeyAttribute = GetString(keyValue, "key");
                            attribute.ValueAttribute = GetString(keyValue, "value");
                        }
                        if (p.TryGetProperty("default", out var def))
                        {
                            attribute.HasDefault = true;
                            attribute.Default = def.ValueKind switch
                            {
                                JsonValueKind.String => def.GetString(),
                                JsonValueKind.Number => def.TryGetInt64(out var l) ? (l is >= int.MinValue and <= int.MaxValue ? (object)(int)l : l) : def.GetDouble(),
                                JsonValueKind.True => true,
                                JsonValueKind.False => false,
                                _ => null,
                            };
                        }
                    }
                    attributes[attribute.Name] = attribute;
                }
            }
            schema.Attributes = attributes;
            schema.PrimaryKey = GetStrings(element, "primary_key") is { Length: > 0 } pk ? pk : new[] { "id" };
            schema.Required = GetStrings(element, "required");
            schema.Immutable = GetStrings(element, "immutable");
            schema.Computed = GetStrings(element, "computed");
            schema.DefaultProjections = GetStrings(element, "default_projections");
            schema.SystemProjections = GetStrings(element, "system_projections");
            if (element.TryGetProperty("alias_for", out var alias))
            {
                schema.AliasFor = alias.ValueKind switch
                {
                    JsonValueKind.String => alias.GetString(),
                    JsonValueKind.Object => GetString(alias, "id"),
                    _ => null,
                };
                if (alias.ValueKind == JsonValueKind.Object && alias.TryGetProperty("classifiers", out var classifiers))
                {
                    schema.IsClassifiedAlias = true;
                    if (classifiers.ValueKind == JsonValueKind.Object) schema.ObjectTypeId = GetString(classifiers, "object_typeid");
                }
            }
            return schema;
        }

        private static string? GetString(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static string[] GetStrings(JsonElement element, string name)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array) return Array.Empty<string>();
            var list = new List<string>();
            foreach (var item in value.EnumerateArray())
                if (item.ValueKind == JsonValueKind.String) list.Add(string.Intern(item.GetString()!));
            return list.ToArray();
        }
    }
}
