using System;
using System.Collections.Generic;
using Ftrack.Core.Entities;

namespace Ftrack.Core.Json
{
    /// <summary>
    /// (entity type, primary key) → the one entity object for it. Spans a whole response, or every
    /// page of one query, so a reference anywhere expands to the entity seen anywhere else.
    /// <para>
    /// Entities are kept in blocks of <see cref="BlockSize"/>, and the map holds a finished block
    /// only weakly, while each entity holds its block (<see cref="FtrackEntity.Anchor"/>). So an
    /// entity is one object for as long as anyone holds it (holding it keeps its block, and so its
    /// key, in the map), yet a streamed query whose rows nobody keeps lets its blocks go: memory
    /// stays flat however many rows pass. Keys of collected blocks are swept out as blocks retire.
    /// </para>
    /// Used by one decoding thread at a time (see <see cref="DecodeContext.Sync"/>).
    /// </summary>
    public sealed class IdentityMap
    {
        /// <summary>Entities per block: the unit in which entities are let go.</summary>
        public const int BlockSize = 1024;

        private readonly Dictionary<Key, Slot> _slots = new();
        private readonly List<WeakReference<EntityBlock>> _blocks = new();
        private EntityBlock _current;
        private int _retiredSinceSweep;

        private readonly struct Key : IEquatable<Key>
        {
            private readonly EntityShape _shape;
            private readonly string _value;
            public Key(EntityShape shape, string value) { _shape = shape; _value = value; }
            public bool Equals(Key other) => ReferenceEquals(_shape, other._shape) && string.Equals(_value, other._value, StringComparison.Ordinal);
            public override bool Equals(object? obj) => obj is Key k && Equals(k);
            public override int GetHashCode() => _value.GetHashCode() ^ _shape.GetHashCode();
        }

        /// <summary>Where an entity sits: its block's number and its index there.</summary>
        private readonly struct Slot
        {
            public Slot(int block, int index) { Block = block; Index = index; }
            public readonly int Block;
            public readonly int Index;
        }

        /// <summary>An empty map; entities decoded into it belong to <paramref name="owner"/> (their origin).</summary>
        public IdentityMap(DecodeContext? owner = null)
        {
            Owner = owner;
            _current = NewBlock();
        }

        /// <summary>The result entities of this map come from (for loading what was not selected).</summary>
        public DecodeContext? Owner { get; internal set; }

        /// <summary>How many entities the map holds that are still alive.</summary>
        public int Count
        {
            get
            {
                var n = 0;
                foreach (var slot in _slots.Values) if (Resolve(slot) != null) n++;
                return n;
            }
        }

        /// <summary>The entity for this key, created (empty) on first sight.</summary>
        public FtrackEntity GetOrAdd(EntityShape shape, string key)
        {
            var k = new Key(shape, key);
            if (_slots.TryGetValue(k, out var slot) && Resolve(slot) is { } found) return found;
            var entity = new FtrackEntity(shape);
            _slots[k] = Place(entity);
            entity.Anchor = _current;
            return entity;
        }

        /// <summary>Registers an entity made elsewhere (e.g. created locally) so responses merge into it.</summary>
        public void Add(FtrackEntity entity)
        {
            var key = KeyOf(entity);
            if (key != null) _slots[new Key(entity.Shape, key)] = Place(entity);
        }

        /// <summary>Makes this map's result the origin of an entity that has none (a create the server accepted).</summary>
        public void Adopt(FtrackEntity entity)
        {
            if (entity.Anchor is null && KeyOf(entity) is { } key && _slots.TryGetValue(new Key(entity.Shape, key), out var slot) && BlockOf(slot) is { } block)
                entity.Anchor = block;
        }

        /// <summary>The entity for this key, if the map has it (and it is alive).</summary>
        public bool TryGet(EntityShape shape, string key, out FtrackEntity entity)
        {
            entity = _slots.TryGetValue(new Key(shape, key), out var slot) ? Resolve(slot)! : null!;
            return entity != null;
        }

        /// <summary>Every live entity of one shape (type) in the map.</summary>
        public IEnumerable<FtrackEntity> OfShape(EntityShape shape)
        {
            foreach (var slot in _slots.Values)
                if (Resolve(slot) is { } entity && ReferenceEquals(entity.Shape, shape)) yield return entity;
        }

        private Slot Place(FtrackEntity entity)
        {
            if (_current.Count == BlockSize) Retire();
            var index = _current.Count;
            _current.Entities[index] = entity;
            _current.Count++;
            return new Slot(_blocks.Count - 1, index);
        }

        private FtrackEntity? Resolve(Slot slot) => BlockOf(slot)?.Entities[slot.Index];

        private EntityBlock? BlockOf(Slot slot) =>
            slot.Block == _blocks.Count - 1 ? _current : _blocks[slot.Block].TryGetTarget(out var block) ? block : null;

        private EntityBlock NewBlock()
        {
            var block = new EntityBlock(this);
            _blocks.Add(new WeakReference<EntityBlock>(block));
            return block;
        }

        /// <summary>The current block is full: from now on only its entities hold it. Now and then, forget the keys of blocks nobody holds.</summary>
        private void Retire()
        {
            _current = NewBlock();
            if (++_retiredSinceSweep * BlockSize < _slots.Count / 4) return;
            _retiredSinceSweep = 0;
            List<Key>? dead = null;
            foreach (var pair in _slots)
                if (BlockOf(pair.Value) is null) (dead ??= new List<Key>()).Add(pair.Key);
            if (dead != null) foreach (var key in dead) _slots.Remove(key);
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
