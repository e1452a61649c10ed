using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Publishing
{
    /// <summary>
    /// Moves a component's bytes between a file and a storage URL (the ftrack.server location's
    /// signed URLs, or wherever get_upload_metadata points), through the session's network settings
    /// (proxy, certificate trust, redirects never followed by the handler). Streams both ways in
    /// 1 MiB chunks: a file is never held in memory. Sends no ftrack credentials: the URLs are signed,
    /// the upload headers are the ones the server handed out. A transfer fails when no byte moves
    /// for <see cref="IdleTimeout"/>, not after a fixed time, so a large file over a slow link works.
    /// </summary>
    public sealed class ByteTransfer : IDisposable
    {
        /// <summary>Bytes per read and write: large enough that a loopback transfer is not bound by calls.</summary>
        public const int ChunkBytes = 1024 * 1024;

        private const int MaxRedirects = 5;

        private readonly HttpClient _http;

        /// <summary>A transfer through <paramref name="session"/>'s network settings (or <paramref name="handler"/>, a test's fake).</summary>
        public ByteTransfer(FtrackSession session, HttpMessageHandler? handler = null)
        {
            _http = new HttpClient(handler ?? session.CreateHttpMessageHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
            _http.DefaultRequestHeaders.UserAgent.ParseAdd("Ftrack-PowerShell/" + typeof(ByteTransfer).Assembly.GetName().Version);
            IdleTimeout = session.Timeout;
        }

        /// <summary>A transfer in which no byte moved for this long is given up.</summary>
        public TimeSpan IdleTimeout { get; set; }

        /// <summary>
        /// PUTs the file to <paramref name="url"/> with <paramref name="headers"/> (get_upload_metadata's);
        /// throws <see cref="FtrackTransferException"/> when the storage does not answer 2xx.
        /// </summary>
        public async Task UploadAsync(Uri url, IReadOnlyDictionary<string, string> headers, SourceFile file, TransferProgress progress, CancellationToken cancellation)
        {
            progress.Current = file.Path;
            var sent = new long[1];
            using var watchdog = new IdleWatchdog(progress, IdleTimeout, cancellation);
            using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new FileUploadContent(file.Path, file.Size, progress, sent) };
            foreach (var header in headers)
            {
                // Content-Length is the file's; the content headers go on the content.
                if (string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
                if (request.Headers.TryAddWithoutValidation(header.Key, header.Value)) continue;
                // A content header (Content-Type, Content-MD5) replaces the content's own: a storage
                // that signed the URL over it refuses any other value.
                request.Content.Headers.Remove(header.Key);
                request.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, watchdog.Token).ConfigureAwait(false);
                if ((int)response.StatusCode is >= 200 and < 300) return;
                progress.Remove(sent[0]);
                throw await Refused("The upload of '" + file.Path + "'", response, watchdog.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not FtrackTransferException)
            {
                progress.Remove(sent[0]);
                throw Failed("The upload of '" + file.Path + "'", url, e, watchdog, cancellation);
            }
        }

        /// <summary>
        /// GETs <paramref name="url"/> into <paramref name="destination"/>: written to a temporary
        /// file beside it and moved into place only when every byte arrived, so a failed download
        /// leaves no partial file. A redirect is followed by hand (the request carries no
        /// credentials) up to 5 times, never from https to http. Returns the bytes written.
        /// </summary>
        public async Task<long> DownloadAsync(Uri url, string destination, bool overwrite, TransferProgress progress, CancellationToken cancellation)
        {
            progress.Current = destination;
            using var watchdog = new IdleWatchdog(progress, IdleTimeout, cancellation);
            var partial = destination + ".ftrack-" + Guid.NewGuid().ToString("N").Substring(0, 8) + ".part";
            long received = 0;
            try
            {
                var target = url;
                for (var hop = 0; ; hop++)
                {
                    using var response = await _http.GetAsync(target, HttpCompletionOption.ResponseHeadersRead, watchdog.Token).ConfigureAwait(false);
                    var status = (int)response.StatusCode;
                    if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
                    {
                        var next = location.IsAbsoluteUri ? location : new Uri(target, location);
                        if (hop >= MaxRedirects)
                            throw new FtrackTransferException("The download of '" + destination + "' was redirected more than " + MaxRedirects + " times; last to " + next.GetLeftPart(UriPartial.Path) + ".", null, status);
                        if (target.Scheme == Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttps)
                            throw new FtrackTransferException("The download of '" + destination + "' was redirected from https to " + next.GetLeftPart(UriPartial.Authority) + ", which is not encrypted: refused.", null, status);
                        target = next;
                        continue;
                    }
                    if (status is < 200 or >= 300)
                        throw await Refused("The download of '" + destination + "'", response, watchdog.Token).ConfigureAwait(false);
                    var expected = response.Content.Headers.ContentLength;
                    using (var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                    // Written synchronously while the next chunk's read is in flight: a write to the page
                    // cache is quick, and an asynchronous file write on Unix is a hop to the thread pool.
                    using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.SequentialScan))
                    {
                        if (expected is { } length && length > 0) file.SetLength(length);
                        // Two buffers: the next chunk arrives from the network while the last one is
                        // written to disk, so neither waits for the other.
                        var buffers = new[] { new byte[ChunkBytes], new byte[ChunkBytes] };
                        var current = 0;
                        var read = await body.ReadAsync(buffers[current], 0, ChunkBytes, watchdog.Token).ConfigureAwait(false);
                        while (read > 0)
                        {
                            var written = current;
                            current ^= 1;
                            var reading = body.ReadAsync(buffers[current], 0, ChunkBytes, watchdog.Token);
                            try
                            {
                                file.Write(buffers[written], 0, read);
                            }
                            catch
                            {
                                // The read in flight must not outlive the buffers: let it end (the failure is the write's).
                                try { await reading.ConfigureAwait(false); } catch (Exception) { }
                                throw;
                            }
                            received += read;
                            progress.Add(read);
                            read = await reading.ConfigureAwait(false);
                        }
                        if (expected is { } declared && declared != received)
                            throw new FtrackTransferException("The download of '" + destination + "' ended after " + received.ToString("N0", CultureInfo.InvariantCulture)
                                + " of " + declared.ToString("N0", CultureInfo.InvariantCulture) + " bytes: nothing was written.");
                        file.SetLength(received);
                    }
                    break;
                }
                if (overwrite && File.Exists(destination)) File.Delete(destination);
                File.Move(partial, destination);
                return received;
            }
            catch (Exception e) when (e is not FtrackTransferException)
            {
                progress.Remove(received);
                throw Failed("The download of '" + destination + "'", url, e, watchdog, cancellation);
            }
            catch
            {
                progress.Remove(received);
                throw;
            }
            finally
            {
                try { if (File.Exists(partial)) File.Delete(partial); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }

        /// <summary>The storage answered an error: its ftrack error text (or status) in the message.</summary>
        private static async Task<FtrackTransferException> Refused(string what, HttpResponseMessage response, CancellationToken cancellation)
        {
            var status = (int)response.StatusCode;
            string? reason = null;
            try
            {
                using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                var buffer = new byte[64 * 1024];
                var length = 0;
                int read;
                while (length < buffer.Length && (read = await body.ReadAsync(buffer, length, buffer.Length - length, cancellation).ConfigureAwait(false)) > 0) length += read;
                reason = ReasonOf(Encoding.UTF8.GetString(buffer, 0, length));
            }
            catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException) { }
            var text = what + " was refused (HTTP " + status.ToString(CultureInfo.InvariantCulture) + " " + response.ReasonPhrase + ")"
                + (reason is null ? "." : ": " + reason);
            return new FtrackTransferException(text, null, status);
        }

        /// <summary>An ftrack error body's "content" (or S3's XML message), else the start of the text.</summary>
        private static string? ReasonOf(string body)
        {
            body = body.Trim();
            if (body.Length == 0) return null;
            if (body.StartsWith("{", StringComparison.Ordinal))
            {
                try
                {
                    using var document = JsonDocument.Parse(body);
                    if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                        return content.GetString();
                }
                catch (JsonException) { }
            }
            var start = body.IndexOf("<Message>", StringComparison.Ordinal);
            var end = body.IndexOf("</Message>", StringComparison.Ordinal);
            if (start >= 0 && end > start) return body.Substring(start + 9, end - start - 9);
            return body.Length <= 300 ? body : body.Substring(0, 300) + "…";
        }

        private FtrackTransferException Failed(string what, Uri url, Exception e, IdleWatchdog watchdog, CancellationToken cancellation)
        {
            var host = url.GetLeftPart(UriPartial.Authority);
            if (cancellation.IsCancellationRequested)
                return new FtrackTransferException(what + " was cancelled.", e) { Cancelled = true };
            if (watchdog.Stalled)
                return new FtrackTransferException(what + " stalled: no byte moved for " + IdleTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s (the session's -TimeoutSec).", e);
            if (e is IOException io && io.InnerException is null && e.Message.Length > 0 && e is not FileNotFoundException)
                return new FtrackTransferException(what + " failed: " + e.Message, e);
            for (var inner = e; inner != null; inner = inner.InnerException)
            {
                if (inner is System.Net.Sockets.SocketException socket)
                    return new FtrackTransferException(what + " failed: the connection to " + host + " " + (socket.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionRefused ? "was refused." : "broke (" + socket.SocketErrorCode + ")."), e);
            }
            return new FtrackTransferException(what + " failed (" + host + "): " + e.Message, e);
        }

        /// <summary>Closes the connections.</summary>
        public void Dispose() => _http.Dispose();

        /// <summary>The file as a request body: read in chunks as the connection takes them, counted into the progress.</summary>
        private sealed class FileUploadContent : HttpContent
        {
            private readonly string _path;
            private readonly long _size;
            private readonly TransferProgress _progress;
            private readonly long[] _sent;

            public FileUploadContent(string path, long size, TransferProgress progress, long[] sent)
            {
                _path = path;
                _size = size;
                _progress = progress;
                _sent = sent;
                Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            }

            protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
            {
                // A retry of the request by the handler starts over: take back what the first try counted.
                _progress.Remove(_sent[0]);
                _sent[0] = 0;
                // Read synchronously (from the page cache, quick) while the last chunk is on its way
                // to the network: two buffers, so neither waits for the other.
                using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                if (file.Length != _size)
                    throw new IOException("'" + _path + "' changed size during the publish (" + _size.ToString("N0", CultureInfo.InvariantCulture) + " bytes when checked, "
                        + file.Length.ToString("N0", CultureInfo.InvariantCulture) + " now): nothing was registered.");
                var buffers = new[] { new byte[ChunkBytes], new byte[ChunkBytes] };
                var current = 0;
                var read = file.Read(buffers[current], 0, ChunkBytes);
                while (read > 0)
                {
                    var sending = stream.WriteAsync(buffers[current], 0, read);
                    current ^= 1;
                    int next;
                    try
                    {
                        next = file.Read(buffers[current], 0, ChunkBytes);
                    }
                    catch
                    {
                        // The write in flight must not outlive the buffers: let it end (the failure is the read's).
                        try { await sending.ConfigureAwait(false); } catch (Exception) { }
                        throw;
                    }
                    await sending.ConfigureAwait(false);
                    _sent[0] += read;
                    _progress.Add(read);
                    read = next;
                }
            }

            protected override bool TryComputeLength(out long length)
            {
                length = _size;
                return true;
            }
        }

        /// <summary>Cancels a transfer in which no byte moved for the idle timeout (or that the caller cancelled).</summary>
        private sealed class IdleWatchdog : IDisposable
        {
            private readonly CancellationTokenSource _source;
            private readonly Timer _timer;
            private readonly TransferProgress _progress;
            private readonly TimeSpan _idle;
            private long _lastBytes = -1;
            private DateTime _lastMove = DateTime.UtcNow;

            public IdleWatchdog(TransferProgress progress, TimeSpan idle, CancellationToken cancellation)
            {
                _progress = progress;
                _idle = idle;
                _source = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                var tick = TimeSpan.FromMilliseconds(Math.Max(50, Math.Min(1000, idle.TotalMilliseconds / 4)));
                _timer = new Timer(_ => Check(), null, tick, tick);
            }

            public CancellationToken Token => _source.Token;

            public bool Stalled { get; private set; }

            private void Check()
            {
                var bytes = _progress.DoneBytes;
                if (bytes != _lastBytes)
                {
                    _lastBytes = bytes;
                    _lastMove = DateTime.UtcNow;
                    return;
                }
                if (DateTime.UtcNow - _lastMove < _idle || _source.IsCancellationRequested) return;
                Stalled = true;
                try { _source.Cancel(); } catch (ObjectDisposedException) { }
            }

            public void Dispose()
            {
                _timer.Dispose();
                _source.Dispose();
            }
        }
    }
}
