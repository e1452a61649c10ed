using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Ftrack.Core.Json;
using Ftrack.Core.Operations;
using Ftrack.Core.Schema;

namespace Ftrack.Core.Transport
{
    /// <summary>
    /// One connection to one ftrack server: its configuration, the retry rule for reads, and the
    /// façade every caller uses — <see cref="Call"/> for a batch of operations, <see cref="Query"/>,
    /// the server information and the schemas. The HTTP exchange is <see cref="ApiExchange"/>'s job,
    /// what is known of the server <see cref="ServerMetadata"/>'s. Thread-safe: one session can serve
    /// ForEach-Object -Parallel. Holds no open batch: batches belong to whoever opened them.
    /// </summary>
    public sealed class FtrackSession : IDisposable
    {
        private readonly HttpHandlerFactory _transport;
        private readonly ApiExchange _exchange;
        private readonly ServerMetadata _metadata;
        private readonly Func<string?>? _localServerStopped;
        private long _retryCount;
        // Kept for the event hub's handshake (headers only); never shown.
        private readonly string _apiKey;
        private Events.FtrackEventHub? _eventHub;
        private volatile bool _disposed;

        /// <summary>Checks the options (https, or http to this machine only; the proxy and certificate settings) and prepares the connection; sends nothing.</summary>
        public FtrackSession(FtrackSessionOptions options)
        {
            if (options.Server is null || !options.Server.IsAbsoluteUri)
                throw new FtrackUsageException(FtrackErrorIds.InvalidServer, "The server must be an absolute URL such as https://studio.ftrackapp.com.");
            if (options.Server.Scheme != Uri.UriSchemeHttps && options.Server.Scheme != Uri.UriSchemeHttp)
                throw new FtrackUsageException(FtrackErrorIds.InvalidServer, "The server URL must start with https:// (or http:// for a local server).");
            if (options.Server.Scheme == Uri.UriSchemeHttp && !options.Server.IsLoopback && !options.AllowUnencrypted)
                throw new FtrackInsecureConnectionException(options.Server);
            if (string.IsNullOrEmpty(options.ApiUser)) throw new FtrackUsageException(FtrackErrorIds.MissingCredential, "An API user is required.");
            if (string.IsNullOrEmpty(options.ApiKey)) throw new FtrackUsageException(FtrackErrorIds.MissingCredential, "An API key is required.");

            Server = new Uri(options.Server.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
            ApiUser = options.ApiUser;
            Timeout = options.Timeout;
            AutoPopulate = options.AutoPopulate;
            _localServerStopped = options.LocalServerStopped;
            ClientToken = "ftrack-powershell--" + Guid.NewGuid().ToString();
            _transport = new HttpHandlerFactory(options.Transport, Server);
            TrustedCertificates = _transport.TrustedCertificates.Select(c => c.Subject + " (" + c.Thumbprint + ")").ToArray();
            _exchange = new ApiExchange(Server, options.ApiUser, options.ApiKey, ClientToken, _transport, options.Handler);
            _apiKey = options.ApiKey;
            _metadata = new ServerMetadata(Server, new SchemaCache(options.SchemaCacheDirectory), Call);
            CustomAttributeConfigurations = new CustomAttributes.CustomAttributeCatalog(this);
        }

        /// <summary>The server's base URL, ending with "/".</summary>
        public Uri Server { get; }
        /// <summary>The API user (the ftrack username).</summary>
        public string ApiUser { get; }
        /// <summary>How long one request may take (connect, send and read the whole answer).</summary>
        public TimeSpan Timeout { get; set; }
        /// <summary>Sent as ftrack-Clienttoken so the server can tell this session's requests apart.</summary>
        public string ClientToken { get; }
        /// <summary>Whether reading an attribute that was not selected loads it (for the whole result) instead of failing.</summary>
        public bool AutoPopulate { get; }
        /// <summary>HTTP requests made so far (for diagnostics and tests).</summary>
        public long RequestCount => _exchange.RequestCount;
        /// <summary>Retries made so far (for diagnostics and tests).</summary>
        public long RetryCount => Interlocked.Read(ref _retryCount);
        /// <summary>How many times a read is retried after a transient failure (0 disables retries).</summary>
        public int MaxRetries { get; set; } = 3;
        /// <summary>The first retry waits about this long (×0.5–1.5 jitter), doubling each time.</summary>
        public TimeSpan RetryBaseDelay { get; set; } = RetryPolicy.DefaultBaseDelay;
        /// <summary>True once disposed: every call then fails with <see cref="FtrackSessionClosedException"/>.</summary>
        public bool IsClosed => _disposed;

        /// <summary>The proxy this session's requests go through — the one asked for, or the system's (HTTPS_PROXY...) — without user name or password; null when they go direct.</summary>
        public Uri? Proxy => _transport.ProxyInUse;
        /// <summary>The user name of the proxy credential, when one was given (never the password).</summary>
        public string? ProxyUser => _transport.ProxyUser;
        /// <summary>Whether the user's logon credentials are offered to the proxy.</summary>
        public bool ProxyUseDefaultCredentials => _transport.ProxyUseDefaultCredentials;
        /// <summary>Certificates trusted for this session in addition to the system store, as "subject (thumbprint)".</summary>
        public IReadOnlyList<string> TrustedCertificates { get; }
        /// <summary>True when server certificates are not checked at all (a test server).</summary>
        public bool SkipCertificateCheck => _transport.SkipCertificateCheck;

        /// <summary>Known after the first call that fetched it; null before.</summary>
        public ServerInformation? CachedServerInformation => _metadata.CachedInformation;
        /// <summary>Known after the first call that fetched them; null before.</summary>
        public SchemaRegistry? CachedSchemas => _metadata.CachedSchemas;

        /// <summary>Never includes the API key.</summary>
        public override string ToString() => ApiUser + " @ " + Server.GetLeftPart(UriPartial.Authority);

        // ---- what is known of the server -----------------------------------------------------

        /// <summary>Verifies the credentials and loads the server information (and schemas unless cached): one request.</summary>
        public ServerInformation Connect(CallOptions? options = null) => _metadata.Connect(options);

        /// <summary>The server information, fetched on first use.</summary>
        public ServerInformation GetServerInformation(CallOptions? options = null) => _metadata.GetInformation(options);

        /// <summary>The schemas, fetched (or read from the disk cache) on first use.</summary>
        public SchemaRegistry GetSchemas(CallOptions? options = null) => _metadata.GetSchemas(options);

        /// <summary>The server's custom attribute configurations, read once per session (writes check keys and values against them).</summary>
        internal CustomAttributes.CustomAttributeCatalog CustomAttributeConfigurations { get; }

        /// <summary>Forgets cached metadata (e.g. after the server's schemas changed).</summary>
        public void ResetMetadata() => _metadata.Reset();

        /// <summary>A decode context for this server's dates and entity shapes; pass one to several calls to share identity.</summary>
        public DecodeContext CreateDecodeContext(CallOptions? options = null)
        {
            var info = GetServerInformation(options);
            return new DecodeContext(info.IsTimezoneSupportEnabled ? DateTimeKind.Utc : DateTimeKind.Unspecified, _metadata.CachedSchemas, session: this);
        }

        // ---- the network -----------------------------------------------------------------------

        /// <summary>
        /// A new handler that reaches the network as this session's API calls do — the same proxy and
        /// proxy credentials, the same certificate trust, redirects refused — for requests beside the
        /// API (uploads, downloads, the event hub). It sends no ftrack credentials and keeps no cookies;
        /// the caller owns and disposes it.
        /// </summary>
        public HttpMessageHandler CreateHttpMessageHandler() => _transport.CreateHandler();

        // ---- calls ---------------------------------------------------------------------------

        /// <summary>Runs one query expression as it is (no paging added) and returns its rows.</summary>
        public QueryResult Query(string expression, CallOptions? options = null) =>
            (QueryResult)Call(new FtrackOperation[] { new QueryOperation(expression) }, options)[0]!;

        /// <summary>
        /// POSTs the operations as one request (one transaction on the server) and returns one
        /// result per operation. Query results are QueryResult, query_schemas RawJsonResult, the
        /// rest decoded values. Reads are retried on transient failures; writes never are. Throws an
        /// FtrackException subclass on any failure.
        /// </summary>
        public object?[] Call(IReadOnlyList<FtrackOperation> operations, CallOptions? options = null)
        {
            if (_disposed) throw new FtrackSessionClosedException(Server);
            if (operations.Count == 0) return Array.Empty<object?>();
            var call = PrepareCall(operations, options);
            for (var n = 1; ; n++)
            {
                ThrowIfLocalServerStopped();
                try
                {
                    return _exchange.Send(operations, call.Body, call.Summary, call.Attempt, call.Context, Timeout);
                }
                catch (FtrackException e) when (call.MayRetry(e, n))
                {
                    if (call.Options.CancellationToken.WaitHandle.WaitOne(call.BeforeRetry(e, n))) call.Options.CancellationToken.ThrowIfCancellationRequested();
                }
            }
        }

        /// <summary>
        /// <see cref="Call"/> without a thread waiting on the network: the answer is buffered as it
        /// arrives (pooled, off the large-object heap), then decoded; reads are retried on transient
        /// failures with the same rules, writes never are. For callers that wait on many requests at
        /// once. <see cref="Call"/> stays the faster path for one caller: it decodes rows while the
        /// rest of the answer is still on the wire. Server information not yet known is fetched first,
        /// synchronously (a connected session already has it).
        /// </summary>
        public async Task<object?[]> CallAsync(IReadOnlyList<FtrackOperation> operations, CallOptions? options = null)
        {
            if (_disposed) throw new FtrackSessionClosedException(Server);
            if (operations.Count == 0) return Array.Empty<object?>();
            var call = PrepareCall(operations, options);
            for (var n = 1; ; n++)
            {
                ThrowIfLocalServerStopped();
                try
                {
                    using var sent = _exchange.Prefetch(operations, call.Body, call.Summary, call.Options.CancellationToken, Timeout);
                    await sent.Arrival.ConfigureAwait(false);
                    return sent.Complete(call.Attempt, call.Context);
                }
                catch (FtrackException e) when (call.MayRetry(e, n))
                {
                    await Task.Delay(call.BeforeRetry(e, n), call.Options.CancellationToken).ConfigureAwait(false);
                }
            }
        }

        private PreparedCall PrepareCall(IReadOnlyList<FtrackOperation> operations, CallOptions? options)
        {
            options ??= new CallOptions();
            var context = options.Context ?? ContextFor(operations, options);
            var body = OutgoingRequestBody.Encode(operations, new ValueEncoder(_metadata.CachedInformation?.IsTimezoneSupportEnabled ?? true, _metadata.CachedSchemas?.Shapes));
            var summary = OutgoingRequestBody.Summarize(operations);
            options.Debug?.Invoke("Request " + summary + ": " + ApiExchange.Truncate(Encoding.UTF8.GetString(body)));
            return new PreparedCall(this, operations, options, context, body, summary);
        }

        /// <summary>One call's encoded request and the rules for sending it again: reads only, before any row reached the caller, within MaxRetries.</summary>
        private sealed class PreparedCall
        {
            private readonly FtrackSession _session;
            private readonly bool _readOnly = true;
            private bool _rowsDelivered;

            public PreparedCall(FtrackSession session, IReadOnlyList<FtrackOperation> operations, CallOptions options, DecodeContext context, byte[] body, string summary)
            {
                _session = session;
                Options = options;
                Context = context;
                Body = body;
                Summary = summary;
                foreach (var op in operations) _readOnly &= op.IsReadOnly;
                Attempt = options;
                if (options.OnRow is { } onRow)
                {
                    // Once a row went to the caller, a retry would hand it over twice.
                    Attempt = options.Copy();
                    Attempt.OnRow = (i, row) => { _rowsDelivered = true; onRow(i, row); };
                }
            }

            public CallOptions Options { get; }
            public CallOptions Attempt { get; }
            public DecodeContext Context { get; }
            public byte[] Body { get; }
            public string Summary { get; }

            public bool MayRetry(FtrackException e, int attempt) =>
                _readOnly && !_rowsDelivered && attempt <= _session.MaxRetries && RetryPolicy.IsTransient(e) && !Options.CancellationToken.IsCancellationRequested;

            /// <summary>Counts and logs the retry; returns how long to wait before it.</summary>
            public TimeSpan BeforeRetry(FtrackException e, int attempt)
            {
                var delay = RetryPolicy.Delay(attempt, e.RetryAfter, _session.RetryBaseDelay);
                Interlocked.Increment(ref _session._retryCount);
                Options.Log?.Invoke("Retrying " + Summary + " in " + delay.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)
                    + " s (attempt " + (attempt + 1) + " of " + (_session.MaxRetries + 1) + "): " + e.Message);
                return delay;
            }
        }

