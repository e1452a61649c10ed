using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using Ftrack.Core.Entities;

namespace Ftrack.Adapters
{
    /// <summary>
    /// Entities as plain ordered hashtables (Invoke-FtrackQuery -AsHashtable), for ConvertTo-Json and
    /// scripts that want raw data. Identity survives: the same entity becomes the same hashtable,
    /// so shared references and cycles stay shared (and finite). Custom attributes and metadata become
    /// key → value tables, as the entities' own properties read them.
    /// </summary>
    internal sealed class EntityHashtableConverter
    {
        private readonly Dictionary<FtrackEntity, OrderedDictionary> _converted = new(ReferenceEqualityComparer.Instance);

        public object? Convert(object? value)
        {
            switch (value)
            {
                case FtrackEntity entity:
                    if (_converted.TryGetValue(entity, out var done)) return done;
                    var table = new OrderedDictionary { ["__entity_type__"] = entity.EntityType };
                    _converted.Add(entity, table); // before recursing: cycles end here
                    foreach (var attribute in entity.Attributes)
                        table[attribute.Key] = KeyValueCollection.Of(entity, attribute.Key) is { } keyed ? Pairs(entity, keyed) : Convert(attribute.Value);
                    return table;
                case IDictionary<string, object?> dictionary:
                    var plain = new OrderedDictionary();
                    foreach (var pair in dictionary) plain[pair.Key] = Convert(pair.Value);
                    return plain;
                case IList list when value is not string:
                    var array = new object?[list.Count];
                    for (var i = 0; i < array.Length; i++) array[i] = Convert(list[i]);
                    return array;
                default:
                    return value;
            }
        }

        /// <summary>Custom attributes and metadata as key → value, as the entity's own property reads them.</summary>
        private OrderedDictionary Pairs(FtrackEntity owner, Core.Schema.AttributeSchema keyed)
        {
            var pairs = new OrderedDictionary();
            foreach (var pair in KeyValueCollection.Pairs(owner, keyed)) pairs[pair.Key] = Convert(pair.Value);
            return pairs;
        }

        private sealed class ReferenceEqualityComparer : IEqualityComparer<FtrackEntity>
        {
            public static readonly ReferenceEqualityComparer Instance = new();
            public bool Equals(FtrackEntity? x, FtrackEntity? y) => ReferenceEquals(x, y);
            public int GetHashCode(FtrackEntity obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }
    }
}
