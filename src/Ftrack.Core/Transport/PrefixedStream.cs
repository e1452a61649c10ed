using System;
using System.IO;

namespace Ftrack.Core.Transport
{
    /// <summary>A read-only stream that yields already-read head bytes, then the rest of the inner stream.</summary>
    internal sealed class PrefixedStream : ReadOnlyStream
    {
        private readonly byte[] _head;
        private readonly int _headLength;
        private int _headPosition;
        private readonly Stream _inner;

        public PrefixedStream(byte[] head, int headStart, int headLength, Stream inner)
        {
            _head = head; _headPosition = headStart; _headLength = headLength; _inner = inner;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_headPosition < _headLength)
            {
                var n = Math.Min(count, _headLength - _headPosition);
                Buffer.BlockCopy(_head, _headPosition, buffer, offset, n);
                _headPosition += n;
                return n;
            }
            return _inner.Read(buffer, offset, count);
        }

    }
}
