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

        public static FtrackSession? Default => Volatile.Read(ref _default);

        internal static FtrackSession? Exchange(FtrackSession? session) => Interlocked.Exchange(ref _default, session);
    }
}
