using System;

namespace Ftrack.Core
{
    /// <summary>
    /// The server's event hub could not be reached, or it refused the connection for another reason
    /// than the credentials: refused, not found (a server without an event hub answers 404 on
    /// /socket.io/1/), a handshake or websocket upgrade that failed, or a connection that was lost
    /// and not made again within the time given. The message names the hub's address and why.
    /// </summary>
    public sealed class FtrackEventHubException : FtrackException
    {
        /// <summary>A failure to reach the event hub, in plain words, and what caused it.</summary>
        public FtrackEventHubException(string message, Exception? inner = null) : base(message, inner) { }

        /// <inheritdoc />
        public override string ErrorId => FtrackErrorIds.EventHubUnreachable;
    }
}
