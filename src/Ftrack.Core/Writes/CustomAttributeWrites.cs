using System;
using System.Collections.Generic;
using System.Linq;
using Ftrack.Core.CustomAttributes;
using Ftrack.Core.Entities;
using Ftrack.Core.Operations;
using Ftrack.Core.Schema;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Writes
{
    /// <summary>
    /// Custom attribute values to write, as operations ftrack takes for every kind of entity: an
    /// update of CustomAttributeValue keyed [configuration_id, entity_id] with its value, or a delete
    /// of that key, which puts the default (or inherited) value back. Keys and values are checked
    /// first against the session's configurations — an unknown key is refused naming the keys that
    /// apply to the entity (its type, object type and project), a value of the wrong type naming the
    /// type expected — so nothing is sent when anything is wrong. A command makes one and keeps it:
    /// the configurations are read again at most once per command, when a key is not among them.
    /// </summary>
    public sealed class CustomAttributeWrites
    {
        private const string ValueType = "CustomAttributeValue";
        private const string Collection = "custom_attributes";

        private readonly CallOptions? _options;
        private bool _refreshed;

        /// <summary>Writes through <paramref name="session"/>; nothing is read until a value needs it.</summary>
        public CustomAttributeWrites(FtrackSession session, CallOptions? options = null)
        {
            Session = session;
            _options = options;
        }

        /// <summary>The session the configurations are read from.</summary>
        public FtrackSession Session { get; }

        /// <summary>
        /// The operations setting <paramref name="values"/> (key → value; null puts the default back) on
        /// <paramref name="owner"/>: an entity on the server, or one created in the same request or batch
        /// (<paramref name="isNew"/>: nothing of it is read). With <paramref name="onlyChanges"/> a key
        /// whose value is already the given one is left out (get-or-create). Throws
        /// <see cref="FtrackUsageException"/>: UnknownCustomAttribute, InvalidCustomAttributeValue.
        /// </summary>
        public IReadOnlyList<FtrackOperation> Plan(FtrackEntity owner, IEnumerable<KeyValuePair<string, object?>> values, bool isNew, bool onlyChanges = false)
        {
            var wanted = values.ToList();
            if (wanted.Count == 0) return Array.Empty<FtrackOperation>();
            var schemas = Session.GetSchemas(_options);
            var label = owner.ToString();
            var target = CustomAttributeTarget.For(Session, owner, _options)
                ?? throw new FtrackUsageException(FtrackErrorIds.UnknownCustomAttribute, owner.EntityType + " entities have no custom attributes.");
            if (owner.GetValue("id") is not string id)
                throw new FtrackUsageException(FtrackErrorIds.MissingKey, label + " has no id: select it in the query that returned the entity.");
            var applicable = target.Applicable(Session.CustomAttributeConfigurations.Get(_options));
            var valueSchema = schemas.Require(ValueType);
            var collection = KeyValueCollection.Of(schemas, owner.EntityType, Collection)!;

            var operations = new List<FtrackOperation>();
            foreach (var pair in wanted)
            {
                var configuration = Find(applicable, pair.Key);
                if (configuration is null && !_refreshed)
                {
                    _refreshed = true;
                    applicable = target.Applicable(Session.CustomAttributeConfigurations.Refresh(_options));
                    configuration = Find(applicable, pair.Key);
                }
                if (configuration is null) throw Unknown(owner, pair.Key, applicable);
                var value = configuration.Check(pair.Value, label);
                if (onlyChanges && !isNew && Unchanged(owner, collection, configuration.Key, value)) continue;

                var entity = new FtrackEntity(schemas.Shapes.For(ValueType));
                entity.Set("configuration_id", configuration.Id);
                entity.Set("entity_id", id);
                var key = configuration.Key;
                // Not sent (only value is): names the value in -WhatIf and Get-FtrackBatch.
                entity.Set("key", key);
                FtrackOperation operation = value is null
                    ? new DeleteOperation(entity) { AlsoApply = () => AttributeLoader.Forget(owner, Collection) }
                    : new UpdateOperation(entity, new Dictionary<string, object?> { ["value"] = value }, valueSchema)
                    {
                        AlsoApply = () => KeyValueCollection.Item(owner, collection, key)?.Set(collection.ValueAttribute!, value),
                    };
                operations.Add(operation);
            }
            return operations;
        }

        /// <summary>Whether the owner's value of <paramref name="key"/> is <paramref name="value"/> already (reading its values when they are not loaded).</summary>
        private bool Unchanged(FtrackEntity owner, AttributeSchema collection, string key, object? value)
        {
            KeyValueCollection.Load(Session, owner, collection, _options);
            foreach (var pair in KeyValueCollection.Pairs(owner, collection))
                if (pair.Key == key) return IdentityQuery.SameValue(pair.Value, value);
            return false;
        }

        /// <summary>The configuration of <paramref name="key"/> (its own spelling first, then any case), a project's own before a global one.</summary>
        private static CustomAttributeConfiguration? Find(IReadOnlyList<CustomAttributeConfiguration> applicable, string key) =>
            applicable.FirstOrDefault(c => string.Equals(c.Key, key, StringComparison.Ordinal))
            ?? applicable.FirstOrDefault(c => string.Equals(c.Key, key, StringComparison.OrdinalIgnoreCase));

        private static FtrackUsageException Unknown(FtrackEntity owner, string key, IReadOnlyList<CustomAttributeConfiguration> applicable)
        {
            var keys = applicable.GroupBy(c => c.Key, StringComparer.Ordinal).Select(g => g.First()).ToList();
            if (keys.Count == 0)
                return new FtrackUsageException(FtrackErrorIds.UnknownCustomAttribute, "'" + key + "' is not a custom attribute of " + owner
                    + ": none is configured for it. An administrator adds them in ftrack's system settings (Custom attributes).");
            return new FtrackUsageException(FtrackErrorIds.UnknownCustomAttribute, owner.EntityType + " has no custom attribute '" + key + "'. "
                + Suggestions.DidYouMean(key, keys.Select(c => c.Key)) + "Valid keys for " + owner + ": "
                + string.Join(", ", keys.Select(c => c.ToString())) + ".");
        }
    }
}
