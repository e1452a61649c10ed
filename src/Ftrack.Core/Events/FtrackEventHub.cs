using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Events
{
    /// <summary>Where an <see cref="FtrackEventHub"/> stands.</summary>
    public enum FtrackEventHubState
    {
        /// <summary>Not connected yet (nothing asked for a connection).</summary>
        Idle,
        /// <summary>Connecting, or connecting again after the connection dropped.</summary>
        Connecting,
        /// <summary>Connected: events flow both ways.</summary>
        Connected,
        /// <summary>Disposed (Disconnect-Ftrack, the session closed): it will not connect again.</summary>
        Closed,
    }

    /// <summary>
    /// The event hub of one session, as ftrack's own clients speak to it: socket.io 0.9 over a
    /// websocket (handshake <c>GET /socket.io/1/</c> with the credentials as headers, never in the
    /// URL), subscriptions announced on <c>ftrack.meta.subscribe</c>, replies on
    /// <c>ftrack.meta.reply</c> targeted at this hub's <see cref="Id"/>. When the connection drops it
    /// connects again with growing delays (half a second doubling to <see cref="MaxReconnectDelay"/>,
    /// with jitter) and announces every subscription again, so a listener can run for days.
    /// Received events reach handlers on one dispatcher task, in the order received; a slow
    /// handler holds back the websocket's reading (at most <see cref="MaxPendingEvents"/> wait),
    /// never the heartbeats' answers.
    /// </summary>
    public sealed class FtrackEventHub : IDisposable
    {
        /// <summary>How long a call waits for a connection (or a server acknowledgement) unless told otherwise.</summary>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

        /// <summary>Events received and not yet handed to their handlers, at most.</summary>
        public const int MaxPendingEvents = 10_000;

        private const int MaxPacketBytes = 64 * 1024 * 1024;
        private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(500);

        // source.host of every event published, as the Python client sets it: looked up once.
        private static readonly Lazy<string> HostName = new Lazy<string>(() =>
        {
            try { return Dns.GetHostName(); }
            catch (System.Net.Sockets.SocketException) { return ""; }
        });

        private readonly Uri _server;
        private readonly string _apiUser;
        private readonly string _apiKey;
        private readonly HttpHandlerFactory _transport;
        private readonly object _lock = new object();
        private readonly List<FtrackEventSubscription> _subscriptions = new List<FtrackEventSubscription>();
        private readonly ConcurrentDictionary<string, TaskCompletionSource<FtrackEvent>> _replies = new ConcurrentDictionary<string, TaskCompletionSource<FtrackEvent>>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _acknowledgements = new ConcurrentDictionary<int, TaskCompletionSource<JsonElement>>();
        private readonly SemaphoreSlim _sending = new SemaphoreSlim(1, 1);
        private readonly CancellationTokenSource _closing = new CancellationTokenSource();
        private readonly ConcurrentQueue<(JsonElement Json, FtrackEvent Event)> _pending = new ConcurrentQueue<(JsonElement, FtrackEvent)>();
        private readonly SemaphoreSlim _pendingItems = new SemaphoreSlim(0);
        private readonly SemaphoreSlim _pendingSlots = new SemaphoreSlim(MaxPendingEvents);
        private readonly Random _jitter = new Random();
        private readonly Dictionary<string, object?> _replySubscriber;
        private readonly JsonElement _replySubscriberJson;
        private ClientWebSocket? _socket;
        private TaskCompletionSource<bool> _connected = NewSignal();
        private TaskCompletionSource<Exception> _attemptFailed = NewFailureSignal();
        private Task? _running;
        private Task? _dispatching;
        private int _packetId;
        private int _state;
        private bool _everConnected;
        private long _received;
        private long _connections;
        private long _handlerFailures;
        private Exception? _lastError;
        private Exception? _lastHandlerError;

        internal FtrackEventHub(Uri server, string apiUser, string apiKey, HttpHandlerFactory transport)
        {
            _server = server;
            _apiUser = apiUser;
            _apiKey = apiKey;
            _transport = transport;
            Id = Guid.NewGuid().ToString("N");
            _replySubscriber = new Dictionary<string, object?> { ["id"] = Id };
            _replySubscriberJson = EventJson.ToElement(_replySubscriber);
        }

        /// <summary>This hub's id: the <c>source.id</c> of what it publishes, which replies target (<c>id=&lt;Id&gt;</c>).</summary>
        public string Id { get; }

        /// <summary>Connected, connecting (again), idle or closed.</summary>
        public FtrackEventHubState State => (FtrackEventHubState)Volatile.Read(ref _state);

        /// <summary>Connections made so far: more than one means it reconnected.</summary>
        public long Connections => Interlocked.Read(ref _connections);

        /// <summary>Events received since it was made.</summary>
        public long Received => Interlocked.Read(ref _received);

        /// <summary>Handlers that threw (the event was still handed to the others).</summary>
        public long HandlerFailures => Interlocked.Read(ref _handlerFailures);

        /// <summary>Why the last connection attempt failed or the last connection dropped, if one did.</summary>
        public Exception? LastError => Volatile.Read(ref _lastError);

        /// <summary>What the last failing handler threw.</summary>
        public Exception? LastHandlerError => Volatile.Read(ref _lastHandlerError);

        /// <summary>The longest wait between two attempts to connect again.</summary>
        public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>The subscriptions alive now.</summary>
        public IReadOnlyList<FtrackEventSubscription> Subscriptions
        {
            get { lock (_lock) return _subscriptions.ToArray(); }
        }

        /// <summary>The server and state; never the key.</summary>
        public override string ToString() => _apiUser + " @ " + _server.GetLeftPart(UriPartial.Authority) + " (" + State + ")";

        private static TaskCompletionSource<bool> NewSignal() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        private static TaskCompletionSource<Exception> NewFailureSignal() => new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>
        /// Connects, unless connected already; throws when the first attempt fails (wrong key: the
        /// authentication error; no event hub or no server: <see cref="FtrackEventHubException"/>),
        /// or when a hub that was connected does not connect again within <paramref name="timeout"/>.
        /// </summary>
        public void Connect(TimeSpan? timeout = null) => ConnectAsync(timeout, CancellationToken.None).GetAwaiter().GetResult();

        /// <inheritdoc cref="Connect"/>
        public async Task ConnectAsync(TimeSpan? timeout, CancellationToken cancellation)
        {
            ThrowIfClosed();
            lock (_lock)
            {
                if (_running == null)
                {
                    Volatile.Write(ref _state, (int)FtrackEventHubState.Connecting);
                    _dispatching = Task.Run(DispatchAsync);
                    _running = Task.Run(RunAsync);
                }
            }
            var limit = timeout ?? DefaultTimeout;
            var watch = Stopwatch.StartNew();
            while (true)
            {
                var connected = Volatile.Read(ref _connected).Task;
                if (connected.IsCompleted)
                    return;
                var failed = Volatile.Read(ref _attemptFailed).Task;
                var remaining = limit - watch.Elapsed;
                if (remaining <= TimeSpan.Zero)
                    throw new FtrackEventHubException("The event hub at " + HubAddress + " did not connect within " + Seconds(limit) + " seconds"
                        + (LastError is { } last ? ": " + last.Message : "."), LastError);
                Task first;
                using (var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
                {
                    first = await Task.WhenAny(connected, failed, Task.Delay(remaining, timer.Token)).ConfigureAwait(false);
                    timer.Cancel();
                }
                cancellation.ThrowIfCancellationRequested();
                ThrowIfClosed();
                if (first == failed && !Volatile.Read(ref _everConnected))
                    throw failed.Result;
                if (first == failed)
                    await Task.Delay(50, cancellation).ConfigureAwait(false);
            }
        }

        private string HubAddress => _server.GetLeftPart(UriPartial.Authority) + "/socket.io/1/";

        private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

        /// <summary>
        /// Subscribes <paramref name="handler"/> to the events matching <paramref name="expression"/>
        /// (ftrack's syntax: <c>topic=ftrack.update and source.user.username="jane"</c>): connects if
        /// needed and returns once the server has taken the subscription. <paramref name="subscriber"/>
        /// is extra metadata (targeted events are matched against it); its <c>id</c> is made when absent.
        /// </summary>
        public FtrackEventSubscription Subscribe(string expression, Action<FtrackEvent> handler, IDictionary<string, object?>? subscriber = null, TimeSpan? timeout = null)
        {
            if (handler is null) throw new ArgumentNullException(nameof(handler));
            var parsed = EventExpression.TryParse(expression, out var error)
                ?? throw new FtrackUsageException(FtrackErrorIds.InvalidSubscription, error!.Message + Environment.NewLine + error.Pointer);
            var metadata = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (subscriber != null)
                foreach (var pair in subscriber) metadata[pair.Key] = pair.Value;
            if (!(metadata.TryGetValue("id", out var id) && id is string text && text.Length > 0))
                metadata["id"] = Guid.NewGuid().ToString("N");
            metadata["applicationId"] = metadata.TryGetValue("applicationId", out var app) && app != null ? app : "ftrack.api.powershell";
            var subscription = new FtrackEventSubscription(this, expression, parsed, metadata, handler);
            Connect(timeout);
            lock (_lock) _subscriptions.Add(subscription);
            var acknowledged = SendSubscribeAsync(subscription);
            JsonElement answer;
            try
            {
                answer = WaitAcknowledgement(acknowledged, timeout ?? DefaultTimeout, "subscribing to " + expression);
            }
            catch
            {
                lock (_lock) _subscriptions.Remove(subscription);
                throw;
            }
            if (!Succeeded(answer, out var message))
            {
                lock (_lock) _subscriptions.Remove(subscription);
                throw new FtrackUsageException(FtrackErrorIds.InvalidSubscription, "The event hub refused the subscription \"" + expression + "\": " + message);
            }
            return subscription;
        }

        internal void Remove(FtrackEventSubscription subscription)
        {
            bool removed;
            lock (_lock) removed = _subscriptions.Remove(subscription);
            if (!removed || State != FtrackEventHubState.Connected)
                return;
            var e = new FtrackEvent("ftrack.meta.unsubscribe", new Dictionary<string, object?> { ["subscriber"] = subscription.Subscriber });
            Prepare(e);
            // Nobody waits for it: the subscription is gone on this side already.
            _ = SendEventAsync(e, acknowledge: false);
        }

        /// <summary>Publishes <paramref name="e"/> (connecting if needed) and returns once the server has taken it.</summary>
        public void Publish(FtrackEvent e, TimeSpan? timeout = null) => PublishAsync(e, timeout).GetAwaiter().GetResult();

        /// <inheritdoc cref="Publish"/>
        public async Task PublishAsync(FtrackEvent e, TimeSpan? timeout = null)
        {
            if (e is null) throw new ArgumentNullException(nameof(e));
            if (!string.IsNullOrEmpty(e.Target) && EventExpression.TryParse(e.Target, out var error) == null)
                throw new FtrackUsageException(FtrackErrorIds.InvalidSubscription, "The target " + error!.Message + Environment.NewLine + error.Pointer);
            await ConnectAsync(timeout, CancellationToken.None).ConfigureAwait(false);
            Prepare(e);
            var answer = await WithTimeout(SendEventAsync(e, acknowledge: true), timeout ?? DefaultTimeout, "publishing " + e.Topic).ConfigureAwait(false);
            if (!Succeeded(answer, out var message))
                throw new FtrackEventHubException("The event hub refused the event on topic \"" + e.Topic + "\": " + message);
        }

        /// <summary>Publishes <paramref name="e"/> and returns the first reply to it; <see cref="FtrackEventReplyTimeoutException"/> when none comes within <paramref name="timeout"/>.</summary>
        public FtrackEvent PublishAndWaitForReply(FtrackEvent e, TimeSpan timeout, CancellationToken cancellation = default) =>
            PublishAndWaitForReplyAsync(e, timeout, cancellation).GetAwaiter().GetResult();

        /// <inheritdoc cref="PublishAndWaitForReply"/>
        public async Task<FtrackEvent> PublishAndWaitForReplyAsync(FtrackEvent e, TimeSpan timeout, CancellationToken cancellation = default)
        {
            if (e is null) throw new ArgumentNullException(nameof(e));
            var reply = new TaskCompletionSource<FtrackEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            // Before publishing: a reply can come back before the acknowledgement does.
            _replies[e.Id] = reply;
            try
            {
                var watch = Stopwatch.StartNew();
                await PublishAsync(e, timeout).ConfigureAwait(false);
                var remaining = timeout - watch.Elapsed;
                using (var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
                {
                    var first = remaining > TimeSpan.Zero ? await Task.WhenAny(reply.Task, Task.Delay(remaining, timer.Token)).ConfigureAwait(false) : null;
                    timer.Cancel();
                    if (first == reply.Task)
                        return await reply.Task.ConfigureAwait(false);
                }
                cancellation.ThrowIfCancellationRequested();
                throw new FtrackEventReplyTimeoutException(e.Topic, e.Id, timeout);
            }
            finally
            {
                _replies.TryRemove(e.Id, out _);
            }
        }

        /// <summary>Replies to <paramref name="source"/> (an event received) with <paramref name="data"/>: targeted at its sender's hub, naming it in inReplyToEvent.</summary>
        public FtrackEvent Reply(FtrackEvent source, IDictionary<string, object?>? data, TimeSpan? timeout = null)
        {
            if (source is null) throw new ArgumentNullException(nameof(source));
            if (!(source.Source.TryGetValue("id", out var sender) && sender is string senderId && senderId.Length > 0))
                throw new FtrackUsageException(FtrackErrorIds.InvalidSubscription, "The event " + source + " has no source.id, so a reply could not reach its sender.");
            var reply = new FtrackEvent("ftrack.meta.reply", data)
            {
                Target = "id=" + Quote(senderId),
                InReplyToEvent = source.Id,
            };
            Publish(reply, timeout);
            return reply;
        }

        /// <summary>A value as an expression writes it: bare when it can be, else quoted.</summary>
        internal static string Quote(string value)
        {
            foreach (var c in value)
            {
                if (!(char.IsLetterOrDigit(c) && c < 128) && "-_,./*@+".IndexOf(c) < 0)
                    return "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
            }
            return value.Length == 0 ? "\"\"" : value;
        }

        /// <summary>What the official clients add to every event they publish: who sends it.</summary>
        private void Prepare(FtrackEvent e)
        {
            var source = e.Source;
            if (!source.ContainsKey("id")) source["id"] = Id;
            if (!source.ContainsKey("user")) source["user"] = new Dictionary<string, object?> { ["username"] = _apiUser };
            if (!source.ContainsKey("applicationId")) source["applicationId"] = "ftrack.api.powershell";
            if (!source.ContainsKey("host")) source["host"] = HostName.Value;
        }

        private static bool Succeeded(JsonElement answer, out string message)
        {
            message = answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "no reason given";
            return !(answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.False);
        }

        private JsonElement WaitAcknowledgement(Task<JsonElement> acknowledged, TimeSpan timeout, string what) =>
            WithTimeout(acknowledged, timeout, what).GetAwaiter().GetResult();

        private async Task<JsonElement> WithTimeout(Task<JsonElement> task, TimeSpan timeout, string what)
        {
            // The timer is cancelled once the task ends: a publisher sending thousands of events a
            // second would otherwise keep a live timer per event for the whole timeout.
            using (var timer = new CancellationTokenSource())
            {
                var first = await Task.WhenAny(task, Task.Delay(timeout, timer.Token)).ConfigureAwait(false);
                timer.Cancel();
                if (first != task)
                    throw new FtrackEventHubException("The event hub at " + HubAddress + " did not acknowledge " + what + " within " + Seconds(timeout) + " seconds.");
            }
            return await task.ConfigureAwait(false);
        }

        private Task<JsonElement> SendSubscribeAsync(FtrackEventSubscription subscription)
        {
            var e = new FtrackEvent("ftrack.meta.subscribe", new Dictionary<string, object?>
            {
                ["subscriber"] = subscription.Subscriber,
                ["subscription"] = subscription.Expression,
            });
            Prepare(e);
            return SendEventAsync(e, acknowledge: true);
        }

        /// <summary>Sends an event packet; with <paramref name="acknowledge"/> the task ends with the server's acknowledgement.</summary>
        private async Task<JsonElement> SendEventAsync(FtrackEvent e, bool acknowledge)
        {
            TaskCompletionSource<JsonElement>? answer = null;
            int? packetId = null;
            if (acknowledge)
            {
                packetId = Interlocked.Increment(ref _packetId);
                answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
                _acknowledgements[packetId.Value] = answer;
            }
            try
            {
                await SendAsync(EventJson.EventPacket(e, packetId)).ConfigureAwait(false);
            }
            catch
            {
                if (packetId is { } failed) _acknowledgements.TryRemove(failed, out _);
                throw;
            }
            return answer == null ? default : await answer.Task.ConfigureAwait(false);
        }

        private async Task SendAsync(byte[] packet)
        {
            var socket = Volatile.Read(ref _socket);
            if (socket == null || socket.State != WebSocketState.Open)
                throw new FtrackEventHubException("The event hub at " + HubAddress + " is not connected (it is connecting again).", LastError);
            await _sending.WaitAsync().ConfigureAwait(false);
            try
            {
                await socket.SendAsync(new ArraySegment<byte>(packet), WebSocketMessageType.Text, true, _closing.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is WebSocketException || error is ObjectDisposedException || error is OperationCanceledException)
            {
                throw new FtrackEventHubException("Sending to the event hub at " + HubAddress + " failed: " + error.Message, error);
            }
            finally
            {
                _sending.Release();
            }
        }

        /// <summary>Connects, serves the connection until it drops, and connects again, until disposed.</summary>
        private async Task RunAsync()
        {
            var attempt = 0;
            var token = _closing.Token;
            while (!token.IsCancellationRequested)
            {
                ClientWebSocket? socket = null;
                try
                {
                    var (opened, heartbeatTimeout) = await OpenAsync(token).ConfigureAwait(false);
                    socket = opened;
                    Volatile.Write(ref _socket, socket);
                    attempt = 0;
                    Interlocked.Increment(ref _connections);
                    var receiving = ReceiveAsync(socket, heartbeatTimeout, token);
                    // The reply subscriber first, then every subscription this hub holds (again, after a drop).
                    var announced = new List<Task<JsonElement>>();
                    var replies = new FtrackEvent("ftrack.meta.subscribe", new Dictionary<string, object?>
                    {
                        ["subscriber"] = _replySubscriber,
                        ["subscription"] = "topic=ftrack.meta.reply",
                    });
                    Prepare(replies);
                    announced.Add(SendEventAsync(replies, acknowledge: true));
                    foreach (var subscription in Subscriptions)
                        announced.Add(SendSubscribeAsync(subscription));
                    await Task.WhenAny(Task.WhenAll(announced), receiving).ConfigureAwait(false);
                    if (!receiving.IsCompleted)
                    {
                        Volatile.Write(ref _everConnected, true);
                        Volatile.Write(ref _state, (int)FtrackEventHubState.Connected);
                        Volatile.Read(ref _connected).TrySetResult(true);
                    }
                    await receiving.ConfigureAwait(false);
                }
                catch (Exception error) when (!token.IsCancellationRequested)
                {
                    var failure = error as FtrackException ?? new FtrackEventHubException("The connection to the event hub at " + HubAddress + " failed: " + error.Message, error);
                    Volatile.Write(ref _lastError, failure);
                    Interlocked.Exchange(ref _attemptFailed, NewFailureSignal()).TrySetResult(failure);
                }
                catch (Exception)
                {
                    // Closing.
                }
                finally
                {
                    Volatile.Write(ref _socket, null);
                    if (socket != null)
                    {
                        socket.Abort();
                        socket.Dispose();
                    }
                    if (!token.IsCancellationRequested)
                        Volatile.Write(ref _state, (int)FtrackEventHubState.Connecting);
                    if (Volatile.Read(ref _connected).Task.IsCompleted)
                        Volatile.Write(ref _connected, NewSignal());
                    FailAcknowledgements(new FtrackEventHubException("The connection to the event hub at " + HubAddress + " dropped before the server answered.", LastError));
                }
                if (token.IsCancellationRequested)
                    break;
                // Half a second, doubling up to the maximum, each between 75% and 125% so that many
                // listeners dropped together do not all come back at the same moment.
                var delay = Math.Min(MaxReconnectDelay.TotalMilliseconds, FirstReconnectDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16)));
                double factor;
                lock (_jitter) factor = 0.75 + _jitter.NextDouble() * 0.5;
                attempt++;
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(delay * factor), token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        private void FailAcknowledgements(Exception error)
        {
            foreach (var id in _acknowledgements.Keys)
                if (_acknowledgements.TryRemove(id, out var waiting))
                    waiting.TrySetException(error);
        }

        /// <summary>The handshake (credentials as headers), then the websocket it names; returns the socket and the server's heartbeat timeout.</summary>
        private async Task<(ClientWebSocket Socket, TimeSpan HeartbeatTimeout)> OpenAsync(CancellationToken token)
        {
            var handshake = new Uri(_server.GetLeftPart(UriPartial.Authority) + "/socket.io/1/");
            string answer;
            using (var client = new HttpClient(_transport.CreateHandler(), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(30) })
            using (var request = new HttpRequestMessage(HttpMethod.Get, handshake))
            {
                request.Headers.TryAddWithoutValidation("ftrack-user", _apiUser);
                request.Headers.TryAddWithoutValidation("ftrack-api-key", _apiKey);
                HttpResponseMessage response;
                try
                {
                    response = await client.SendAsync(request, token).ConfigureAwait(false);
                }
                catch (HttpRequestException error)
                {
                    throw new FtrackEventHubException("Cannot reach the event hub at " + handshake + ": " + (error.InnerException?.Message ?? error.Message), error);
                }
                catch (TaskCanceledException error) when (!token.IsCancellationRequested)
                {
                    throw new FtrackEventHubException("The event hub at " + handshake + " did not answer within 30 seconds.", error);
                }
                using (response)
                {
                    answer = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    if (response.StatusCode == HttpStatusCode.Unauthorized || response.StatusCode == HttpStatusCode.Forbidden)
                        throw new FtrackAuthenticationException("InvalidCredentialsError", "The event hub at " + handshake + " refused the API user or key (HTTP " + (int)response.StatusCode + ").", null, (int)response.StatusCode, "event hub handshake");
                    if (response.StatusCode == HttpStatusCode.NotFound)
                        throw new FtrackEventHubException("The server at " + _server.GetLeftPart(UriPartial.Authority) + " has no event hub: GET /socket.io/1/ answered 404.");
                    if (!response.IsSuccessStatusCode)
                        throw new FtrackEventHubException("The event hub at " + handshake + " answered HTTP " + (int)response.StatusCode + " to the handshake.");
                }
            }
            // sid:heartbeat timeout:close timeout:transports
            var parts = answer.Trim().Split(':');
            if (parts.Length < 4 || parts[0].Length == 0 || Array.IndexOf(parts[3].Split(','), "websocket") < 0)
                throw new FtrackEventHubException("The event hub at " + handshake + " answered the handshake with something else than a socket.io 0.9 session offering websockets.");
            var heartbeat = int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromSeconds(60);
            var scheme = _server.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
            var address = new Uri(scheme + "://" + _server.Authority + "/socket.io/1/websocket/" + Uri.EscapeDataString(parts[0]));
            var socket = new ClientWebSocket();
            try
            {
                socket.Options.SetRequestHeader("ftrack-user", _apiUser);
                socket.Options.SetRequestHeader("ftrack-api-key", _apiKey);
                socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
                _transport.ConfigureWebSocket(socket.Options, _server);
                using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(token))
                {
                    connectTimeout.CancelAfter(TimeSpan.FromSeconds(30));
                    await socket.ConnectAsync(address, connectTimeout.Token).ConfigureAwait(false);
                }
            }
            catch (Exception error) when (!(error is OperationCanceledException && token.IsCancellationRequested))
            {
                socket.Dispose();
                // The address holds a one-use session id, nothing secret beyond this attempt.
                throw new FtrackEventHubException("The event hub at " + handshake + " did not take the websocket: " + error.Message, error);
            }
            return (socket, heartbeat);
        }

        /// <summary>Reads packets until the connection ends: heartbeats answered, acknowledgements matched, events queued for the dispatcher.</summary>
        private async Task ReceiveAsync(ClientWebSocket socket, TimeSpan heartbeatTimeout, CancellationToken token)
        {
            var buffer = new byte[16 * 1024];
            var message = new System.IO.MemoryStream();
            // A server that says nothing, not even a heartbeat, for longer than it promised is gone.
            var silence = heartbeatTimeout + TimeSpan.FromSeconds(10);
            while (true)
            {
                message.SetLength(0);
                WebSocketReceiveResult result;
                using (var quiet = CancellationTokenSource.CreateLinkedTokenSource(token))
                {
                    quiet.CancelAfter(silence);
                    do
                    {
                        try
                        {
                            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), quiet.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (!token.IsCancellationRequested)
                        {
                            throw new FtrackEventHubException("The event hub at " + HubAddress + " sent nothing, not even a heartbeat, for " + Seconds(silence) + " seconds.");
                        }
                        if (result.MessageType == WebSocketMessageType.Close)
                            throw new FtrackEventHubException("The event hub at " + HubAddress + " closed the connection"
                                + (result.CloseStatus is { } status ? " (" + status + (string.IsNullOrEmpty(result.CloseStatusDescription) ? "" : ": " + result.CloseStatusDescription) + ")" : "") + ".");
                        message.Write(buffer, 0, result.Count);
                        if (message.Length > MaxPacketBytes)
                            throw new FtrackEventHubException("The event hub at " + HubAddress + " sent a packet larger than " + MaxPacketBytes + " bytes.");
                    }
                    while (!result.EndOfMessage);
                }
                if (!await HandleAsync(message.GetBuffer(), (int)message.Length).ConfigureAwait(false))
                    throw new FtrackEventHubException("The event hub at " + HubAddress + " ended the session.");
            }
        }

        /// <summary>One packet; false when the server said goodbye (<c>0::</c>).</summary>
        private async Task<bool> HandleAsync(byte[] packet, int length)
        {
            if (length == 0)
                return true;
            switch ((char)packet[0])
            {
                case '0':
                    return false;
                case '2':
                    // Answered off this loop: the send lock may be held by a large publish.
                    _ = AnswerHeartbeatAsync();
                    return true;
                case '5':
                {
                    var data = DataOf(packet, length);
                    if (data < 0)
                        return true;
                    JsonElement e;
                    using (var document = JsonDocument.Parse(new ReadOnlyMemory<byte>(packet, data, length - data)))
                    {
                        if (!document.RootElement.TryGetProperty("args", out var args) || args.ValueKind != JsonValueKind.Array || args.GetArrayLength() == 0 || args[0].ValueKind != JsonValueKind.Object)
                            return true;
                        e = args[0].Clone();
                    }
                    Interlocked.Increment(ref _received);
                    await _pendingSlots.WaitAsync(_closing.Token).ConfigureAwait(false);
                    _pending.Enqueue((e, EventJson.Read(e)));
                    _pendingItems.Release();
                    return true;
                }
                case '6':
                {
                    // 6:::<id>+[<answer>]
                    var data = DataOf(packet, length);
                    if (data < 0)
                        return true;
                    var text = Encoding.UTF8.GetString(packet, data, length - data);
                    var plus = text.IndexOf('+');
                    var idText = plus < 0 ? text : text.Substring(0, plus);
                    if (!int.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !_acknowledgements.TryRemove(id, out var waiting))
                        return true;
                    JsonElement answer = default;
                    if (plus >= 0)
                    {
                        using var document = JsonDocument.Parse(text.Substring(plus + 1));
                        if (document.RootElement.ValueKind == JsonValueKind.Array && document.RootElement.GetArrayLength() > 0)
                            answer = document.RootElement[0].Clone();
                    }
                    waiting.TrySetResult(answer);
                    return true;
                }
                default:
                    return true;
            }
        }

        /// <summary>Where the data of <c>code:id:endpoint:data</c> starts; -1 without data.</summary>
        private static int DataOf(byte[] packet, int length)
        {
            var colons = 0;
            for (var i = 0; i < length; i++)
            {
                if (packet[i] == (byte)':' && ++colons == 3)
                    return i + 1;
            }
            return -1;
        }

        private async Task AnswerHeartbeatAsync()
        {
            try
            {
                await SendAsync(new[] { (byte)'2', (byte)':', (byte)':' }).ConfigureAwait(false);
            }
            catch (FtrackEventHubException)
            {
                // The connection is going; the receive loop notices.
            }
        }

        /// <summary>Hands received events to the reply waiters and the matching subscriptions, one at a time.</summary>
        private async Task DispatchAsync()
        {
            var token = _closing.Token;
            while (true)
            {
                try
                {
                    await _pendingItems.WaitAsync(token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                if (!_pending.TryDequeue(out var item))
                    continue;
                _pendingSlots.Release();
                Deliver(item.Json, item.Event);
            }
        }

        private void Deliver(JsonElement json, FtrackEvent e)
        {
            EventExpression? target = null;
            if (!string.IsNullOrEmpty(e.Target))
            {
                target = EventExpression.TryParse(e.Target, out _);
                // A target no one can match reaches no one.
                if (target == null)
                    return;
            }
            if (e.Topic == "ftrack.meta.reply" && e.InReplyToEvent != null && (target == null || target.Matches(_replySubscriberJson))
                && _replies.TryGetValue(e.InReplyToEvent, out var waiting))
                waiting.TrySetResult(e);
            foreach (var subscription in Subscriptions)
            {
                if (!subscription.IsActive || !subscription.Parsed.Matches(json) || (target != null && !target.Matches(subscription.SubscriberJson)))
                    continue;
                try
                {
                    Interlocked.Increment(ref subscription._delivered);
                    subscription.Handler(e);
                }
                catch (Exception error)
                {
                    Interlocked.Increment(ref _handlerFailures);
                    Volatile.Write(ref _lastHandlerError, error);
                }
            }
        }

        private void ThrowIfClosed()
        {
            if (State == FtrackEventHubState.Closed)
                throw new FtrackEventHubException("This event hub was closed (its session was disconnected).");
        }

        /// <summary>Says goodbye to the server, stops reconnecting and fails every wait.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _state, (int)FtrackEventHubState.Closed) == (int)FtrackEventHubState.Closed)
                return;
            var socket = Volatile.Read(ref _socket);
            if (socket != null && socket.State == WebSocketState.Open)
            {
                try
                {
                    using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
                    if (_sending.Wait(TimeSpan.FromMilliseconds(500)))
                    {
                        try { socket.SendAsync(new ArraySegment<byte>(new[] { (byte)'0', (byte)':', (byte)':' }), WebSocketMessageType.Text, true, quick.Token).Wait(quick.Token); }
                        finally { _sending.Release(); }
                    }
                }
                catch (Exception)
                {
                    // Going anyway.
                }
            }
            _closing.Cancel();
            try
            {
                Task.WaitAll(new[] { _running ?? Task.CompletedTask, _dispatching ?? Task.CompletedTask }, TimeSpan.FromSeconds(2));
            }
            catch (AggregateException)
            {
            }
            var closed = new FtrackEventHubException("This event hub was closed (its session was disconnected).");
            FailAcknowledgements(closed);
            foreach (var id in _replies.Keys)
                if (_replies.TryRemove(id, out var waiting))
                    waiting.TrySetException(closed);
            Volatile.Read(ref _attemptFailed).TrySetResult(closed);
            lock (_lock) _subscriptions.Clear();
        }
    }
}
