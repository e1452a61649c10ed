using System;
using System.Collections.Generic;
using System.Linq;
using Ftrack.Core.Query;
using Ftrack.Core.Schema;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Entities
{
    /// <summary>
    /// An entity's collection that ftrack's schema marks as keyed (custom_attributes, metadata:
    /// key_value_attributes), read as key → value: the items as the server sent them, nothing
    /// copied, so a change to an item shows at once. Only what is loaded is read; nothing here
    /// sends a request.
    /// </summary>
    public static class KeyValueCollection
    {
        /// <summary>The attribute's schema when it is a key/value collection of the entity's type (per its result's schemas); null otherwise.</summary>
        public static AttributeSchema? Of(FtrackEntity entity, string attribute) =>
            entity.Origin?.Schemas is { } schemas ? Of(schemas, entity.EntityType, attribute) : null;

        /// <summary>The attribute's schema when it is a key/value collection of <paramref name="entityType"/>; null otherwise.</summary>
        public static AttributeSchema? Of(SchemaRegistry schemas, string entityType, string attribute) =>
            schemas.Find(entityType)?.Attributes.TryGetValue(attribute, out var schema) == true && schema.IsKeyValueCollection ? schema : null;

        /// <summary>The loaded items of the collection, or null when it is not loaded.</summary>
        public static List<object?>? Items(FtrackEntity owner, AttributeSchema collection) =>
            owner.TryGetValue(collection.Name, out var value) ? value as List<object?> : null;

        /// <summary>Key → value of each loaded item, in the server's order (a key met twice keeps its first value).</summary>
        public static IEnumerable<KeyValuePair<string, object?>> Pairs(FtrackEntity owner, AttributeSchema collection)
        {
            if (Items(owner, collection) is not { } items) yield break;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items)
                if (item is FtrackEntity entity && entity.GetValue(collection.KeyAttribute!) is string key && seen.Add(key))
                    yield return new KeyValuePair<string, object?>(key, entity.GetValue(collection.ValueAttribute!));
        }

        /// <summary>"fps=24, fstart=1001, plate_format=exr": the loaded pairs as one line (a table cell, a CSV field).</summary>
        public static string Text(FtrackEntity owner, AttributeSchema collection) =>
            string.Join(", ", Pairs(owner, collection).Select(p => p.Key + "=" + Display.ValueText.Plain(p.Value)));

        /// <summary>
        /// The items, for a write that must know them (which metadata keys exist, a custom attribute's
        /// current value): as loaded; else loaded like any attribute that was not selected (for the
        /// owner's whole result); else — an entity known by its id, or loading turned off — read with one query.
        /// </summary>
        internal static List<object?> Load(FtrackSession session, FtrackEntity owner, AttributeSchema collection, CallOptions? options)
        {
            if (Items(owner, collection) is { } loaded) return loaded;
            if (owner.Origin != null && session.AutoPopulate)
            {
                AttributeLoader.Load(owner, collection.Name, options?.Log);
                if (Items(owner, collection) is { } items) return items;
            }
            var row = session.Query("select " + collection.Name + " from " + owner.EntityType + " where id is " + QueryLiteral.Of(owner.GetValue("id")), options).Data.FirstOrDefault() as FtrackEntity;
            var read = row?.GetValue(collection.Name) as List<object?> ?? new List<object?>();
            owner.Set(collection.Name, read);
            return read;
        }

        /// <summary>Adds an item written on the client to the loaded items (once); nothing when they are not loaded.</summary>
        internal static void AddItem(FtrackEntity owner, AttributeSchema collection, FtrackEntity item) => Change(owner, collection, items =>
        {
            if (!items.Contains(item)) items.Add(item);
        });

        /// <summary>Takes an item deleted on the client out of the loaded items; nothing when they are not loaded.</summary>
        internal static void RemoveItem(FtrackEntity owner, AttributeSchema collection, FtrackEntity item) => Change(owner, collection, items => items.Remove(item));

        // Under the result's lock: a query's producer thread may be merging into the same entities.
        private static void Change(FtrackEntity owner, AttributeSchema collection, Action<List<object?>> change)
        {
            if (Items(owner, collection) is not { } items) return;
            lock (owner.Origin?.Sync ?? items) change(items);
        }

        /// <summary>The loaded item whose key is <paramref name="key"/>, or null.</summary>
        public static FtrackEntity? Item(FtrackEntity owner, AttributeSchema collection, string key)
        {
            if (Items(owner, collection) is not { } items) return null;
            foreach (var item in items)
                if (item is FtrackEntity entity && string.Equals(entity.GetValue(collection.KeyAttribute!) as string, key, StringComparison.Ordinal)) return entity;
            return null;
        }
    }
}
