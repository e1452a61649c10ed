using System;
using System.Net.Http;

namespace Ftrack.Core.Transport
{
    /// <summary>How to reach one ftrack server.</summary>
    public sealed class FtrackSessionOptions
    {
        /// <summary>The server's URL and the credentials to use there.</summary>
        public FtrackSessionOptions(Uri server, string apiUser, string apiKey)
        {
            Server = server;
            ApiUser = apiUser;
            ApiKey = apiKey;
        }

        /// <summary>The server's URL, e.g. https://studio.ftrackapp.com.</summary>
        public Uri Server { get; }
        /// <summary>The API user (the ftrack username).</summary>
        public string ApiUser { get; }
        /// <summary>Handed to the session and kept private there; never printed.</summary>
        internal string ApiKey { get; }
        /// <summary>Per-request timeout (connect, send and read the whole answer).</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);
        /// <summary>Allow http:// to a host that is not loopback (the key would cross the network in clear).</summary>
        public bool AllowUnencrypted { get; set; }
        /// <summary>Where schemas are cached; null disables the cache.</summary>
        public string? SchemaCacheDirectory { get; set; } = SchemaCache.DefaultRoot();
        /// <summary>Whether reading an attribute that was not selected loads it for the whole result (the default) instead of failing.</summary>
        public bool AutoPopulate { get; set; } = true;
        /// <summary>The proxy and the certificates to trust, for every request of the session.</summary>
        public TransportSettings Transport { get; } = new();
        /// <summary>
        /// For a server running in this process (the local server): why it no longer runs, as the
        /// whole message, or null while it runs. Asked before every request, so a call to a stopped
        /// server fails at once with <see cref="FtrackLocalServerStoppedException"/> instead of
        /// retrying a refused connection, or reaching whatever listens on that port later.
        /// </summary>
        public Func<string?>? LocalServerStopped { get; set; }
        /// <summary>For tests: a handler that fakes transport faults. Null uses a real socket handler built from <see cref="Transport"/>.</summary>
        public HttpMessageHandler? Handler { get; set; }
    }
}
