using System;
using System.Buffers;

namespace Ftrack.Server.Api;

/// <summary>
/// An answer's JSON, written into one growing array rented from the shared pool and returned to it
/// once the answer is sent (Dispose). A fresh array per answer (ArrayBufferWriter, then a copy for
/// the HTTP host) is megabytes of large-object garbage per page of rows, and inside pwsh that
/// garbage shares a heap with the client decoding the page: full collections that stall both.
/// </summary>
internal sealed class PooledAnswer : IBufferWriter<byte>, IDisposable
{
    private const int InitialBytes = 64 * 1024;
    private byte[]? _array = ArrayPool<byte>.Shared.Rent(InitialBytes);
    private int _written;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlyMemory<byte> Written => Array.AsMemory(0, _written);

    private byte[] Array => _array ?? throw new ObjectDisposedException(nameof(PooledAnswer));

    public void Advance(int count)
    {
        if (count < 0 || _written + count > Array.Length)
            throw new ArgumentOutOfRangeException(nameof(count));
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return Array.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return Array.AsSpan(_written);
    }

    /// <summary>Room for <paramref name="sizeHint"/> more bytes (at least one): a pooled array twice as large, when needed.</summary>
    private void Reserve(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= Array.Length)
            return;
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, checked(Array.Length * 2)));
        Array.AsSpan(0, _written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(Array);
        _array = larger;
    }

    public void Dispose()
    {
        if (_array is { } array)
        {
            _array = null;
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
