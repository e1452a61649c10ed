using System;
using System.Collections;
using System.Threading.Tasks;
using Ftrack.Core.Schema;
using Ftrack.Core.Transport;

namespace Ftrack.Completers
{
    /// <summary>
    /// The schemas completers use: the session's cached ones, or a fetch that may take at most
    /// about a second — completion must never hang the prompt. Offline, null (callers fall back).
    /// </summary>
    internal static class CompletionSchemas
    {
        private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

        public static SchemaRegistry? For(IDictionary? fakeBoundParameters)
        {
            var session = fakeBoundParameters?["Session"] is { } s
                ? (s is System.Management.Automation.PSObject ps ? ps.BaseObject : s) as FtrackSession
                : null;
            session ??= FtrackSessionState.Default;
            if (session is null) return null;
            if (session.CachedSchemas is { } cached) return cached;
            try
            {
                var fetch = Task.Run(() => session.GetSchemas());
                return fetch.Wait(Budget) ? fetch.Result : null;
            }
            catch (AggregateException) { return null; }
        }
    }
}
