using System;

namespace Ftrack.Core.Json
{
    /// <summary>
    /// Boxes for repeated numbers and dates: the same object for a value met again. Bids, frame
    /// counts, day-granular start and end dates repeat across thousands of tasks, and each box is
    /// 24 bytes an entity would otherwise keep. Direct-mapped and fixed-size like Utf8StringCache:
    /// a collision replaces the older entry, so unique values cannot grow it. One decoding thread
    /// at a time (the decode context's).
    /// </summary>
    internal sealed class BoxCache
    {
        private const int Size = 1024; // a power of two
        private readonly long[] _longKeys = new long[Size];
        private readonly object?[] _longs = new object?[Size];
        private readonly long[] _doubleKeys = new long[Size];
        private readonly object?[] _doubles = new object?[Size];
        private readonly long[] _dateKeys = new long[Size];
        private readonly object?[] _dates = new object?[Size];

        /// <summary>An int (or long, beyond int) box for <paramref name="value"/>.</summary>
        public object Integer(long value)
        {
            var slot = Slot(value);
            if (_longs[slot] is { } box && _longKeys[slot] == value) return box;
            var fresh = value is >= int.MinValue and <= int.MaxValue ? (object)(int)value : value;
            _longKeys[slot] = value;
            _longs[slot] = fresh;
            return fresh;
        }

        /// <summary>A box for <paramref name="value"/> (same bits, same box).</summary>
        public object Double(double value)
        {
            var bits = BitConverter.DoubleToInt64Bits(value);
            var slot = Slot(bits);
            if (_doubles[slot] is { } box && _doubleKeys[slot] == bits) return box;
            object fresh = value;
            _doubleKeys[slot] = bits;
            _doubles[slot] = fresh;
            return fresh;
        }

        /// <summary>A box for <paramref name="value"/> (same ticks and kind, same box).</summary>
        public object Date(DateTime value)
        {
            var key = value.ToBinary();
            var slot = Slot(key);
            if (_dates[slot] is { } box && _dateKeys[slot] == key) return box;
            object fresh = value;
            _dateKeys[slot] = key;
            _dates[slot] = fresh;
            return fresh;
        }

        private static int Slot(long value)
        {
            var h = (ulong)value * 0x9E3779B97F4A7C15UL;
            return (int)(h >> 54) & (Size - 1);
        }
    }
}
