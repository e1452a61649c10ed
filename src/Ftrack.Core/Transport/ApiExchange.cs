using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Ftrack.Core.Json;
using Ftrack.Core.Operations;

namespace Ftrack.Core.Transport
{
    /// <summary>
    /// One HTTP exchange with /api: sends an encoded batch with ftrack's headers, reads the answer
    /// straight from the network stream, and turns everything that can go wrong below the ftrack
    /// protocol (refused, reset, timeout, a refused certificate, a proxy's 407 or HTML, a redirect,
    /// a truncated body) into a typed exception with plain words. Knows nothing of retries, schemas
    /// or batches; its handler comes from the session's <see cref="HttpHandlerFactory"/>.
    /// </summary>
    internal sealed class ApiExchange : IDisposable
    {
        private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

        private readonly HttpClient _http;
        private readonly HttpHandlerFactory _transport;
        private readonly string _apiUser;
        private readonly string _apiKey;
        private readonly string _clientToken;
        private long _requestCount;

        /// <summary>An exchange with <paramref name="server"/> through the handler <paramref name="transport"/> builds (or <paramref name="handler"/>, a test's fake).</summary>
        public ApiExchange(Uri server, string apiUser, string apiKey, string clientToken, HttpHandlerFactory transport, HttpMessageHandler? handler)
        {
            Server = server;
            Endpoint = new Uri(server, "api");
            _transport = transport;
            _apiUser = apiUser;
            _apiKey = apiKey;
            _clientToken = clientToken;
            _http = new HttpClient(handler ?? CreateHandler(transport), disposeHandler: true)
            {
                // Timeouts are per call (CancelAfter) so a long streamed read is bounded too.
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
            _http.DefaultRequestHeaders.UserAgent.ParseAdd("Ftrack-PowerShell/" + typeof(ApiExchange).Assembly.GetName().Version);
        }

        public Uri Server { get; }
        public Uri Endpoint { get; }

        /// <summary>HTTP requests made so far (for diagnostics and tests).</summary>
        public long RequestCount => Interlocked.Read(ref _requestCount);

        private static HttpMessageHandler CreateHandler(HttpHandlerFactory transport)
        {
            // The session's proxy, certificate trust and refused redirects, plus what is the API's own.
            var handler = transport.CreateHandler();
            handler.UseCookies = true;
            handler.CookieContainer = new CookieContainer();
            // GZip | Deflate | Brotli (4: not named in netstandard2.0, honoured by .NET Core).
            handler.AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | (DecompressionMethods)4;
            handler.MaxConnectionsPerServer = 16;
            return handler;
        }

        /// <summary>Sends the body and decodes the answer as it arrives (rows reach OnRow while the rest is on the wire); one attempt, no retry.</summary>
        public object?[] Send(IReadOnlyList<FtrackOperation> operations, byte[] body, string summary, CallOptions options, DecodeContext context, TimeSpan timeout)
        {
            using var timer = new CancellationTokenSource(timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, options.CancellationToken);
            var watch = Stopwatch.StartNew();
            Interlocked.Increment(ref _requestCount);
            HttpResponseMessage response;
            using (var request = BuildRequest(body))
            {
                try
                {
                    response = _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is not FtrackException)
                {
                    throw TransportError(e, timer.IsCancellationRequested, timeout, options.CancellationToken, summary);
                }
            }
            return Answer(response, null, operations, summary, options, context, watch, linked, timer, timeout);
        }

        /// <summary>
        /// Sends a read now and buffers its answer in the background, without a thread waiting on it;
        /// <see cref="Prefetched.Complete"/> decodes it later, in the caller's order. Pages of a query
        /// are fetched this way, several in flight, while earlier pages are decoded.
        /// </summary>
        public Prefetched Prefetch(IReadOnlyList<FtrackOperation> operations, byte[] body, string summary, CancellationToken cancellation, TimeSpan timeout)
        {
            var timer = new CancellationTokenSource(timeout);
            var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellation);
            Interlocked.Increment(ref _requestCount);
            return new Prefetched(this, operations, summary, FetchAsync(body, linked.Token), Stopwatch.StartNew(), linked, timer, timeout, cancellation);
        }

