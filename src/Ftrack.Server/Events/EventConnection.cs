using System;
using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Ftrack.Core.Events;

namespace Ftrack.Server.Events;

/// <summary>
/// One client's websocket: socket.io 0.9 packets in (<c>code:id:endpoint:data</c>), and out through
/// a bounded queue written by a single sender, so publishing never waits for a slow client. A
/// client that falls <see cref="EventHubOptions.MaxQueuedPackets"/> behind, or says nothing for
/// <see cref="EventHubOptions.HeartbeatTimeout"/>, is disconnected.
/// </summary>
internal sealed class EventConnection
{
    private static readonly byte[] ConnectPacket = "1::"u8.ToArray();
    private static readonly byte[] HeartbeatPacket = "2::"u8.ToArray();

    private readonly EventHub _hub;
    private readonly WebSocket _socket;
    private readonly EventHubOptions _options;
    private readonly Action<string> _log;
    private readonly Channel<byte[]> _outgoing;
    private readonly CancellationTokenSource _closing = new();
    private readonly object _subscribersLock = new();
    // Copy on write: routing reads it on every publish, subscribing is rare.
    private EventSubscriber[] _subscribers = [];
    private long _queuedBytes;
    private long _lastReceived = Environment.TickCount64;
    private string? _closeReason;

