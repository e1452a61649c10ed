using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Ftrack.Core.Events;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Events;

/// <summary>
/// The server's event hub, as ftrack's clients know it: socket.io 0.9 sessions (a handshake, then
/// one websocket each), subscriptions made by publishing <c>ftrack.meta.subscribe</c>, and every
/// published event sent once to each connection with a subscriber that matches it (its
/// subscription, and the event's target when it has one). Clients pick the subscribers an event
/// reaches themselves, as the official clients do. Independent of the HTTP server:
/// <see cref="SocketIoEndpoint"/> hands it authenticated websockets.
/// </summary>
internal sealed class EventHub : IAsyncDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly AdminCredentials _credentials;
    private readonly Action<string> _log;
    private readonly ConcurrentDictionary<string, DateTime> _handshakes = new();
    private readonly ConcurrentDictionary<EventConnection, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _published;

    public EventHub(AdminCredentials credentials, EventHubOptions options, Action<string> log)
    {
        _credentials = credentials;
        Options = options;
        _log = log;
    }

    public EventHubOptions Options { get; }

    /// <summary>Connections open now (tests and the soak bench read it).</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>
    /// Whether any connection has a subscriber: the server collects what a write batch changed for
    /// <c>ftrack.update</c> only then (reading every created entity's parents costs the writes).
    /// </summary>
    public bool HasSubscribers
    {
        get
        {
            foreach (var connection in _connections.Keys)
                if (connection.HasSubscribers) return true;
            return false;
        }
    }

    /// <summary>Events routed since the server started.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Connections closed because they fell too far behind.</summary>
    public long Overflowed => Interlocked.Read(ref _overflowed);
    private long _overflowed;

    /// <summary>The API user and key (of the headers, or of the query string the official clients use) are this server's.</summary>
    public bool Authenticates(string? user, string? key)
    {
        // The key is checked whatever the user, so a wrong user takes as long as a wrong key.
        var keyMatches = !string.IsNullOrEmpty(key) && _credentials.Keys.Verify(key);
        return !string.IsNullOrEmpty(user) && AdminCredentials.Matches(_credentials.User, user) && keyMatches;
    }

    /// <summary>A new socket.io session id, valid for one websocket within the handshake timeout; null when too many wait already.</summary>
    public string? BeginHandshake()
    {
        if (_connections.Count >= Options.MaxConnections)
            return null;
        var now = DateTime.UtcNow;
        if (_handshakes.Count >= Options.MaxPendingHandshakes)
        {
            foreach (var (sid, created) in _handshakes)
                if (now - created > Options.HandshakeTimeout)
                    _handshakes.TryRemove(sid, out _);
            if (_handshakes.Count >= Options.MaxPendingHandshakes)
                return null;
        }
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        _handshakes[id] = now;
        return id;
    }

    /// <summary>Uses up a session id from <see cref="BeginHandshake"/>: false when unknown, used or expired.</summary>
    public bool TakeHandshake(string sid) =>
        _handshakes.TryRemove(sid, out var created) && DateTime.UtcNow - created <= Options.HandshakeTimeout;

    /// <summary>Serves one accepted websocket until it closes (or the hub stops).</summary>
    public async Task ServeAsync(WebSocket socket, CancellationToken aborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _stopping.Token);
        var connection = new EventConnection(this, socket, Options, _log);
        _connections[connection] = 0;
        try
        {
            await connection.RunAsync(linked.Token).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
        }
    }

    internal void CountOverflow() => Interlocked.Increment(ref _overflowed);

    /// <summary>
    /// An event a client sent (<c>args[0]</c> of its packet): subscriptions are kept, anything else
    /// is routed. Returns the acknowledgement's payload.
    /// </summary>
    public (bool Success, string? Message) Receive(EventConnection from, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("topic", out var topicValue) || topicValue.ValueKind != JsonValueKind.String)
            return (false, "An event needs a \"topic\".");
        var topic = topicValue.GetString()!;
        switch (topic)
        {
            case "ftrack.meta.subscribe":
                return Subscribe(from, e);
            case "ftrack.meta.unsubscribe":
                if (e.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                    && data.TryGetProperty("subscriber", out var subscriber) && subscriber.ValueKind == JsonValueKind.Object
                    && subscriber.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    from.RemoveSubscriber(id.GetString()!);
                    return (true, null);
                }
                return (false, "ftrack.meta.unsubscribe needs data.subscriber.id.");
            default:
                return Route(e) is { } error ? (false, error) : (true, null);
        }
    }

    private (bool, string?) Subscribe(EventConnection from, JsonElement e)
    {
        if (!e.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("subscriber", out var subscriber) || subscriber.ValueKind != JsonValueKind.Object
            || !subscriber.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
            || !data.TryGetProperty("subscription", out var subscription) || subscription.ValueKind != JsonValueKind.String)
            return (false, "ftrack.meta.subscribe needs data.subscriber (with an id) and data.subscription.");
        var parsed = EventExpression.TryParse(subscription.GetString(), out var error);
        if (parsed == null)
            return (false, "Invalid subscription: " + error!.Message);
        return from.AddSubscriber(new EventSubscriber(id.GetString()!, subscriber.Clone(), parsed)) switch
        {
            EventConnection.Added.Yes => (true, null),
            EventConnection.Added.Duplicate => (false, "Subscriber with identifier \"" + id.GetString() + "\" already exists."),
            _ => (false, "This connection holds the most subscribers the event hub allows (" + from.MaxSubscribers + "): unsubscribe some first."),
        };
    }

    /// <summary>Sends an event to every connection with a matching subscriber; an error message when its target does not parse.</summary>
    public string? Route(JsonElement e)
    {
        EventExpression? target = null;
        if (e.TryGetProperty("target", out var targetValue) && targetValue.ValueKind == JsonValueKind.String && targetValue.GetString() is { Length: > 0 } targetText)
        {
            target = EventExpression.TryParse(targetText, out var error);
            if (target == null)
                return "Invalid target: " + error!.Message;
        }
        byte[]? packet = null;
        foreach (var connection in _connections.Keys)
        {
            if (!connection.Wants(e, target))
                continue;
            packet ??= EventPacket(e);
            connection.Enqueue(packet);
        }
        Interlocked.Increment(ref _published);
        return null;
    }

    /// <summary>An event the server itself publishes (<c>ftrack.update</c>), given as JSON.</summary>
    public void Publish(ReadOnlyMemory<byte> eventJson)
    {
        using var document = JsonDocument.Parse(eventJson);
        Route(document.RootElement);
    }

    /// <summary><c>5:::{"name":"ftrack.event","args":[event]}</c>: the packet every client reads.</summary>
    private static byte[] EventPacket(JsonElement e)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        buffer.Write("5:::"u8);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("name", "ftrack.event");
            writer.WriteStartArray("args");
            e.WriteTo(writer);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Closes every connection (the server is stopping): clients see the websocket close and reconnect elsewhere or later.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        var deadline = Task.Delay(TimeSpan.FromSeconds(2));
        while (!_connections.IsEmpty && !deadline.IsCompleted)
            await Task.Delay(20).ConfigureAwait(false);
    }
}

/// <summary>One subscriber of a connection: its metadata (which targets match) and its parsed subscription.</summary>
internal sealed record EventSubscriber(string Id, JsonElement Metadata, EventExpression Subscription);
