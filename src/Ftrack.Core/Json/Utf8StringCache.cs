using System;
using System.Text;

namespace Ftrack.Core.Json
{
    /// <summary>
    /// Turns short UTF-8 byte runs into strings, returning the same string instance for a repeated
    /// run. Attribute names, entity type names and repeated foreign keys ("project_id" on 50,000
    /// tasks) then cost one string, not one per occurrence. A fixed-size, direct-mapped table:
    /// a collision simply replaces the older entry, so unique values (ids) cannot grow it.
    /// Not thread-safe: one per decoder.
    /// </summary>
    internal sealed class Utf8StringCache
    {
        public const int MaxLength = 48;
        // Only the strings: a hit compares the bytes with the string's characters, so a miss (a
        // unique id, a name) allocates nothing beyond the string it needs anyway.
        private readonly string?[] _values;
        private readonly int _mask;

        public Utf8StringCache(int sizePowerOfTwo = 4096)
        {
            _values = new string?[sizePowerOfTwo];
            _mask = sizePowerOfTwo - 1;
        }

        public string Get(ReadOnlySpan<byte> utf8)
        {
            if (utf8.Length > MaxLength) return Decode(utf8);
            var slot = (int)(Hash(utf8) & (uint)_mask);
            var cached = _values[slot];
            if (cached != null && SameAscii(utf8, cached)) return cached;
            var value = Decode(utf8);
            // Only ASCII text is kept: its bytes and characters correspond one to one.
            if (value.Length == utf8.Length) _values[slot] = value;
            return value;
        }

        private static bool SameAscii(ReadOnlySpan<byte> utf8, string text)
        {
            if (utf8.Length != text.Length) return false;
            for (var i = 0; i < utf8.Length; i++)
                if (utf8[i] != text[i]) return false;
            return true;
        }

        private static uint Hash(ReadOnlySpan<byte> bytes)
        {
            // FNV-1a: cheap and good enough to spread ids and names.
            var hash = 2166136261u;
            foreach (var b in bytes) hash = (hash ^ b) * 16777619u;
            return hash ^ (hash >> 15);
        }

        private static unsafe string Decode(ReadOnlySpan<byte> utf8)
        {
            if (utf8.IsEmpty) return string.Empty;
            fixed (byte* p = utf8) return Encoding.UTF8.GetString(p, utf8.Length);
        }
    }
}
