using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;

namespace Ftrack.Core.Entities
{
    /// <summary>
    /// One ftrack entity. Identity is by reference: a decoder merges every occurrence of
    /// (type, primary key) in a response into one instance, so shared entities are the same object.
    /// Attributes that were never received are "not loaded", which is different from a null value.
    /// </summary>
    public sealed class FtrackEntity
    {
        /// <summary>Marks a slot whose attribute was never received.</summary>
        internal static readonly object NotLoaded = new();

        private object?[] _values;

        /// <summary>An entity of a type no server's schemas describe (keyed by "id"): for scripts and tests.</summary>
        public FtrackEntity(string entityType) : this(EntityShapes.Unbound.For(entityType)) { }

        /// <summary>An empty entity of the given shape (every attribute not loaded).</summary>
        public FtrackEntity(EntityShape shape)
        {
            Shape = shape;
            _values = NewSlots(shape.Count);
        }

        /// <summary>
        /// The block of the result this entity was decoded in: holding the entity holds the block,
        /// so the result's identity map keeps it as the one object for its key (see IdentityMap).
        /// Null for an entity made on the client and not yet written.
        /// </summary>
        internal Json.EntityBlock? Anchor { get; set; }

        /// <summary>
        /// The result this entity was decoded in (its session and its fellow entities), or null. An
        /// attribute that was not selected is loaded through it, for every entity of the result that lacks it.
        /// </summary>
        internal Json.DecodeContext? Origin => Anchor?.Context;

        // The members below are internal so that PowerShell, which lists public .NET properties
        // beside the adapter's, shows only the entity's attributes (Format-List *, Export-Csv).
        internal EntityShape Shape { get; }

        internal string EntityType => Shape.EntityType;

        /// <summary>The ftrack entity type name, e.g. "Task".</summary>
        public string GetEntityType() => Shape.EntityType;

        /// <summary>
        /// Reads an attribute; null when it is null or not loaded. Internal on purpose: a public
        /// indexer would make PowerShell's $result[0] call it with "0" instead of indexing a single
        /// result as itself. Public callers use <see cref="GetValue"/>.
        /// </summary>
        internal object? this[string name]
        {
            get => TryGetValue(name, out var v) ? v : null;
            set => Set(name, value);
        }

        /// <summary>An attribute's value; null when it is null or not loaded.</summary>
        public object? GetValue(string name) => TryGetValue(name, out var v) ? v : null;

        /// <summary>An attribute's value when it is loaded (exact name).</summary>
        public bool TryGetValue(string name, out object? value) => TryGetValue(name, false, out value);

        /// <summary>An attribute's value when it is loaded; <paramref name="ignoreCase"/> as PowerShell users type names.</summary>
        public bool TryGetValue(string name, bool ignoreCase, out object? value)
        {
            var slot = Shape.Find(name, ignoreCase);
            var values = Volatile.Read(ref _values);
            if (slot >= 0 && slot < values.Length && !ReferenceEquals(values[slot], NotLoaded))
            {
                value = values[slot];
                return true;
            }
            value = null;
            return false;
        }

        /// <summary>Whether the attribute was received (a null value is loaded; a never-received one is not).</summary>
        public bool IsLoaded(string name) => TryGetValue(name, out _);

        /// <summary>The value in a slot, when loaded (the identity map's fast path to keys).</summary>
        internal object? SlotValue(int slot)
        {
            var values = Volatile.Read(ref _values);
            return slot < values.Length && !ReferenceEquals(values[slot], NotLoaded) ? values[slot] : null;
        }

        /// <summary>Sets an attribute on this object only (the write cmdlets send changes).</summary>
        public void Set(string name, object? value) => SetSlot(Shape.GetOrAdd(name), value);

        internal void SetSlot(int slot, object? value)
        {
            var values = _values;
            if (slot >= values.Length)
            {
                var grown = NewSlots(Math.Max(Shape.Count, slot + 1));
                Array.Copy(values, grown, values.Length);
                grown[slot] = value;
                Volatile.Write(ref _values, grown);
                return;
            }
            values[slot] = value;
        }

        /// <summary>Forgets an attribute (it becomes "not loaded").</summary>
        public bool Unset(string name)
        {
            var slot = Shape.Find(name);
            var values = _values;
            if (slot < 0 || slot >= values.Length || ReferenceEquals(values[slot], NotLoaded)) return false;
            values[slot] = NotLoaded;
            return true;
        }

        /// <summary>Loaded attributes in the order the type first saw them.</summary>
        public IEnumerable<KeyValuePair<string, object?>> GetAttributes() => Attributes;

        /// <summary>Loaded attributes in the order the type first saw them.</summary>
        internal IEnumerable<KeyValuePair<string, object?>> Attributes
        {
            get
            {
                var values = Volatile.Read(ref _values);
                for (var i = 0; i < values.Length; i++)
                {
                    if (!ReferenceEquals(values[i], NotLoaded))
                        yield return new KeyValuePair<string, object?>(Shape.NameAt(i), values[i]);
                }
            }
        }

        internal int LoadedCount
        {
            get
            {
                var n = 0;
                foreach (var v in Volatile.Read(ref _values)) if (!ReferenceEquals(v, NotLoaded)) n++;
                return n;
            }
        }

        /// <summary>Primary key values in schema order; null entries where not loaded.</summary>
        internal object?[] PrimaryKeyValues
        {
            get
            {
                var pk = Shape.PrimaryKey;
                var result = new object?[pk.Length];
                for (var i = 0; i < pk.Length; i++) result[i] = this[pk[i]];
                return result;
            }
        }

        /// <summary>"Task 'comp' (3f2a…)", "Metadata 'plate' (…)" — what a person needs to recognise it: its name (or key). Never includes secrets.</summary>
        public override string ToString()
        {
            var label = this["name"] as string ?? this["key"] as string;
            var key = string.Join(",", Array.ConvertAll(PrimaryKeyValues, v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? ""));
            return label is null ? EntityType + " (" + key + ")" : EntityType + " '" + label + "' (" + key + ")";
        }

        private static object?[] NewSlots(int count)
        {
            if (count == 0) return Array.Empty<object?>();
            var values = new object?[count];
            for (var i = 0; i < values.Length; i++) values[i] = NotLoaded;
            return values;
        }
    }
}