    public EventConnection(EventHub hub, WebSocket socket, EventHubOptions options, Action<string> log)
    {
        _hub = hub;
        _socket = socket;
        _options = options;
        _log = log;
        _outgoing = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(options.MaxQueuedPackets)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Why the hub closed the connection, when it did (tests read it).</summary>
    public string? CloseReason => Volatile.Read(ref _closeReason);

    /// <summary>What <see cref="AddSubscriber"/> did.</summary>
    public enum Added { Yes, Duplicate, TooMany }

    /// <summary>The most subscribers this connection may hold.</summary>
    public int MaxSubscribers => _options.MaxSubscribersPerConnection;

    /// <summary>Whether anyone on this connection is subscribed to anything.</summary>
    public bool HasSubscribers => Volatile.Read(ref _subscribers).Length > 0;

    public Added AddSubscriber(EventSubscriber subscriber)
    {
        lock (_subscribersLock)
        {
            foreach (var existing in _subscribers)
                if (existing.Id == subscriber.Id)
                    // The official Python client announces a subscriber made before it connected twice: the same again is no error.
                    return existing.Subscription.ToString() == subscriber.Subscription.ToString() && existing.Metadata.GetRawText() == subscriber.Metadata.GetRawText()
                        ? Added.Yes : Added.Duplicate;
            if (_subscribers.Length >= _options.MaxSubscribersPerConnection)
                return Added.TooMany;
            _subscribers = [.. _subscribers, subscriber];
            return Added.Yes;
        }
    }

    public void RemoveSubscriber(string id)
    {
        lock (_subscribersLock)
            _subscribers = Array.FindAll(_subscribers, s => s.Id != id);
    }

    /// <summary>Whether a subscriber of this connection matches the event (and the event's target matches the subscriber).</summary>
    public bool Wants(JsonElement e, EventExpression? target)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            if (subscriber.Subscription.Matches(e) && (target == null || target.Matches(subscriber.Metadata)))
                return true;
        }
        return false;
    }

    /// <summary>Queues a packet; a full queue closes the connection instead of waiting or growing.</summary>
    public void Enqueue(byte[] packet)
    {
        if (Interlocked.Add(ref _queuedBytes, packet.Length) > _options.MaxQueuedBytes || !_outgoing.Writer.TryWrite(packet))
        {
            Interlocked.Add(ref _queuedBytes, -packet.Length);
            Close($"it fell more than {_options.MaxQueuedPackets} events or {_options.MaxQueuedBytes} bytes behind");
        }
    }

    private void Close(string reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) != null)
            return;
        if (reason.StartsWith("it fell", StringComparison.Ordinal))
        {
            _hub.CountOverflow();
            _log("Ftrack.Server: event hub disconnected a subscriber: " + reason + ".");
        }
        _outgoing.Writer.TryComplete();
        _closing.Cancel();
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _closing.Token);
        var token = linked.Token;
        Enqueue(ConnectPacket);
        var sending = SendAsync(token);
        var beating = HeartbeatAsync(token);
        try
        {
            await ReceiveAsync(token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or ObjectDisposedException or System.Net.HttpListenerException or System.IO.IOException)
        {
            // The client went away, or the connection was closed by the hub.
        }
        finally
        {
            Close("closed");
            try
            {
                await Task.WhenAll(sending, beating).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Already closing.
            }
            await CloseSocketAsync().ConfigureAwait(false);
        }
    }

    private async Task CloseSocketAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open || _socket.State == WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                var status = CloseReason is { } reason && reason.StartsWith("it fell", StringComparison.Ordinal) ? WebSocketCloseStatus.PolicyViolation : WebSocketCloseStatus.NormalClosure;
                await _socket.CloseOutputAsync(status, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // A client that does not take the close is simply dropped.
        }
        _socket.Abort();
        _socket.Dispose();
    }

    private async Task SendAsync(CancellationToken token)
    {
        try
        {
            await foreach (var packet in _outgoing.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                Interlocked.Add(ref _queuedBytes, -packet.Length);
                await _socket.SendAsync(packet, WebSocketMessageType.Text, true, token).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            Close("closed");
        }
    }

    private async Task HeartbeatAsync(CancellationToken token)
    {
        try
        {
            while (!token.IsCancellationRequested)
            {
                await Task.Delay(_options.HeartbeatInterval, token).ConfigureAwait(false);
                if (Environment.TickCount64 - Interlocked.Read(ref _lastReceived) > (long)_options.HeartbeatTimeout.TotalMilliseconds)
                {
                    Close("no heartbeat");
                    return;
                }
                Enqueue(HeartbeatPacket);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReceiveAsync(CancellationToken token)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (!token.IsCancellationRequested)
        {
            buffer.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                if (buffer.WrittenCount >= _options.MaxPacketBytes)
                {
                    Close("packet too large");
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "packet larger than " + _options.MaxPacketBytes + " bytes", CancellationToken.None).ConfigureAwait(false);
                    return;
                }
                result = await _socket.ReceiveAsync(buffer.GetMemory(4096), token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                    return;
                buffer.Advance(result.Count);
            }
            while (!result.EndOfMessage);
            Interlocked.Exchange(ref _lastReceived, Environment.TickCount64);
            if (!Handle(buffer.WrittenSpan))
                return;
        }
    }

    /// <summary>One packet from the client; false when it said goodbye (<c>0::</c>).</summary>
    private bool Handle(ReadOnlySpan<byte> packet)
    {
        // code:id:endpoint:data — the first three never hold a colon.
        var first = packet.IndexOf((byte)':');
        var code = first < 0 ? packet : packet[..first];
        if (code.Length != 1)
            return true;
        switch (code[0])
        {
            case (byte)'0':
                return false;
            case (byte)'5':
            {
                var rest = packet[(first + 1)..];
                var second = rest.IndexOf((byte)':');
                if (second < 0)
                    return true;
                var id = rest[..second];
                rest = rest[(second + 1)..];
                var third = rest.IndexOf((byte)':');
                if (third < 0)
                    return true;
                var data = rest[(third + 1)..];
                var answer = HandleEvent(data);
                if (id.Length > 0)
                    Acknowledge(id, answer);
                return true;
            }
            default:
                // Heartbeat answers (2), messages (3), acknowledgements (6): being alive is all they say.
                return true;
        }
    }

    private (bool Success, string? Message) HandleEvent(ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = new Utf8JsonReader(data);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("args", out var args) || args.ValueKind != JsonValueKind.Array || args.GetArrayLength() == 0)
                return (false, "An event packet needs args: [event].");
            if (root.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() != "ftrack.event")
                return (false, "Only ftrack.event packets are served.");
            return _hub.Receive(this, args[0]);
        }
        catch (JsonException error)
        {
            return (false, "The event is not valid JSON: " + error.Message);
        }
    }

    /// <summary><c>6:::id+[{"success":...}]</c>: the official clients call the packet's callback with it.</summary>
    private void Acknowledge(ReadOnlySpan<byte> id, (bool Success, string? Message) answer)
    {
        var plain = id[^1] == (byte)'+' ? id[..^1] : id;
        var buffer = new ArrayBufferWriter<byte>(64);
        buffer.Write("6:::"u8);
        buffer.Write(plain);
        buffer.Write("+"u8);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            writer.WriteStartObject();
            writer.WriteBoolean("success", answer.Success);
            if (answer.Message != null)
                writer.WriteString("message", answer.Message);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }
        Enqueue(buffer.WrittenSpan.ToArray());
    }

    public override string ToString() => "event connection (" + Volatile.Read(ref _subscribers).Length.ToString(CultureInfo.InvariantCulture) + " subscribers)";
}
