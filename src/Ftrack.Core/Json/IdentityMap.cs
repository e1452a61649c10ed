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
    /// entity is one object for as long as anyone holds it (holding it keeps its block), yet a
    /// streamed query whose rows nobody keeps lets its blocks go: memory stays flat however many
    /// rows pass. The table itself holds no keys — a slot is a hash and a place, and a lookup
    /// compares the key with the entity's own — so nothing of a dropped entity outlives it, and a
    /// slot costs 12 bytes, not a dictionary entry and a key.
    /// </para>
    /// Used by one decoding thread at a time (see <see cref="DecodeContext.Sync"/>).
    /// </summary>
    public sealed class IdentityMap
    {
        /// <summary>
        /// Entities per block: the unit in which entities are let go. Small, because an entity
        /// shared by later rows (a shot, a status) keeps its whole block alive: with blocks of
        /// 1,024, streaming 200,000 tasks kept old rows alive long enough to fill the old
        /// generation (the heap grew 4×); with 32 it stays flat. About 10 bytes per entity.
        /// </summary>
        public const int BlockSize = 32;

        private readonly List<WeakReference<EntityBlock>> _blocks = new();
        private EntityBlock _current;
        private Slot[] _slots = new Slot[64];
        private int _used;

        /// <summary>Where an entity sits: its key's hash (0: the slot is free), its block's number, its index there.</summary>
        private struct Slot
        {
            public int Hash;
            public int Block;
            public int Index;
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
                foreach (var slot in _slots) if (slot.Hash != 0 && Resolve(slot) != null) n++;
                return n;
            }
        }

        /// <summary>The entity for this key, created (empty but for its key) on first sight.</summary>
        public FtrackEntity GetOrAdd(EntityShape shape, string key)
        {
            var hash = HashOf(shape, key);
            if (Find(shape, key, hash) is { } found) return found;
            var entity = new FtrackEntity(shape);
            // Keyed at once, so the map finds it even if its members are merged in later.
            if (shape.PrimaryKey.Length == 1) entity.Set(shape.PrimaryKey[0], key);
            Insert(hash, entity);
            entity.Anchor = _current;
            return entity;
        }

        /// <summary>Registers an entity made elsewhere (e.g. created locally) so responses merge into it.</summary>
        public void Add(FtrackEntity entity)
        {
            if (KeyOf(entity) is { } key && Find(entity.Shape, key, HashOf(entity.Shape, key)) is null) Insert(HashOf(entity.Shape, key), entity);
        }

        /// <summary>Makes this map's result the origin of an entity that has none (a create the server accepted).</summary>
        public void Adopt(FtrackEntity entity)
        {
            if (entity.Anchor != null || KeyOf(entity) is not { } key) return;
            var hash = HashOf(entity.Shape, key);
            for (var i = hash & (_slots.Length - 1); _slots[i].Hash != 0; i = (i + 1) & (_slots.Length - 1))
                if (_slots[i].Hash == hash && BlockOf(_slots[i]) is { } block && ReferenceEquals(block.Entities[_slots[i].Index], entity))
                {
                    entity.Anchor = block;
                    return;
                }
        }

        /// <summary>The entity for this key, if the map has it (and it is alive).</summary>
        public bool TryGet(EntityShape shape, string key, out FtrackEntity entity)
        {
            entity = Find(shape, key, HashOf(shape, key))!;
            return entity != null;
        }

        /// <summary>Every live entity of one shape (type) in the map.</summary>
        public IEnumerable<FtrackEntity> OfShape(EntityShape shape)
        {
            foreach (var slot in _slots)
                if (slot.Hash != 0 && Resolve(slot) is { } entity && ReferenceEquals(entity.Shape, shape)) yield return entity;
        }

        private FtrackEntity? Find(EntityShape shape, string key, int hash)
        {
            var mask = _slots.Length - 1;
            for (var i = hash & mask; _slots[i].Hash != 0; i = (i + 1) & mask)
            {
                if (_slots[i].Hash != hash || Resolve(_slots[i]) is not { } entity || !ReferenceEquals(entity.Shape, shape)) continue;
                var own = shape.KeySlot >= 0 ? KeyPart(entity.SlotValue(shape.KeySlot)) : KeyOf(entity);
                if (own != null && string.Equals(own, key, StringComparison.Ordinal)) return entity;
            }
            return null;
        }

        private void Insert(int hash, FtrackEntity entity)
        {
            if (_current.Count == BlockSize) _current = NewBlock();
            var index = _current.Count;
            _current.Entities[index] = entity;
            _current.Count++;
            // Over 70% of the slots used (by live or dropped entities): rebuild, leaving the dropped out.
            if ((_used + 1) * 10 > _slots.Length * 7) Rebuild();
            var mask = _slots.Length - 1;
            var i = hash & mask;
            while (_slots[i].Hash != 0) i = (i + 1) & mask;
            _slots[i] = new Slot { Hash = hash, Block = _blocks.Count - 1, Index = index };
            _used++;
        }

        private void Rebuild()
        {
            var live = 0;
            foreach (var slot in _slots) if (slot.Hash != 0 && BlockOf(slot) != null) live++;
            var size = 64;
            while (size < (live + 1) * 2) size *= 2;   // live entities fill at most half: room to grow
            var old = _slots;
            _slots = new Slot[size];
            _used = 0;
            var mask = size - 1;
            foreach (var slot in old)
            {
                if (slot.Hash == 0 || BlockOf(slot) is null) continue;
                var i = slot.Hash & mask;
                while (_slots[i].Hash != 0) i = (i + 1) & mask;
                _slots[i] = slot;
                _used++;
            }
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

        private static int HashOf(EntityShape shape, string key)
        {
            var hash = (StringComparer.Ordinal.GetHashCode(key) ^ System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(shape)) & 0x7fffffff;
            return hash == 0 ? 1 : hash;   // 0 marks a free slot
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
