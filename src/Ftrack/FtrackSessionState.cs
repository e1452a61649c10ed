using System.Runtime.CompilerServices;
using System.Threading;
using Ftrack.Core.Transport;

namespace Ftrack
{
    /// <summary>
    /// The module's default session (set by Connect-Ftrack). Static, so it is per process and
    /// visible to ForEach-Object -Parallel runspaces; the session itself is thread-safe.
    /// </summary>
    public static class FtrackSessionState
    {
        private static FtrackSession? _default;
        // Sessions returned to the caller (Connect-Ftrack -PassThru, Get-FtrackSession): the caller holds them.
        private static readonly ConditionalWeakTable<FtrackSession, object> HandedOut = new();

        /// <summary>The default session, or null before Connect-Ftrack.</summary>
        public static FtrackSession? Default => Volatile.Read(ref _default);

        /// <summary>
        /// Makes <paramref name="session"/> the default (null: none). The session it replaces is
        /// closed — its connections released — unless it was handed to the caller (-PassThru, Get-FtrackSession).
        /// </summary>
        internal static void Replace(FtrackSession? session)
        {
            var previous = Interlocked.Exchange(ref _default, session);
            if (previous != null && !ReferenceEquals(previous, session) && !HandedOut.TryGetValue(previous, out _)) previous.Dispose();
        }

        /// <summary>Notes that the caller holds this session (so replacing the default does not close it).</summary>
        internal static void MarkHandedOut(FtrackSession session) => HandedOut.GetValue(session, _ => new object());
    }
}