        private async Task<(HttpResponseMessage Response, PooledBuffer Body)> FetchAsync(byte[] body, CancellationToken token)
        {
            using var request = BuildRequest(body);
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            try
            {
                using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                return (response, await PooledBuffer.ReadAllAsync(stream, token).ConfigureAwait(false));
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        /// <summary>A read sent ahead: decode it with <see cref="Complete"/>, or dispose it to cancel.</summary>
        internal sealed class Prefetched : IDisposable
        {
            private readonly ApiExchange _exchange;
            private readonly IReadOnlyList<FtrackOperation> _operations;
            private readonly string _summary;
            private readonly Task<(HttpResponseMessage Response, PooledBuffer Body)> _fetch;
            private readonly Stopwatch _watch;
            private readonly CancellationTokenSource _linked, _timer;
            private readonly TimeSpan _timeout;
            private readonly CancellationToken _cancellation;

            internal Prefetched(ApiExchange exchange, IReadOnlyList<FtrackOperation> operations, string summary, Task<(HttpResponseMessage Response, PooledBuffer Body)> fetch, Stopwatch watch,
                CancellationTokenSource linked, CancellationTokenSource timer, TimeSpan timeout, CancellationToken cancellation)
            {
                _exchange = exchange;
                _operations = operations;
                _summary = summary;
                _fetch = fetch;
                _watch = watch;
                _linked = linked;
                _timer = timer;
                _timeout = timeout;
                _cancellation = cancellation;
            }

            /// <summary>Completes when the answer has been buffered or the request failed (never faults: <see cref="Complete"/> reports how it ended).</summary>
            public Task Arrival => _fetch.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

            /// <summary>Waits for the buffered answer and decodes it into <paramref name="context"/>; throws as Send would.</summary>
            public object?[] Complete(CallOptions options, DecodeContext context)
            {
                (HttpResponseMessage Response, PooledBuffer Body) fetched;
                try
                {
                    fetched = _fetch.GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is not FtrackException)
                {
                    throw _exchange.TransportError(e, _timer.IsCancellationRequested, _timeout, _cancellation, _summary);
                }
                using (fetched.Body)
                    return _exchange.Answer(fetched.Response, fetched.Body.OpenRead(), _operations, _summary, options, context, _watch, _linked, _timer, _timeout);
            }

            /// <summary>Cancels the request if it is still on its way, and releases the answer.</summary>
            public void Dispose()
            {
                if (!_fetch.IsCompleted) _linked.Cancel();
                // An answer that arrives after all (or was never decoded) gives its arrays back.
                _fetch.ContinueWith(t => { if (t.Status == TaskStatus.RanToCompletion) { t.Result.Response.Dispose(); t.Result.Body.Dispose(); } }, TaskScheduler.Default);
                _linked.Dispose();
                _timer.Dispose();
            }
        }

        /// <summary>Reads and decodes one answer, turning what goes wrong into typed exceptions; logs the call.</summary>
        private object?[] Answer(HttpResponseMessage response, Stream? body, IReadOnlyList<FtrackOperation> operations, string summary, CallOptions options, DecodeContext context,
            Stopwatch watch, CancellationTokenSource linked, CancellationTokenSource timer, TimeSpan timeout)
        {
            using (response)
            using (linked.Token.Register(() => response.Dispose()))
            {
                long bytes = 0;
                try
                {
                    var result = ReadResponse(response, body, operations, options, context, out bytes);
                    options.Log?.Invoke(FormatLog(summary, response, watch, bytes));
                    return result;
                }
                catch (FtrackException e)
                {
                    e.RetryAfter ??= RetryPolicy.RetryAfterOf(response);
                    options.Log?.Invoke(FormatLog(summary, response, watch, bytes) + " — " + e.GetType().Name);
                    if (e.Operation == null) e.Operation = summary;
                    throw;
                }
                catch (Exception e) when (linked.IsCancellationRequested)
                {
                    throw TransportError(e is OperationCanceledException ? e : new OperationCanceledException(e.Message, e), timer.IsCancellationRequested, timeout, options.CancellationToken, summary);
                }
                catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException)
                {
                    throw new FtrackTransportException(TransportFailure.ConnectionReset,
                        "The connection to " + Server.Host + " broke while reading the answer to " + summary + ": " + e.Message, e) { Operation = summary };
                }
            }
        }

        /// <summary>Decodes the answer from <paramref name="body"/> (a buffered one), or from the response's own stream as it arrives.</summary>
        private object?[] ReadResponse(HttpResponseMessage response, Stream? body, IReadOnlyList<FtrackOperation> operations, CallOptions options, DecodeContext context, out long bytes)
        {
            var status = (int)response.StatusCode;
            bytes = 0;
            // A plain-http request through a proxy that wants credentials: the proxy answers, not ftrack.
            if (status == 407) throw new FtrackProxyAuthenticationException(_transport.ProxyInUse, Server, _transport.ProxyUser, _transport.ProxyUseDefaultCredentials);
            if (status is >= 300 and < 400 && status != 304)
                throw new FtrackRedirectedException(Server, status, response.Headers.Location is { } to ? new Uri(Endpoint, to) : null);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            using var stream = body ?? response.Content.ReadAsStreamAsync().GetAwaiter().GetResult();
            // Read the body before judging the status: ftrack errors come as JSON with 4xx/5xx too.
            var head = new byte[4096];
            var headLength = ReadHead(stream, head);
            var firstByte = FirstNonSpace(head, headLength);
            if (firstByte != '[' && firstByte != '{')
            {
                // Read what fits in the head so an HTML title that came in later packets is seen.
                while (headLength < head.Length)
                {
                    var n = stream.Read(head, headLength, head.Length - headLength);
                    if (n == 0) break;
                    headLength += n;
                }
                bytes = headLength;
                if (status == 401)
                {
                    var reason = response.Headers.TryGetValues("FTRACK_ERROR", out var values) ? string.Join(" ", values) : ResponseReader.Describe(head, headLength);
                    throw new FtrackAuthenticationException("InvalidCredentialsError", "The server refused the API user or key (HTTP 401: " + reason + ").", null, status, null);
                }
                var what = ResponseReader.Describe(head, headLength);
                throw new FtrackProtocolException(
                    "The server at " + Server.GetLeftPart(UriPartial.Authority) + " answered HTTP " + status + " " + response.ReasonPhrase + " with " + what
                    + (mediaType is null ? "" : " (" + mediaType + ")") + " instead of ftrack JSON"
                    + (status >= 500 ? ": the server or a proxy in front of it is failing; try again later." : "."), status);
            }
            // A UTF-8 byte-order mark is legal before JSON text, but Utf8JsonReader refuses it.
            var skip = 0;
            while (skip < headLength && (head[skip] == ' ' || head[skip] == '\n' || head[skip] == '\r' || head[skip] == '\t')) skip++;
            if (headLength - skip >= 3 && head[skip] == 0xEF && head[skip + 1] == 0xBB && head[skip + 2] == 0xBF) skip += 3;
            using var reader = new ResponseReader(new PrefixedStream(head, skip, headLength, stream), new ValueDecoder(context));
            try
            {
                var results = reader.Read(operations, options.OnRow, status, options.BeforeWait);
                bytes = reader.BytesRead;
                if (status >= 400)
                    throw new FtrackProtocolException("The server answered HTTP " + status + " " + response.ReasonPhrase + " with results instead of an error.", status);
                options.Debug?.Invoke("Response: " + bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes, " + results.Length + " result(s): "
                    + Truncate(Encoding.UTF8.GetString(head, 0, Math.Min(headLength, 2000))) + (bytes > 2000 ? " …" : ""));
                return results;
            }
            catch (Exception e) when (e is JsonException || e is InvalidOperationException { InnerException: DecoderFallbackException } || e is DecoderFallbackException)
            {
                // Invalid UTF-8 inside a string surfaces from System.Text.Json as InvalidOperationException.
                bytes = reader.BytesRead;
                throw new FtrackProtocolException("The server's answer is not valid JSON (" + e.Message + "): the server or a proxy sent something other than the ftrack API.", status, e);
            }
            catch (FtrackServerException e)
            {
                bytes = reader.BytesRead;
                options.Debug?.Invoke("Error response: " + e.ServerExceptionName + ": " + Truncate(e.ServerMessage));
                throw;
            }
        }

        private static int ReadHead(Stream stream, byte[] head)
        {
            // One read is enough to see the first byte; keep reading only while nothing printable came.
            var total = 0;
            while (total < head.Length)
            {
                var n = stream.Read(head, total, head.Length - total);
                if (n == 0) break;
                total += n;
                if (FirstNonSpace(head, total) >= 0) break;
            }
            return total;
        }

        private static int FirstNonSpace(byte[] buffer, int length)
        {
            for (var i = 0; i < length; i++)
            {
                var b = buffer[i];
                if (b != ' ' && b != '\n' && b != '\r' && b != '\t' && b != 0xEF && b != 0xBB && b != 0xBF) return b;
            }
            return -1;
        }

        private HttpRequestMessage BuildRequest(byte[] body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = JsonContentType;
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.TryAddWithoutValidation("ftrack-user", _apiUser);
            request.Headers.TryAddWithoutValidation("ftrack-api-key", _apiKey);
            request.Headers.TryAddWithoutValidation("ftrack-strict-api", "true");
            request.Headers.TryAddWithoutValidation("ftrack-Clienttoken", _clientToken);
            return request;
        }

        private FtrackTransportException TransportError(Exception e, bool timedOut, TimeSpan timeout, CancellationToken userToken, string summary)
        {
            // Async sends surface failures wrapped; look at what actually went wrong.
            if (e is AggregateException { InnerExceptions.Count: 1 } aggregate) e = aggregate.InnerException!;
            return MapTransportError(e, timedOut, timeout, userToken, summary);
        }

        private FtrackTransportException MapTransportError(Exception e, bool timedOut, TimeSpan timeout, CancellationToken userToken, string summary)
        {
            var host = Server.GetLeftPart(UriPartial.Authority);
            // Refused or unresolved, the connection that failed was the one to the proxy.
            var proxy = _transport.ProxyInUse is { } p ? "the proxy " + p.GetLeftPart(UriPartial.Authority) + " (on the way to " + host + ")" : null;
            if (timedOut)
                return new FtrackTransportException(TransportFailure.Timeout, "No answer from " + host + " to " + summary + " within " + timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s (the timeout). The server may be overloaded, or the query too large: narrow it or raise -TimeoutSec.", e) { Operation = summary };
            if (userToken.IsCancellationRequested && e is OperationCanceledException)
                return new FtrackTransportException(TransportFailure.Cancelled, summary + " was cancelled.", e) { Operation = summary };
            for (var inner = e; inner != null; inner = inner.InnerException)
            {
                if (inner is HttpRequestException tunnel && ProxyFailure.IsAuthenticationRequired(tunnel))
                    return new FtrackProxyAuthenticationException(_transport.ProxyInUse, Server, _transport.ProxyUser, _transport.ProxyUseDefaultCredentials, e) { Operation = summary };
                if (inner is SocketException se)
                {
                    switch (se.SocketErrorCode)
                    {
                        case SocketError.ConnectionRefused:
                            return new FtrackTransportException(TransportFailure.ConnectionRefused, proxy != null
                                ? "Could not connect to " + proxy + ": the connection was refused (are the proxy's address and port right?)."
                                : "Could not connect to " + host + ": the connection was refused (is the server running, and is the port right?).", e) { Operation = summary };
                        case SocketError.HostNotFound:
                        case SocketError.NoData:
                        case SocketError.TryAgain:
                            return new FtrackTransportException(TransportFailure.NameResolution, proxy != null
                                ? "Could not find " + proxy + ": its name does not resolve (check the proxy's address and your network or VPN)."
                                : "Could not find the server " + Server.Host + ": the name does not resolve (check the URL and your network or VPN).", e) { Operation = summary };
                        case SocketError.ConnectionReset:
                        case SocketError.ConnectionAborted:
                            return new FtrackTransportException(TransportFailure.ConnectionReset, "The connection to " + host + " was reset during " + summary + ".", e) { Operation = summary };
                        case SocketError.TimedOut:
                            return new FtrackTransportException(TransportFailure.Timeout, "Connecting to " + host + " timed out.", e) { Operation = summary };
                    }
                }
                if (inner is AuthenticationException)
                    return new FtrackTransportException(TransportFailure.Tls, "The TLS handshake with " + host + " failed: "
                        + (_transport.Certificates.RefusalFor(Server) ?? inner.Message + " (is the certificate valid and trusted?)."), e) { Operation = summary };
                if (inner is IOException && inner.InnerException is null && e is HttpRequestException)
                    return new FtrackTransportException(TransportFailure.ConnectionReset, "The connection to " + host + " closed during " + summary + " before an answer came.", e) { Operation = summary };
            }
            return new FtrackTransportException(TransportFailure.Other, "The request to " + host + " failed: " + e.Message, e) { Operation = summary };
        }

        private string FormatLog(string summary, HttpResponseMessage response, Stopwatch watch, long bytes) =>
            "POST " + Endpoint + " " + summary + " → " + (int)response.StatusCode + " " + response.ReasonPhrase + " in "
            + watch.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture) + " ms, " + bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";

        /// <summary>Debug output shows the start of a body, never megabytes of it.</summary>
        internal static string Truncate(string text) => text.Length <= 2000 ? text : text.Substring(0, 2000) + "… (" + text.Length.ToString("N0", CultureInfo.InvariantCulture) + " characters)";

        public void Dispose() => _http.Dispose();
    }
}
