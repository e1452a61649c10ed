using System;
using System.Collections.Generic;
using System.Threading;

namespace Ftrack.Core.Entities
{
    /// <summary>
    /// The attribute layout shared by every entity of one type: attribute name → slot index.
    /// Entities store values in an array indexed by slot, so 50,000 tasks share one name table
    /// instead of carrying 50,000 dictionaries (the difference between ~0.8 KB and ~3 KB each).
    /// Shapes belong to an <see cref="EntityShapes"/> table (one per server's schemas).
    /// </summary>
    public sealed class EntityShape
    {
        private readonly object _lock = new();
        // Copy-on-write: readers never lock; writers publish a new snapshot.
        private Snapshot _snapshot = new(Array.Empty<string>(), new Dictionary<string, int>(StringComparer.Ordinal), new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase));

        private sealed class Snapshot
        {
            public readonly string[] Names;
            public readonly Dictionary<string, int> Exact;
            public readonly Dictionary<string, int> IgnoreCase;
            public Snapshot(string[] names, Dictionary<string, int> exact, Dictionary<string, int> ignoreCase)
            {
                Names = names; Exact = exact; IgnoreCase = ignoreCase;
            }
        }

        internal EntityShape(string entityType, string[] primaryKey, EntityShapes table)
        {
            EntityType = entityType;
            PrimaryKey = primaryKey;
            Table = table;
            // Every entity of a single-keyed type has its key: its slot is known from the start.
            KeySlot = primaryKey.Length == 1 ? GetOrAdd(primaryKey[0]) : -1;
            TypeNames = new[] { "Ftrack.Entity#" + entityType, "Ftrack.Entity" };
        }

        /// <summary>The table this shape belongs to: the shapes of the same server's other types.</summary>
        public EntityShapes Table { get; }

        /// <summary>The ftrack entity type name, e.g. "Task".</summary>
        public string EntityType { get; }

        /// <summary>PowerShell type names, most specific first; built once per type.</summary>
        public IReadOnlyList<string> TypeNames { get; }

        /// <summary>Primary key attribute names, from the server's schema (["id"] for a type it does not know).</summary>
        public string[] PrimaryKey { get; }

        /// <summary>The slot of the primary key when it is one attribute; -1 for a composite key.</summary>
        internal int KeySlot { get; }

        internal static readonly string[] DefaultPrimaryKey = { "id" };

        internal int Count => Volatile.Read(ref _snapshot).Names.Length;

        internal string NameAt(int slot) => Volatile.Read(ref _snapshot).Names[slot];

        /// <summary>Slot of an attribute, or -1. Exact match first, then case-insensitive (PowerShell habits).</summary>
        public int Find(string name, bool ignoreCase = false)
        {
            var s = Volatile.Read(ref _snapshot);
            if (s.Exact.TryGetValue(name, out var slot)) return slot;
            if (ignoreCase && s.IgnoreCase.TryGetValue(name, out slot)) return slot;
            return -1;
        }

        /// <summary>Slot of an attribute, adding it to the shape when new.</summary>
        public int GetOrAdd(string name)
        {
            var s = Volatile.Read(ref _snapshot);
            if (s.Exact.TryGetValue(name, out var slot)) return slot;
            lock (_lock)
            {
                s = _snapshot;
                if (s.Exact.TryGetValue(name, out slot)) return slot;
                slot = s.Names.Length;
                var names = new string[slot + 1];
                Array.Copy(s.Names, names, slot);
                names[slot] = name;
                var exact = new Dictionary<string, int>(s.Exact, StringComparer.Ordinal) { [name] = slot };
                var ignoreCase = new Dictionary<string, int>(s.IgnoreCase, StringComparer.OrdinalIgnoreCase);
                if (!ignoreCase.ContainsKey(name)) ignoreCase[name] = slot;
                Volatile.Write(ref _snapshot, new Snapshot(names, exact, ignoreCase));
                return slot;
            }
        }
    }
}
