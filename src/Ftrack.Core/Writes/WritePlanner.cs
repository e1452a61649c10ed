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
    /// attributes are refused for updates, a create lacking required attributes is refused naming
    /// them all (<see cref="RequiredAttributes"/>), names given for lookup references are resolved
    /// (<see cref="NameLookup"/>), and schema defaults are applied on the client as ftrack's clients
    /// do — "{uid}" becomes a new UUID, so the id is known before the server answers.
    /// </summary>
    public static class WritePlanner
    {
        /// <summary>
        /// A create of <paramref name="entityType"/> with the given attributes, checked against the
        /// schema; the entity's key is chosen here. Names for lookup references are resolved through
        /// <paramref name="names"/> (a command's own lookup; one for this call when null).
        /// </summary>
        public static CreateOperation PlanCreate(FtrackSession session, string entityType, IEnumerable<KeyValuePair<string, object?>> properties, NameLookup? names = null)
        {
            var schemas = session.GetSchemas();
            var schema = schemas.Require(entityType);
            var data = Canonical(schema, properties, forUpdate: false, names ?? new NameLookup(session));
            var missing = RequiredAttributes.Missing(schema, data.Keys);
            if (missing.Count > 0)
                throw new FtrackUsageException(FtrackErrorIds.MissingRequiredAttribute, "A " + schema.Id + " needs " + JoinAnd(missing)
                    + ", which " + (missing.Count == 1 ? "was" : "were") + " not given (the server fills in the rest of what its schema requires).");
            var entity = new FtrackEntity(schemas.Shapes.For(schema.Id));
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

        /// <summary>An update of the given attributes of <paramref name="entity"/>, checked against the schema (immutable ones refused); names resolved as for a create.</summary>
        public static UpdateOperation PlanUpdate(FtrackSession session, FtrackEntity entity, IEnumerable<KeyValuePair<string, object?>> properties, NameLookup? names = null)
        {
            var schema = session.GetSchemas().Require(entity.EntityType);
            RequireKey(entity);
            var data = Canonical(schema, properties, forUpdate: true, names ?? new NameLookup(session));
            if (data.Count == 0) throw new FtrackUsageException(FtrackErrorIds.NothingToUpdate, "No properties to update on " + EntityKeys.Describe(entity) + ".");
            return new UpdateOperation(entity, data, schema);
        }

        /// <summary>A delete of <paramref name="entity"/> (it must have its key).</summary>
        public static DeleteOperation PlanDelete(FtrackEntity entity)
        {
            RequireKey(entity);
            return new DeleteOperation(entity);
        }

        private static void RequireKey(FtrackEntity entity)
        {
            if (Array.Exists(entity.PrimaryKeyValues, v => v is null))
                throw new FtrackUsageException(FtrackErrorIds.MissingKey, entity.EntityType + " value has no " + string.Join(", ", entity.Shape.PrimaryKey) + ": select the key in the query that returned it.");
        }

        private static string JoinAnd(IReadOnlyList<string> items) =>
            items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[items.Count - 1];

        private static Dictionary<string, object?> Canonical(EntitySchema schema, IEnumerable<KeyValuePair<string, object?>> properties, bool forUpdate, NameLookup names)
        {
            var data = new Dictionary<string, object?>(StringComparer.Ordinal);
            var byLower = schema.Attributes.Keys.ToDictionary(k => k, k => k, StringComparer.OrdinalIgnoreCase);
            foreach (var pair in properties)
            {
                if (pair.Key == "__entity_type__") continue;
                if (!byLower.TryGetValue(pair.Key, out var name))
                    throw new FtrackUsageException(FtrackErrorIds.UnknownAttribute,
                        schema.Id + " has no attribute '" + pair.Key + "'. " + Suggestions.DidYouMean(pair.Key, schema.Attributes.Keys)
                        + "Valid attributes: " + string.Join(", ", schema.Attributes.Keys.OrderBy(k => k, StringComparer.Ordinal)) + ".");
                if (Array.IndexOf(schema.Computed, name) >= 0)
                    throw new FtrackUsageException(FtrackErrorIds.ImmutableAttribute, schema.Id + "." + name + " is computed by the server and cannot be set.");
                if (forUpdate && (Array.IndexOf(schema.Immutable, name) >= 0 || Array.IndexOf(schema.PrimaryKey, name) >= 0))
                    throw new FtrackUsageException(FtrackErrorIds.ImmutableAttribute, schema.Id + "." + name + " is immutable: it can be set when the entity is created, never changed.");
                var attribute = schema.Attributes[name];
                if (attribute.IsKeyValueCollection)
                    throw new FtrackUsageException(FtrackErrorIds.InvalidAttributeValue, schema.Id + "." + name + " is written key by key: New-/Set-FtrackEntity -"
                        + (name == "metadata" ? "Metadata" : "CustomAttribute") + " @{ key = value }.");
                var value = FromText(schema.Id, attribute, pair.Value);
                data[name] = attribute.IsReference && value is string text ? names.Resolve(schema, attribute, text) : value;
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
            throw new FtrackUsageException(FtrackErrorIds.InvalidAttributeValue, entityType + "." + attribute.Name + " is a " + attribute.Type + "; '" + text + "' is not one.");
        }

    }
}
