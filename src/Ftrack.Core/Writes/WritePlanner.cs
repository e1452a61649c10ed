using System;
using System.Collections.Generic;
using System.Linq;
using Ftrack.Core.Entities;
using Ftrack.Core.Operations;
using Ftrack.Core.Schema;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Writes
{
    /// <summary>
    /// Turns "create a Task with these properties" into a checked operation: attribute names are
    /// validated against the schema (case-insensitive, answered with the valid names), immutable
    /// attributes are refused for updates, and schema defaults are applied on the client as
    /// ftrack's clients do — "{uid}" becomes a new UUID, so the id is known before the server answers.
    /// </summary>
    public static class WritePlanner
    {
        public static EntitySchema SchemaFor(FtrackSession session, string entityType)
        {
            var schemas = session.GetSchemas();
            return schemas.Find(entityType, ignoreCase: true)
                ?? throw new FtrackSchemaException("Ftrack.UnknownEntityType",
                    "The server has no entity type '" + entityType + "'. " + Suggest(entityType, schemas.EntityTypeNames) + "Get-FtrackSchema lists them all.");
        }

        public static CreateOperation PlanCreate(FtrackSession session, string entityType, IEnumerable<KeyValuePair<string, object?>> properties)
        {
            var schema = SchemaFor(session, entityType);
            var data = Canonical(schema, properties, forUpdate: false);
            var entity = new FtrackEntity(schema.Id);
            foreach (var attribute in schema.Attributes.Values)
            {
                if (!attribute.HasDefault || data.ContainsKey(attribute.Name)) continue;
                if (attribute.Default is "{uid}")
                {
                    // Sent with the create so the caller (and later operations in a batch) know it.
                    data[attribute.Name] = Guid.NewGuid().ToString();
                }
                else entity.Set(attribute.Name, attribute.Default); // the server applies it too
            }
            foreach (var pair in data) entity.Set(pair.Key, pair.Value);
            return new CreateOperation(entity, data, schema);
        }

        public static UpdateOperation PlanUpdate(FtrackSession session, FtrackEntity entity, IEnumerable<KeyValuePair<string, object?>> properties)
        {
            var schema = SchemaFor(session, entity.EntityType);
            RequireKey(entity);
            var data = Canonical(schema, properties, forUpdate: true);
            if (data.Count == 0) throw new FtrackSchemaException("Ftrack.NothingToUpdate", "No properties to update on " + EntityKeys.Describe(entity) + ".");
            return new UpdateOperation(entity, data, schema);
        }

        public static DeleteOperation PlanDelete(FtrackEntity entity)
        {
            RequireKey(entity);
            return new DeleteOperation(entity);
        }

        private static void RequireKey(FtrackEntity entity)
        {
            if (Array.Exists(entity.PrimaryKeyValues, v => v is null))
                throw new FtrackSchemaException("Ftrack.MissingKey", entity.EntityType + " value has no " + string.Join(", ", entity.Shape.PrimaryKey) + ": select the key in the query that returned it.");
        }

        private static Dictionary<string, object?> Canonical(EntitySchema schema, IEnumerable<KeyValuePair<string, object?>> properties, bool forUpdate)
        {
            var data = new Dictionary<string, object?>(StringComparer.Ordinal);
            var byLower = schema.Attributes.Keys.ToDictionary(k => k, k => k, StringComparer.OrdinalIgnoreCase);
            foreach (var pair in properties)
            {
                if (pair.Key == "__entity_type__") continue;
                if (!byLower.TryGetValue(pair.Key, out var name))
                    throw new FtrackSchemaException("Ftrack.UnknownAttribute",
                        schema.Id + " has no attribute '" + pair.Key + "'. " + Suggest(pair.Key, schema.Attributes.Keys)
                        + "Valid attributes: " + string.Join(", ", schema.Attributes.Keys.OrderBy(k => k, StringComparer.Ordinal)) + ".");
                if (Array.IndexOf(schema.Computed, name) >= 0)
                    throw new FtrackSchemaException("Ftrack.ImmutableAttribute", schema.Id + "." + name + " is computed by the server and cannot be set.");
                if (forUpdate && (Array.IndexOf(schema.Immutable, name) >= 0 || Array.IndexOf(schema.PrimaryKey, name) >= 0))
                    throw new FtrackSchemaException("Ftrack.ImmutableAttribute", schema.Id + "." + name + " is immutable: it can be set when the entity is created, never changed.");
                data[name] = FromText(schema.Id, schema.Attributes[name], pair.Value);
            }
            return data;
        }

        /// <summary>
        /// Text for a number or boolean attribute (a CSV cell) becomes that type, as the schema says.
        /// Dates are never parsed from text: a DateTime must be given as one.
        /// </summary>
        private static object? FromText(string entityType, AttributeSchema attribute, object? value)
        {
            if (value is not string text) return value;
            if (string.IsNullOrWhiteSpace(text) && attribute.Type is "integer" or "number" or "boolean") return null; // an empty cell
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            switch (attribute.Type)
            {
                case "integer":
                    if (long.TryParse(text.Trim(), System.Globalization.NumberStyles.Integer, invariant, out var l)) return l is >= int.MinValue and <= int.MaxValue ? (object)(int)l : l;
                    break;
                case "number":
                    if (double.TryParse(text.Trim(), System.Globalization.NumberStyles.Float, invariant, out var d) && !double.IsNaN(d) && !double.IsInfinity(d)) return d;
                    break;
                case "boolean":
                    if (bool.TryParse(text.Trim(), out var b)) return b;
                    if (text.Trim() == "1") return true;
                    if (text.Trim() == "0") return false;
                    break;
                default:
                    return value;
            }
            throw new FtrackSchemaException("Ftrack.InvalidAttributeValue", entityType + "." + attribute.Name + " is a " + attribute.Type + "; '" + text + "' is not one.");
        }

        private static string Suggest(string given, IEnumerable<string> names)
        {
            var close = names.Where(n => Distance(n.ToLowerInvariant(), given.ToLowerInvariant()) <= Math.Max(1, given.Length / 4)).Take(3).ToList();
            return close.Count == 0 ? "" : "Did you mean " + string.Join(" or ", close.Select(c => "'" + c + "'")) + "? ";
        }

        private static int Distance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
            for (var j = 0; j <= b.Length; j++) d[0, j] = j;
            for (var i = 1; i <= a.Length; i++)
                for (var j = 1; j <= b.Length; j++)
                {
                    d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                    // A swapped pair of letters ("nmae") is one slip, not two.
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            return d[a.Length, b.Length];
        }
    }
}
