using System;
using System.Management.Automation;
using System.Security;

namespace Ftrack.LocalServer
{
    /// <summary>
    /// A local ftrack server running inside this PowerShell process, from Start-FtrackLocalServer.
    /// The key is a SecureString, never printed.
    /// </summary>
    public sealed class FtrackLocalServer
    {
        private readonly object _gate = new();
        private readonly ServerLog _log;
        private IDisposable? _server;
        private string? _stopReason;

        internal FtrackLocalServer(Uri url, string apiUser, SecureString apiKey, string? databasePath, IDisposable server, ServerLog log)
        {
            Url = url;
            ApiUser = apiUser;
            ApiKey = apiKey;
            DatabasePath = databasePath;
            _server = server;
            _log = log;
        }

        /// <summary>The server's base URL, e.g. http://127.0.0.1:51234/.</summary>
        public Uri Url { get; }
        /// <summary>The API user.</summary>
        public string ApiUser { get; }
        /// <summary>The API key for this run.</summary>
        public SecureString ApiKey { get; }
        /// <summary>The SQLite file, or null for an in-memory database.</summary>
        public string? DatabasePath { get; }

        /// <summary>False once it was stopped or has exited.</summary>
        public bool IsRunning => StopReason == null;

        /// <summary>Why it no longer runs ("was stopped by Stop-FtrackLocalServer", "has exited: ..."); null while it runs.</summary>
        public string? StopReason
        {
            get
            {
                lock (_gate) return _log.Failure is { } failure ? "has exited: " + failure : _stopReason;
            }
        }

        /// <summary>The server's diagnostic lines, oldest first (the last 100): the details of an unexpected failure.</summary>
        public string[] Log => _log.Lines;

        /// <summary>For Connect-Ftrack -Credential.</summary>
        public PSCredential Credential => new(ApiUser, ApiKey);

        /// <inheritdoc />
        public override string ToString() => Url.ToString();

        /// <summary>
        /// What a session to this server says once it no longer runs, or null while it runs
        /// (FtrackSessionOptions.LocalServerStopped).
        /// </summary>
        internal string? StoppedMessage() => StopReason is { } reason
            ? "The local server at " + Url.GetLeftPart(UriPartial.Authority) + " " + reason + ". Start another and connect to it: Start-FtrackLocalServer | Connect-Ftrack."
            : null;

        /// <summary>Stops it (requests in flight get up to 5 seconds) and closes its database; <paramref name="reason"/> completes "The local server at ... ".</summary>
        internal void Stop(string reason)
        {
            IDisposable? server;
            lock (_gate)
            {
                _stopReason ??= reason;
                server = _server;
                // Let go of the server (its caches) once stopped: this object may be held for long.
                _server = null;
            }
            server?.Dispose();
        }
    }
}
