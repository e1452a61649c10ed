using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Ftrack.LocalServer
{
    /// <summary>
    /// Servers started by this PowerShell process. They are stopped when the module is removed or
    /// the process exits; the server also watches --parent-pid, so even a killed pwsh leaves none behind.
    /// </summary>
    internal static class LocalServerProcesses
    {
        private static readonly List<FtrackLocalServer> Running = new();
        private static bool _hooked;

        public static void Add(FtrackLocalServer server)
        {
            lock (Running)
            {
                Running.Add(server);
                if (!_hooked)
                {
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
                    _hooked = true;
                }
            }
        }

        public static FtrackLocalServer[] Snapshot()
        {
            lock (Running) return Running.ToArray();
        }

        public static void Stop(FtrackLocalServer server)
        {
            lock (Running) Running.Remove(server);
            try
            {
                if (!server.Process.HasExited)
                {
                    server.Process.Kill();
                    server.Process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException) { }
            catch (System.ComponentModel.Win32Exception) { }
            server.Process.Dispose();
        }

        public static void StopAll()
        {
            foreach (var server in Snapshot()) Stop(server);
        }
    }
}
