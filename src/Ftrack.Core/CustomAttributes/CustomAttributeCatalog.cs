using System.Collections.Generic;
using Ftrack.Core.Transport;

namespace Ftrack.Core.CustomAttributes
{
    /// <summary>
    /// A session's custom attribute configurations, read with one query on first use and kept: writes
    /// check keys and values against them before anything is sent. A key the cache does not know
    /// may be new on the server, so a writer refreshes once (<see cref="Refresh"/>) before refusing it.
    /// Thread-safe: runspaces sharing a session share the cache.
    /// </summary>
    internal sealed class CustomAttributeCatalog
    {
        private readonly FtrackSession _session;
        private readonly object _lock = new();
        private IReadOnlyList<CustomAttributeConfiguration>? _configurations;

        public CustomAttributeCatalog(FtrackSession session) { _session = session; }

        /// <summary>Every configuration of the server, read once per session.</summary>
        public IReadOnlyList<CustomAttributeConfiguration> Get(CallOptions? options)
        {
            lock (_lock) if (_configurations is { } known) return known;
            return Refresh(options);
        }

        /// <summary>Reads the configurations again (one query) and keeps them.</summary>
        public IReadOnlyList<CustomAttributeConfiguration> Refresh(CallOptions? options)
        {
            options?.Log?.Invoke("Reading the server's custom attribute configurations (once per session, again when a key is not among them).");
            var read = CustomAttributeConfiguration.From(_session.Query(CustomAttributeConfiguration.Query, options).Data);
            lock (_lock) _configurations = read;
            return read;
        }
    }
}
