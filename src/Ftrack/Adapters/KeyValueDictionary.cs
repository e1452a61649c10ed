using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using Ftrack.Batches;
using Ftrack.Core;
using Ftrack.Core.Entities;
using Ftrack.Core.Operations;
using Ftrack.Core.Schema;
using Ftrack.Core.Writes;

namespace Ftrack.Adapters
{
    /// <summary>
    /// An entity's custom attributes or metadata as PowerShell reads a hashtable: $shot.custom_attributes.fps,
    /// ['fps'], .Keys, enumeration, Tab on the keys, key/value tables and lists, a JSON object in
    /// ConvertTo-Json. A live view of the collection the server sent (custom attributes: every key
    /// that applies, defaults included), never a copy. Setting a key is a write: inside a batch it is
    /// queued as Set-FtrackEntity -CustomAttribute / -Metadata would queue it (and shows here at
    /// once); outside one it is refused, as setting an entity's property is.
    /// </summary>
    public sealed class KeyValueDictionary : IDictionary
    {
        private readonly FtrackEntity _owner;
        private readonly AttributeSchema _collection;

        internal KeyValueDictionary(FtrackEntity owner, AttributeSchema collection)
        {
            _owner = owner;
            _collection = collection;
        }

        private List<KeyValuePair<string, object?>> Pairs => KeyValueCollection.Pairs(_owner, _collection).ToList();

        /// <summary>The value of a key (its exact spelling first, then any case, as PowerShell users type); null for a key it does not have.</summary>
        public object? this[object key]
        {
            get
            {
                var name = Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                var pairs = Pairs;
                foreach (var pair in pairs) if (string.Equals(pair.Key, name, StringComparison.Ordinal)) return pair.Value;
                foreach (var pair in pairs) if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)) return pair.Value;
                return null;
            }
            set => Write(key, value);
        }

        /// <summary>The keys, in the server's order.</summary>
        public ICollection Keys => Pairs.Select(p => p.Key).ToArray();

        /// <summary>The values, in the keys' order.</summary>
        public ICollection Values => Pairs.Select(p => p.Value).ToArray();

        /// <summary>How many keys.</summary>
        public int Count => Pairs.Count;

        /// <summary>False: a key can be set (in a batch).</summary>
        public bool IsReadOnly => false;

        /// <summary>False.</summary>
        public bool IsFixedSize => false;

        /// <summary>False.</summary>
        public bool IsSynchronized => false;

        /// <summary>This view.</summary>
        public object SyncRoot => this;

        /// <summary>Whether the key is there (any case).</summary>
        public bool Contains(object key) => Pairs.Any(p => string.Equals(p.Key, key as string, StringComparison.OrdinalIgnoreCase));

        /// <summary>Sets a key, as the indexer does.</summary>
        public void Add(object key, object? value) => Write(key, value);

        /// <summary>Removes a key in a batch: metadata is deleted, a custom attribute goes back to its default (or inherited) value.</summary>
        public void Remove(object key) => Write(key, null);

        /// <summary>Not supported: remove keys one by one.</summary>
        public void Clear() => throw new NotSupportedException("Remove keys one by one (each is a write).");

        /// <summary>The pairs as DictionaryEntry items, in the server's order.</summary>
        public IDictionaryEnumerator GetEnumerator()
        {
            var copy = new OrderedDictionary(StringComparer.Ordinal);
            foreach (var pair in Pairs) copy[pair.Key] = pair.Value;
            return copy.GetEnumerator();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>Copies the pairs as DictionaryEntry items.</summary>
        public void CopyTo(Array array, int index)
        {
            foreach (var pair in Pairs) array.SetValue(new DictionaryEntry(pair.Key, pair.Value), index++);
        }

        /// <summary>"fps=24, fstart=1001": the pairs on one line (a CSV field, a string).</summary>
        public override string ToString() => KeyValueCollection.Text(_owner, _collection);

        private void Write(object key, object? value)
        {
            try
            {
                Queue(Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture) ?? "", value);
            }
            catch (FtrackException e)
            {
                throw new FtrackRecordException(e, _owner);
            }
        }

        private void Queue(string name, object? value)
        {
            var parameter = _collection.Name == "metadata" ? "Metadata" : "CustomAttribute";
            var batch = RunspaceBatches.Current
                        ?? throw new FtrackUsageException(FtrackErrorIds.NoBatch, "Setting " + _owner.GetEntityType() + "." + _collection.Name + "['" + name
                            + "'] would change only this object, not ftrack: use Set-FtrackEntity -" + parameter + " @{ " + name + " = ... }, or set it inside Start-FtrackBatch/Invoke-FtrackBatch, where it is queued.",
                            UsageErrorKind.InvalidOperation);
            var values = new[] { new KeyValuePair<string, object?>(name, PowerShellValues.ToClr(value)) };
            IReadOnlyList<FtrackOperation> operations = _collection.Name switch
            {
                "metadata" => MetadataWrites.Plan(batch.Session, _owner, values, isNew: false),
                "custom_attributes" => new CustomAttributeWrites(batch.Session).Plan(_owner, values, isNew: false),
                _ => throw new NotSupportedException(_owner.GetEntityType() + "." + _collection.Name + " cannot be written through the module."),
            };
            foreach (var operation in operations) EntityWrites.Queue(batch.Session, operation);
        }
    }
}
