using System;
using System.Collections.Generic;
using System.Globalization;
using Ftrack.Core.Entities;
using Ftrack.Core.Operations;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Writes
{
    /// <summary>
    /// Metadata (an entity's key → text pairs) to write, as ftrack's Python client writes it: a key
    /// the entity lacks is a create of Metadata {parent_id, parent_type: the entity's type, key,
    /// value}, a key it has an update of that Metadata (keyed [parent_id, key]), and null a delete.
    /// Which keys exist is read first unless the entity is being created (or its metadata is loaded).
    /// </summary>
    public static class MetadataWrites
    {
        private const string Collection = "metadata";
        private const string ItemType = "Metadata";

        /// <summary>
        /// The operations setting <paramref name="values"/> (key → text; null removes the key) on
        /// <paramref name="owner"/>, an entity on the server or one created in the same request or batch
        /// (<paramref name="isNew"/>). With <paramref name="onlyChanges"/> a key that has the value
        /// already is left out. Numbers and booleans are written as their invariant text; anything else
        /// that is not text is refused (InvalidAttributeValue), before anything is sent.
        /// </summary>
        public static IReadOnlyList<FtrackOperation> Plan(FtrackSession session, FtrackEntity owner, IEnumerable<KeyValuePair<string, object?>> values, bool isNew, bool onlyChanges = false, CallOptions? options = null)
        {
            var schemas = session.GetSchemas(options);
            var collection = KeyValueCollection.Of(schemas, owner.EntityType, Collection)
                ?? throw new FtrackUsageException(FtrackErrorIds.UnknownAttribute, owner.EntityType + " entities have no metadata.");
            var itemSchema = schemas.Require(ItemType);
            if (owner.GetValue("id") is not string id)
                throw new FtrackUsageException(FtrackErrorIds.MissingKey, owner + " has no id: select it in the query that returned the entity.");

            var texts = new List<KeyValuePair<string, string?>>();
            foreach (var pair in values) texts.Add(new KeyValuePair<string, string?>(pair.Key, TextOf(owner, pair.Key, pair.Value)));
            if (texts.Count > 0 && !isNew) KeyValueCollection.Load(session, owner, collection, options);

            var operations = new List<FtrackOperation>();
            foreach (var pair in texts)
            {
                var existing = isNew ? null : KeyValueCollection.Item(owner, collection, pair.Key);
                if (pair.Value is null)
                {
                    if (existing is null) continue;
                    var removed = existing;
                    operations.Add(new DeleteOperation(existing) { AlsoApply = () => KeyValueCollection.RemoveItem(owner, collection, removed) });
                }
                else if (existing != null)
                {
                    if (onlyChanges && existing.GetValue(collection.ValueAttribute!) as string == pair.Value) continue;
                    operations.Add(new UpdateOperation(existing, new Dictionary<string, object?> { [collection.ValueAttribute!] = pair.Value }, itemSchema));
                }
                else
                {
                    var create = WritePlanner.PlanCreate(session, ItemType, new[]
                    {
                        new KeyValuePair<string, object?>("parent_id", id),
                        // The entity's own type, as the Python client sends it (the schema: "client": "{schema_id}").
                        new KeyValuePair<string, object?>("parent_type", owner.EntityType),
                        new KeyValuePair<string, object?>(collection.KeyAttribute!, pair.Key),
                        new KeyValuePair<string, object?>(collection.ValueAttribute!, pair.Value),
                    });
                    var added = create.Entity;
                    create.AlsoApply = () => KeyValueCollection.AddItem(owner, collection, added);
                    operations.Add(create);
                }
            }
            return operations;
        }

        /// <summary>A value as metadata keeps it: text; numbers and booleans as their invariant text; null to remove.</summary>
        private static string? TextOf(FtrackEntity owner, string key, object? value) => value switch
        {
            null => null,
            string text => text,
            bool flag => flag ? "true" : "false",
            IFormattable number when number is int or long or double or decimal or float or short or byte => number.ToString(null, CultureInfo.InvariantCulture),
            _ => throw new FtrackUsageException(FtrackErrorIds.InvalidAttributeValue, "Metadata '" + key + "' of " + owner + " is text; a " + value.GetType().Name
                + " cannot be kept there (convert it to text, e.g. with ConvertTo-Json)."),
        };
    }
}
