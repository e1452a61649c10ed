using System;
using System.Buffers;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Ftrack.Server.Api;

/// <summary>How much and how fast a request body must arrive.</summary>
/// <param name="MaxBytes">Larger bodies are refused as too large.</param>
/// <param name="MinBytesPerSecond">Once the grace period has passed, a body slower than this on average is refused.</param>
/// <param name="GracePeriod">How long a body may take before its average rate counts.</param>
internal sealed record BodyLimits(long MaxBytes, double MinBytesPerSecond, TimeSpan GracePeriod)
{
    /// <summary>
    /// How much of a too-large body is read and thrown away so the client, still sending,
    /// receives the answer instead of a reset; beyond this the connection is closed.
    /// </summary>
    public long MaxDrainBytes => Math.Max(MaxBytes * 4, 16L * 1024 * 1024);
}

/// <summary>A body read in full, or the error to answer and whether the connection must then be closed.</summary>
internal sealed record BodyReadResult(ReadOnlyMemory<byte> Body, FtrackError? Error, bool CloseConnection);

/// <summary>
/// Reads a request body from the HTTP host's stream (HttpListener's; Kestrel's before) within
/// <see cref="BodyLimits"/>: the one place that decides "too large" and "too slow", so a host
/// only hands over its stream and writes the answer.
/// </summary>
internal static class IncomingRequestBody
{
    private const int ChunkBytes = 64 * 1024;

    public static async Task<BodyReadResult> ReadAsync(Stream stream, BodyLimits limits, CancellationToken aborted)
    {
        var body = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        var clock = Stopwatch.StartNew();
        long total = 0;
        try
        {
            while (true)
            {
                var read = await ReadChunkAsync(stream, chunk, total, clock, limits, aborted);
                if (read < 0)
                    return TooSlow(limits);
                if (read == 0)
                    return new BodyReadResult(body.GetBuffer().AsMemory(0, (int)body.Length), null, false);
                total += read;
                if (total > limits.MaxBytes)
                    return await DrainAsync(stream, chunk, total, clock, limits, aborted);
                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>
    /// Reads the rest of a too-large body and throws it away, within the drain limit and the
    /// same rate rule, so the answer can be read by a client that is still sending.
    /// </summary>
    private static async Task<BodyReadResult> DrainAsync(Stream stream, byte[] chunk, long total, Stopwatch clock, BodyLimits limits, CancellationToken aborted)
    {
        var tooLarge = new FtrackError("ValidationError", $"The request body is too large: this server accepts at most {limits.MaxBytes:N0} bytes.", 413);
        while (total <= limits.MaxBytes + limits.MaxDrainBytes)
        {
            var read = await ReadChunkAsync(stream, chunk, total, clock, limits, aborted);
            if (read == 0)
                return new BodyReadResult(default, tooLarge, false);
            if (read < 0)
                break;
            total += read;
        }
        return new BodyReadResult(default, tooLarge, true);
    }

    /// <summary>
    /// One read, given up (answering -1) at the moment the average rate would fall below the
    /// minimum even if the next byte came then. The read is abandoned rather than cancelled, as
    /// not every host's stream observes cancellation; the host closes the connection.
    /// </summary>
    private static async Task<int> ReadChunkAsync(Stream stream, byte[] chunk, long total, Stopwatch clock, BodyLimits limits, CancellationToken aborted)
    {
        var deadline = TimeSpan.FromSeconds(Math.Max(limits.GracePeriod.TotalSeconds, (total + 1) / limits.MinBytesPerSecond));
        var remaining = deadline - clock.Elapsed;
        if (remaining <= TimeSpan.Zero)
            return -1;
        try
        {
            return await stream.ReadAsync(chunk.AsMemory(0, ChunkBytes), aborted).AsTask().WaitAsync(remaining, aborted);
        }
        catch (TimeoutException)
        {
            return -1;
        }
        catch (Exception error) when (error is IOException or System.Net.HttpListenerException && !aborted.IsCancellationRequested)
        {
            // The client ended the body early: the managed HttpListener says so with an
            // HttpListenerException (400), http.sys and Kestrel with an IOException.
            throw new FtrackError("ValidationError", "The request body ended before it was complete.", 400);
        }
    }

    private static BodyReadResult TooSlow(BodyLimits limits) => new(default, new FtrackError("ValidationError",
        $"The request body arrived too slowly: after {limits.GracePeriod.TotalSeconds:0.#} seconds this server needs at least {limits.MinBytesPerSecond:0} bytes per second.", 408), true);
}
