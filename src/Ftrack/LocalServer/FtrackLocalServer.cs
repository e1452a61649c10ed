using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Security;

namespace Ftrack.LocalServer
{
    /// <summary>A running local ftrack server (a child process). The key is a SecureString, never printed.</summary>
    public sealed class FtrackLocalServer
    {
        internal FtrackLocalServer(Uri url, string apiUser, SecureString apiKey, Process process, string? databasePath)
        {
            Url = url;
            ApiUser = apiUser;
            ApiKey = apiKey;
            Process = process;
            ProcessId = process.Id;
            DatabasePath = databasePath;
        }

        public Uri Url { get; }
        public string ApiUser { get; }
        public SecureString ApiKey { get; }
        public int ProcessId { get; }
        /// <summary>The SQLite file, or null for an in-memory database.</summary>
        public string? DatabasePath { get; }
        internal Process Process { get; }

        public bool IsRunning
        {
            get
            {
                try { return !Process.HasExited; }
                catch (InvalidOperationException) { return false; }
            }
        }

        /// <summary>For Connect-Ftrack -Credential.</summary>
        public PSCredential Credential => new(ApiUser, ApiKey);

        public override string ToString() => Url.ToString();
    }
}
