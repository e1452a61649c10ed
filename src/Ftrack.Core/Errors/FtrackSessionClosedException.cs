using System;

namespace Ftrack.Core
{
    /// <summary>The session was disposed (Disconnect-Ftrack, or replaced by Connect-Ftrack) and cannot make requests.</summary>
    public sealed class FtrackSessionClosedException : FtrackException
    {
        /// <summary>A closed session to <paramref name="server"/>.</summary>
        public FtrackSessionClosedException(Uri server)
            : base("This session to " + server.GetLeftPart(UriPartial.Authority) + " was closed (by Disconnect-Ftrack, or by a later Connect-Ftrack that replaced it); run Connect-Ftrack again.") { }

        /// <inheritdoc />
        public override string ErrorId => FtrackErrorIds.SessionClosed;
    }
}
