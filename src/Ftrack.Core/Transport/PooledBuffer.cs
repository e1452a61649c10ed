using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Ftrack.Core.Transport
{
    /// <summary>
    /// A response body held in 64 KB arrays rented from the shared pool, for answers fetched ahead
    /// and decoded later. One growing array per page would be a large-object-heap allocation per
    /// page, which only a full collection frees: a long streamed query's memory would climb with
    /// the pages that passed. Dispose returns the arrays.
    /// </summary>
    internal sealed class PooledBuffer : IDisposable
    {
        private const int SegmentSize = 64 * 1024;
        // A pool of our own, large enough for the pages in flight of a few queries (~25 MB at most):
        // the shared pool keeps only a handful of arrays per size, so the rest of a page's segments
        // would be new arrays each time, outliving young collections while the page waits, and
        // piling up as old garbage.
        private static readonly ArrayPool<byte> Segments = ArrayPool<byte>.Create(SegmentSize, 400);
        private readonly List<byte[]> _segments = new();
        private long _length;

        /// <summary>Reads <paramref name="source"/> to its end.</summary>
        public static async Task<PooledBuffer> ReadAllAsync(Stream source, CancellationToken token)
        {
            var buffer = new PooledBuffer();
            try
            {
                while (true)
                {
                    var segment = Segments.Rent(SegmentSize);
                    buffer._segments.Add(segment);
                    var filled = 0;
                    while (filled < SegmentSize)
                    {
                        var n = await source.ReadAsync(segment, filled, SegmentSize - filled, token).ConfigureAwait(false);
                        if (n == 0)
                        {
                            buffer._length += filled;
                            return buffer;
                        }
                        filled += n;
                    }
                    buffer._length += filled;
                }
            }
            catch
            {
                buffer.Dispose();
                throw;
            }
        }

        /// <summary>The bytes held.</summary>
        public long Length => _length;

        /// <summary>A stream over the bytes, from the start.</summary>
        public Stream OpenRead() => new Reader(this);

        public void Dispose()
        {
            foreach (var segment in _segments) Segments.Return(segment);
            _segments.Clear();
            _length = 0;
        }

        private sealed class Reader : ReadOnlyStream
        {
            private readonly PooledBuffer _buffer;
            private long _position;

            public Reader(PooledBuffer buffer) { _buffer = buffer; }

            public override int Read(byte[] destination, int offset, int count)
            {
                var left = _buffer._length - _position;
                if (left <= 0 || count == 0) return 0;
                var segment = _buffer._segments[(int)(_position / SegmentSize)];
                var within = (int)(_position % SegmentSize);
                var n = (int)Math.Min(Math.Min(count, SegmentSize - within), left);
                Buffer.BlockCopy(segment, within, destination, offset, n);
                _position += n;
                return n;
            }
        }
    }
}
