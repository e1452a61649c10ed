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
using Ftrack.Core.Json;
using Ftrack.Core.Operations;
using Ftrack.Core.Schema;

namespace Ftrack.Core.Transport
{
    /// <summary>
    /// One connection to one ftrack server: one HttpClient (keep-alive, cookies, compression),
    /// the API credentials, and the server information and schemas fetched once. Thread-safe:
    /// one session can serve ForEach-Object -Parallel.
    /// </summary>
    public sealed class FtrackSession : IDisposable
    {
        private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

        private readonly string _apiKey;
        private readonly HttpClient _http;
        private readonly Uri _endpoint;
        private readonly SchemaCache _schemaCache;
        private readonly object _metadataLock = new();
        private volatile ServerInformation? _serverInformation;
        private volatile SchemaRegistry? _schemas;
        private long _requestCount;

        public FtrackSession(FtrackSessionOptions options)
        {
            if (options.Server is null || !options.Server.IsAbsoluteUri)
                throw new ArgumentException("The server must be an absolute URL such as https://studio.ftrackapp.com.", nameof(options));
            if (options.Server.Scheme != Uri.UriSchemeHttps && options.Server.Scheme != Uri.UriSchemeHttp)
                throw new ArgumentException("The server URL must start with https:// (or http:// for a local server).", nameof(options));
            if (options.Server.Scheme == Uri.UriSchemeHttp && !options.Server.IsLoopback && !options.AllowUnencrypted)
                throw new FtrackInsecureConnectionException(options.Server);
            if (string.IsNullOrEmpty(options.ApiUser)) throw new ArgumentException("An API user is required.", nameof(options));
            if (string.IsNullOrEmpty(options.ApiKey)) throw new ArgumentException("An API key is required.", nameof(options));

            Server = new Uri(options.Server.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
            _endpoint = new Uri(Server, "api");
            ApiUser = options.ApiUser;
            _apiKey = options.ApiKey;
            Timeout = options.Timeout;
            ClientToken = "ftrack-powershell--" + Guid.NewGuid().ToString();
            _schemaCache = new SchemaCache(options.SchemaCacheDirectory);
            _http = new HttpClient(options.Handler ?? CreateHandler(), disposeHandler: true)
            {
                // Timeouts are per call (CancelAfter) so a long streamed read is bounded too.
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
            _http.DefaultRequestHeaders.UserAgent.ParseAdd("Ftrack-PowerShell/" + typeof(FtrackSession).Assembly.GetName().Version);
        }

        private static HttpMessageHandler CreateHandler()
        {
            var handler = new HttpClientHandler
            {
                UseCookies = true,
                CookieContainer = new CookieContainer(),
                // GZip | Deflate | Brotli (4: not named in netstandard2.0, honoured by .NET Core).
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | (DecompressionMethods)4,
                MaxConnectionsPerServer = 16,
            };
            return handler;
        }

        /// <summary>The server's base URL, ending with "/".</summary>
        public Uri Server { get; }
        public string ApiUser { get; }
        public TimeSpan Timeout { get; set; }
        /// <summary>Sent as ftrack-Clienttoken so the server can tell this session's requests apart.</summary>
        public string ClientToken { get; }
        /// <summary>HTTP requests made so far (for diagnostics and tests).</summary>
        public long RequestCount => Interlocked.Read(ref _requestCount);

        private Writes.FtrackBatch? _batch;

        /// <summary>The open batch: while there is one, the module's write cmdlets queue into it.</summary>
        public Writes.FtrackBatch? CurrentBatch => Volatile.Read(ref _batch);

        /// <summary>Opens a batch; fails when one is already open (submit or discard it first).</summary>
        public Writes.FtrackBatch StartBatch()
        {
            var batch = new Writes.FtrackBatch(this);
            var existing = Interlocked.CompareExchange(ref _batch, batch, null);
            if (existing != null)
                throw new Writes.FtrackBatchException("Ftrack.BatchAlreadyOpen", "A batch with " + existing.Count + " operation(s) is already open on this session: Submit-FtrackBatch or Undo-FtrackBatch it first.");
            return batch;
        }

        internal void EndBatch(Writes.FtrackBatch batch) => Interlocked.CompareExchange(ref _batch, null, batch);

        /// <summary>Known after the first call that fetched it; null before.</summary>
        public ServerInformation? CachedServerInformation => _serverInformation;
        public SchemaRegistry? CachedSchemas => _schemas;

        /// <summary>Never includes the API key.</summary>
        public override string ToString() => ApiUser + " @ " + Server.GetLeftPart(UriPartial.Authority);

        // ---- server information and schemas ----------------------------------------------

        /// <summary>
        /// Verifies the credentials and loads server information, with the schemas in the same
        /// request unless they are cached on disk for this server. One request either way.
        /// </summary>
        public ServerInformation Connect(CallOptions? options = null)
        {
            lock (_metadataLock)
            {
                if (_schemaCache.HasAny(Server))
                {
                    var results = Call(new FtrackOperation[] { new QueryServerInformationOperation() }, options);
                    var info = ToServerInformation(results[0]);
                    _schemas = null; // a reconnect may find new schemas: never keep stale ones
                    if (info.SchemaHash != null && _schemaCache.TryLoad(Server, info.SchemaHash) is { } cached)
                    {
                        try { _schemas = SchemaRegistry.Parse(cached); }
                        catch (Exception e) when (e is JsonException or FormatException) { _schemas = null; }
                    }
                    _serverInformation = info;
                    return info;
                }
                LoadBoth(options);
                return _serverInformation!;
            }
        }

        public ServerInformation GetServerInformation(CallOptions? options = null)
        {
            var info = _serverInformation;
            if (info != null) return info;
            lock (_metadataLock)
            {
                if (_serverInformation == null) LoadBoth(options);
                return _serverInformation!;
            }
        }

        public SchemaRegistry GetSchemas(CallOptions? options = null)
        {
            var schemas = _schemas;
            if (schemas != null) return schemas;
            lock (_metadataLock)
            {
                if (_schemas != null) return _schemas;
                if (_serverInformation == null) { LoadBoth(options); return _schemas!; }
                var results = Call(new FtrackOperation[] { new QuerySchemasOperation() }, options);
                StoreSchemas((RawJsonResult)results[0]!, _serverInformation.SchemaHash);
                return _schemas!;
            }
        }

        /// <summary>Forgets cached metadata (e.g. after the server's schemas changed).</summary>
        public void ResetMetadata()
        {
            lock (_metadataLock) { _serverInformation = null; _schemas = null; }
        }

        private void LoadBoth(CallOptions? options)
        {
            // Both in one request. Assign only after both parsed: a failure leaves the session
            // as it was, so the next call simply tries again.
            var results = Call(new FtrackOperation[] { new QueryServerInformationOperation(), new QuerySchemasOperation() }, options);
            var info = ToServerInformation(results[0]);
            StoreSchemas((RawJsonResult)results[1]!, info.SchemaHash);
            _serverInformation = info;
        }

        private void StoreSchemas(RawJsonResult raw, string? schemaHash)
        {
            SchemaRegistry registry;
            try { registry = SchemaRegistry.Parse(raw.Json); }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                throw new FtrackProtocolException("The server's schemas could not be read: " + e.Message, 200, e);
            }
            if (schemaHash != null) _schemaCache.Store(Server, schemaHash, raw.Json);
            _schemas = registry;
        }

        private static ServerInformation ToServerInformation(object? result) =>
            result is IDictionary<string, object?> values
                ? new ServerInformation(values)
                : throw new FtrackProtocolException("query_server_information did not return an object.");

        /// <summary>A decode context for this server's dates and keys; pass one to several calls to share identity.</summary>
        public DecodeContext CreateDecodeContext(CallOptions? options = null)
        {
            var info = GetServerInformation(options);
            return new DecodeContext(info.IsTimezoneSupportEnabled ? DateTimeKind.Utc : DateTimeKind.Unspecified, _schemas);
        }

        // ---- the batch call primitive --------------------------------------------------------

        /// <summary>
        /// POSTs the operations as one request (one transaction on the server) and returns one
        /// result per operation. Query results are QueryResult, query_schemas RawJsonResult, the
        /// rest decoded values. Throws an FtrackException subclass on any failure.
        /// </summary>
        public object?[] Call(IReadOnlyList<FtrackOperation> operations, CallOptions? options = null)
        {
            if (_disposed) throw new FtrackSessionClosedException(Server);
            if (operations.Count == 0) return Array.Empty<object?>();
            options ??= new CallOptions();
            var context = options.Context;
            if (context == null)
            {
                // Metadata calls decode with what is known; everything else with the server's date rule.
                var needsDates = false;
                foreach (var op in operations) if (op is not QueryServerInformationOperation and not QuerySchemasOperation) needsDates = true;
                context = needsDates ? CreateDecodeContext(options) : new DecodeContext(DateTimeKind.Unspecified, _schemas);
            }
            var encoder = new ValueEncoder(_serverInformation?.IsTimezoneSupportEnabled ?? true);
            var body = Encode(operations, encoder);
            var summary = Summarize(operations);
            options.Debug?.Invoke("Request " + summary + ": " + Truncate(Encoding.UTF8.GetString(body)));

            // Reads are retried on transient failures; writes never are (they may have been applied).
            var readOnly = true;
            foreach (var op in operations) readOnly &= op.IsReadOnly;
            var rowsDelivered = false;
            var userOnRow = options.OnRow;
            var attemptOptions = userOnRow == null ? options : new CallOptions
            {
                Log = options.Log, Debug = options.Debug, Context = options.Context, CancellationToken = options.CancellationToken,
                OnRow = (i, row) => { rowsDelivered = true; userOnRow(i, row); },
            };
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return CallOnce(operations, attemptOptions, context, body, summary);
                }
                catch (FtrackException e) when (readOnly && !rowsDelivered && attempt <= MaxRetries && RetryPolicy.IsTransient(e) && !options.CancellationToken.IsCancellationRequested)
                {
                    var delay = RetryPolicy.Delay(attempt, e.RetryAfter, RetryBaseDelay);
                    Interlocked.Increment(ref _retryCount);
                    options.Log?.Invoke("Retrying " + summary + " in " + delay.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)
                        + " s (attempt " + (attempt + 1) + " of " + (MaxRetries + 1) + "): " + e.Message);
                    if (options.CancellationToken.WaitHandle.WaitOne(delay)) options.CancellationToken.ThrowIfCancellationRequested();
                }
            }
        }

        /// <summary>How many times a read is retried after a transient failure (0 disables retries).</summary>
        public int MaxRetries { get; set; } = 3;

        /// <summary>The first retry waits about this long (×0.5–1.5 jitter), doubling each time.</summary>
        public TimeSpan RetryBaseDelay { get; set; } = RetryPolicy.DefaultBaseDelay;

        private long _retryCount;
        /// <summary>Retries made so far (for diagnostics and tests).</summary>
        public long RetryCount => Interlocked.Read(ref _retryCount);

        private object?[] CallOnce(IReadOnlyList<FtrackOperation> operations, CallOptions options, DecodeContext context, byte[] body, string summary)
        {
            using var timeout = new CancellationTokenSource(Timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, options.CancellationToken);
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
                    throw TransportError(e, timeout.IsCancellationRequested, options.CancellationToken, summary);
                }
            }
            using (response)
            using (linked.Token.Register(() => response.Dispose()))
            {
                long bytes = 0;
                try
                {
                    var result = ReadResponse(response, operations, options, context, out bytes);
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
                    throw TransportError(e is OperationCanceledException ? e : new OperationCanceledException(e.Message, e), timeout.IsCancellationRequested, options.CancellationToken, summary);
                }
                catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException)
                {
                    throw new FtrackTransportException(TransportFailure.ConnectionReset,
                        "The connection to " + Server.Host + " broke while reading the answer to " + summary + ": " + e.Message, e) { Operation = summary };
                }
            }
        }

        private object?[] ReadResponse(HttpResponseMessage response, IReadOnlyList<FtrackOperation> operations, CallOptions options, DecodeContext context, out long bytes)
        {
            var status = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            using var stream = response.Content.ReadAsStreamAsync().GetAwaiter().GetResult();
            // Read the body before judging the status: ftrack errors come as JSON with 4xx/5xx too.
            var head = new byte[4096];
            var headLength = ReadHead(stream, head);
            var firstByte = FirstNonSpace(head, headLength);
            var looksJson = firstByte == '[' || firstByte == '{';
            if (!looksJson)
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
                var statusText = status + " " + response.ReasonPhrase;
                throw new FtrackProtocolException(
                    "The server at " + Server.GetLeftPart(UriPartial.Authority) + " answered HTTP " + statusText + " with " + what
                    + (mediaType is null ? "" : " (" + mediaType + ")") + " instead of ftrack JSON"
                    + (status >= 500 ? ": the server or a proxy in front of it is failing; try again later." : "."), status);
            }
            // A UTF-8 byte-order mark is legal before JSON text, but Utf8JsonReader refuses it.
            var skip = 0;
            while (skip < headLength && (head[skip] == ' ' || head[skip] == '\n' || head[skip] == '\r' || head[skip] == '\t')) skip++;
            if (headLength - skip >= 3 && head[skip] == 0xEF && head[skip + 1] == 0xBB && head[skip + 2] == 0xBF) skip += 3;
            var combined = new PrefixedStream(head, skip, headLength, stream);
            var reader = new ResponseReader(combined, new ValueDecoder(context));
            try
            {
                var results = reader.Read(operations, options.OnRow, status);
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

        private static string ReadResponseDescribe(byte[] head, int length) => ResponseReader.Describe(head, length);

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
            var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
            {
                Content = new ByteArrayContent(body),
            };
            request.Content.Headers.ContentType = JsonContentType;
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.TryAddWithoutValidation("ftrack-user", ApiUser);
            request.Headers.TryAddWithoutValidation("ftrack-api-key", _apiKey);
            request.Headers.TryAddWithoutValidation("ftrack-strict-api", "true");
            request.Headers.TryAddWithoutValidation("ftrack-Clienttoken", ClientToken);
            return request;
        }

        private static byte[] Encode(IReadOnlyList<FtrackOperation> operations, ValueEncoder encoder)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = false }))
            {
                writer.WriteStartArray();
                for (var i = 0; i < operations.Count; i++)
                {
                    try { operations[i].WriteTo(writer, encoder); }
                    catch (FtrackEncodingException e)
                    {
                        e.Operation = "operation " + (i + 1) + " (" + operations[i].Describe() + ")";
                        throw;
                    }
                }
                writer.WriteEndArray();
            }
            return buffer.ToArray();
        }

        private FtrackTransportException TransportError(Exception e, bool timedOut, CancellationToken userToken, string summary)
        {
            var host = Server.GetLeftPart(UriPartial.Authority);
            if (timedOut)
                return new FtrackTransportException(TransportFailure.Timeout, "No answer from " + host + " to " + summary + " within " + Timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s (the timeout). The server may be overloaded, or the query too large: narrow it or raise -Timeout.", e) { Operation = summary };
            if (userToken.IsCancellationRequested && e is OperationCanceledException)
                return new FtrackTransportException(TransportFailure.Other, summary + " was cancelled.", e) { Operation = summary };
            for (var inner = e; inner != null; inner = inner.InnerException)
            {
                if (inner is SocketException se)
                {
                    switch (se.SocketErrorCode)
                    {
                        case SocketError.ConnectionRefused:
                            return new FtrackTransportException(TransportFailure.ConnectionRefused, "Could not connect to " + host + ": the connection was refused (is the server running, and is the port right?).", e) { Operation = summary };
                        case SocketError.HostNotFound:
                        case SocketError.NoData:
                        case SocketError.TryAgain:
                            return new FtrackTransportException(TransportFailure.NameResolution, "Could not find the server " + Server.Host + ": the name does not resolve (check the URL and your network or VPN).", e) { Operation = summary };
                        case SocketError.ConnectionReset:
                        case SocketError.ConnectionAborted:
                            return new FtrackTransportException(TransportFailure.ConnectionReset, "The connection to " + host + " was reset during " + summary + ".", e) { Operation = summary };
                        case SocketError.TimedOut:
                            return new FtrackTransportException(TransportFailure.Timeout, "Connecting to " + host + " timed out.", e) { Operation = summary };
                    }
                }
                if (inner is AuthenticationException)
                    return new FtrackTransportException(TransportFailure.Tls, "The TLS handshake with " + host + " failed: " + inner.Message + " (is the certificate valid and trusted?).", e) { Operation = summary };
                if (inner is IOException && inner.InnerException is null && e is HttpRequestException)
                    return new FtrackTransportException(TransportFailure.ConnectionReset, "The connection to " + host + " closed during " + summary + " before an answer came.", e) { Operation = summary };
            }
            return new FtrackTransportException(TransportFailure.Other, "The request to " + host + " failed: " + e.Message, e) { Operation = summary };
        }

        private static string Summarize(IReadOnlyList<FtrackOperation> operations)
        {
            if (operations.Count == 1) return operations[0].Describe();
            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var op in operations) counts[op.Action] = counts.TryGetValue(op.Action, out var n) ? n + 1 : 1;
            var parts = new List<string>();
            foreach (var pair in counts) parts.Add(pair.Value == 1 ? pair.Key : pair.Value + "×" + pair.Key);
            return "batch of " + operations.Count + " (" + string.Join(", ", parts) + ")";
        }

        private string FormatLog(string summary, HttpResponseMessage response, Stopwatch watch, long bytes) =>
            "POST " + _endpoint + " " + summary + " → " + (int)response.StatusCode + " " + response.ReasonPhrase + " in "
            + watch.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture) + " ms, " + bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";

        private static string Truncate(string text) => text.Length <= 2000 ? text : text.Substring(0, 2000) + "… (" + text.Length.ToString("N0", CultureInfo.InvariantCulture) + " characters)";

        private volatile bool _disposed;

        public void Dispose()
        {
            _disposed = true;
            _http.Dispose();
        }
    }

    /// <summary>The session was disposed (Disconnect-Ftrack) and cannot make requests.</summary>
    public sealed class FtrackSessionClosedException : FtrackException
    {
        public FtrackSessionClosedException(Uri server)
            : base("This session to " + server.GetLeftPart(UriPartial.Authority) + " was closed by Disconnect-Ftrack; run Connect-Ftrack again.") { }
        public override string ErrorId => "Ftrack.SessionClosed";
    }

    /// <summary>http:// to a non-loopback host without the explicit opt-in.</summary>
    public sealed class FtrackInsecureConnectionException : FtrackException
    {
        public FtrackInsecureConnectionException(Uri server)
            : base("Refusing to send the API key in clear text to " + server.GetLeftPart(UriPartial.Authority) + ": use https://, or pass -AllowUnencryptedAuthentication if you really mean it.") { }
        public override string ErrorId => "Ftrack.InsecureConnection";
    }
}
