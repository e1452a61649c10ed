using System;
using System.Collections.Generic;
using System.Management.Automation.Runspaces;

namespace Ftrack.LocalServer
{
    /// <summary>
    /// The local servers running in this process. Each lives until Stop-FtrackLocalServer, until
    /// Remove-Module removes the module from the runspace that started it (<see cref="ModuleCleanup"/>),
    /// or until the process ends; Ctrl+C at the prompt does not touch it.
    /// </summary>
    internal static class LocalServers
    {
        private static readonly List<(FtrackLocalServer Server, Guid Runspace)> Running = new();
        private static bool _hooked;

        public static void Add(FtrackLocalServer server)
        {
            lock (Running)
            {
                Running.Add((server, CurrentRunspace()));
                if (!_hooked)
                {
                    // Closes the databases cleanly (a file database's WAL checkpointed).
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(_ => true, "was stopped when PowerShell exited");
                    _hooked = true;
                }
            }
        }

        /// <summary>Every running server, oldest first.</summary>
        public static FtrackLocalServer[] Snapshot()
        {
            lock (Running) return Running.ConvertAll(r => r.Server).ToArray();
        }

        /// <summary>The running server at that URL (scheme, host and port), for a session connected by URL.</summary>
        public static FtrackLocalServer? Find(Uri url)
        {
            var authority = url.GetLeftPart(UriPartial.Authority);
            lock (Running)
            {
                for (var i = Running.Count - 1; i >= 0; i--)
                    if (string.Equals(Running[i].Server.Url.GetLeftPart(UriPartial.Authority), authority, StringComparison.OrdinalIgnoreCase)) return Running[i].Server;
            }
            return null;
        }

        /// <summary>Stops one server; <paramref name="reason"/> completes "The local server at ... ".</summary>
        public static void Stop(FtrackLocalServer server, string reason)
        {
            lock (Running) Running.RemoveAll(r => ReferenceEquals(r.Server, server));
            server.Stop(reason);
        }

        /// <summary>Stops the servers started in this runspace (Remove-Module there).</summary>
        public static void StopStartedInThisRunspace(string reason)
        {
            var runspace = CurrentRunspace();
            Stop(started => started == runspace, reason);
        }

        private static void Stop(Func<Guid, bool> startedIn, string reason)
        {
            List<FtrackLocalServer> stopping;
            lock (Running)
            {
                stopping = Running.FindAll(r => startedIn(r.Runspace)).ConvertAll(r => r.Server);
                Running.RemoveAll(r => startedIn(r.Runspace));
            }
            foreach (var server in stopping) server.Stop(reason);
        }

        private static Guid CurrentRunspace() => Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;
    }
}
