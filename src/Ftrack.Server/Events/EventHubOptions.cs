using System;

namespace Ftrack.Server.Events;

/// <summary>
/// The event hub's timings and limits. The defaults suit the official clients: the JS client
/// reconnects when it hears no heartbeat for 15 seconds, so the hub sends one every 10; the
/// Python client answers each heartbeat, so a connection silent for a whole timeout is dead.
/// </summary>
public sealed class EventHubOptions
{
    /// <summary>How often the hub sends a heartbeat (<c>2::</c>) to each connection.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A connection that sends nothing (not even a heartbeat answer) for this long is closed; announced in the handshake.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A handshake's session id must be used (the websocket opened) within this time; announced as the close timeout.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Packets waiting to be sent to one connection. A subscriber that falls this far behind is
    /// disconnected (it reconnects and resubscribes), so it neither grows the server's memory nor
    /// holds back the others.
    /// </summary>
    public int MaxQueuedPackets { get; set; } = 10_000;

    /// <summary>Bytes waiting to be sent to one connection, the same rule as <see cref="MaxQueuedPackets"/> for large events.</summary>
    public long MaxQueuedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest packet a client may send (one event with its data).</summary>
    public int MaxPacketBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Subscribers one connection may hold; more are refused (their subscribe is answered success = false).</summary>
    public int MaxSubscribersPerConnection { get; set; } = 1_000;

    /// <summary>Websockets open at once; a handshake beyond is refused (503).</summary>
    public int MaxConnections { get; set; } = 1_000;

    /// <summary>Handshakes not yet followed by their websocket; more are refused (503) until some expire.</summary>
    public int MaxPendingHandshakes { get; set; } = 10_000;
}
