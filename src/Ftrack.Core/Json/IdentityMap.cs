using System;
using System.Collections.Generic;
using Ftrack.Core.Entities;

namespace Ftrack.Core.Json
{
    /// <summary>
    /// (entity type, primary key) → the one entity object for it. Spans a whole response, or every
    /// page of one query, so a reference anywhere expands to the entity seen anywhere else.
    /// Used by one decoding thread at a time.
    /// </summary>
    public sealed class IdentityMap
    {
        private readonly Dictionary<Key, FtrackEntity> _entities = new();

        private readonly struct Key : IEquatable<Key>
        {
            private readonly EntityShape _shape;
            private readonly string _value;
            public Key(EntityShape shape, string value) { _shape = shape; _value = value; }
            public bool Equals(Key other) => ReferenceEquals(_shape, other._shape) && string.Equals(_value, other._value, StringComparison.Ordinal);
            public override bool Equals(object? obj) => obj is Key k && Equals(k);
            public override int GetHashCode() => _value.GetHashCode() ^ _shape.GetHashCode();
        }

        /// <summary>How many entities the map holds.</summary>
        public int Count => _entities.Count;

        /// <summary>The entity for this key, created (empty) on first sight.</summary>
        public FtrackEntity GetOrAdd(EntityShape shape, string key)
        {
            var k = new Key(shape, key);
            if (!_entities.TryGetValue(k, out var entity))
            {
                entity = new FtrackEntity(shape);
                _entities.Add(k, entity);
            }
            return entity;
        }

        /// <summary>Registers an entity made elsewhere (e.g. created locally) so responses merge into it.</summary>
        public void Add(FtrackEntity entity)
        {
            var key = KeyOf(entity);
            if (key != null) _entities[new Key(entity.Shape, key)] = entity;
        }

        /// <summary>The entity for this key, if the map has it.</summary>
        public bool TryGet(EntityShape shape, string key, out FtrackEntity entity) => _entities.TryGetValue(new Key(shape, key), out entity!);

        /// <summary>Every entity of one shape (type) in the map.</summary>
        public IEnumerable<FtrackEntity> OfShape(EntityShape shape)
        {
            foreach (var entity in _entities.Values) if (ReferenceEquals(entity.Shape, shape)) yield return entity;
        }

        /// <summary>The identity string of an entity's primary key, or null when a key attribute is missing.</summary>
        public static string? KeyOf(FtrackEntity entity)
        {
            var pk = entity.Shape.PrimaryKey;
            if (pk.Length == 1) return entity.TryGetValue(pk[0], out var v) ? KeyPart(v) : null;
            var parts = new string[pk.Length];
            for (var i = 0; i < pk.Length; i++)
            {
                if (!entity.TryGetValue(pk[i], out var v) || KeyPart(v) is not { } part) return null;
                parts[i] = part;
            }
            return CompositeKey(parts);
        }

        /// <summary>Length-prefixed parts, so no value can make two different keys collide.</summary>
        internal static string CompositeKey(string[] parts)
        {
            var sb = new System.Text.StringBuilder();
            foreach (var part in parts) sb.Append(part.Length).Append(':').Append(part);
            return sb.ToString();
        }

        internal static string? KeyPart(object? value) => value switch
        {
            null => null,
            string s => s,
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }
}