        /// <summary>
        /// Sends a read now and buffers its answer in the background; <see cref="PrefetchedRead.Complete"/>
        /// decodes it later. For queries' later pages, several in flight while earlier ones are decoded.
        /// </summary>
        internal PrefetchedRead PrefetchRead(IReadOnlyList<FtrackOperation> operations, CallOptions options)
        {
            if (_disposed) throw new FtrackSessionClosedException(Server);
            ThrowIfLocalServerStopped();
            var body = OutgoingRequestBody.Encode(operations, new ValueEncoder(_metadata.CachedInformation?.IsTimezoneSupportEnabled ?? true, _metadata.CachedSchemas?.Shapes));
            var summary = OutgoingRequestBody.Summarize(operations);
            options.Debug?.Invoke("Request " + summary + " (sent ahead): " + ApiExchange.Truncate(Encoding.UTF8.GetString(body)));
            return new PrefetchedRead(this, operations, _exchange.Prefetch(operations, body, summary, options.CancellationToken, Timeout));
        }

        private void ThrowIfLocalServerStopped()
        {
            if (_localServerStopped?.Invoke() is { } why) throw new FtrackLocalServerStoppedException(why);
        }

        private DecodeContext ContextFor(IReadOnlyList<FtrackOperation> operations, CallOptions options)
        {
            // Metadata calls decode with what is known; everything else with the server's date rule.
            foreach (var op in operations)
                if (op is not QueryServerInformationOperation and not QuerySchemasOperation) return CreateDecodeContext(options);
            return new DecodeContext(DateTimeKind.Unspecified, _metadata.CachedSchemas);
        }

        /// <summary>
        /// The session's event hub, made on first use (it connects when something subscribes or
        /// publishes); one per session, shared by every subscription. Closed with the session.
        /// </summary>
        public Events.FtrackEventHub EventHub
        {
            get
            {
                if (_disposed) throw new FtrackSessionClosedException(Server);
                var hub = Volatile.Read(ref _eventHub);
                if (hub != null) return hub;
                var made = new Events.FtrackEventHub(Server, ApiUser, _apiKey, _transport);
                return Interlocked.CompareExchange(ref _eventHub, made, null) ?? made;
            }
        }

        /// <summary>The event hub if one was made (null otherwise): for Get-FtrackSession, without making one.</summary>
        public Events.FtrackEventHub? EventHubIfMade => Volatile.Read(ref _eventHub);

        /// <summary>Closes the connections (the event hub's too); later calls fail with <see cref="FtrackSessionClosedException"/>.</summary>
        public void Dispose()
        {
            _disposed = true;
            Volatile.Read(ref _eventHub)?.Dispose();
            _exchange.Dispose();
        }
    }
}
