using System;
using System.IO;
using System.Reflection;
using System.Threading.Tasks;

namespace Ftrack.LocalServer
{
    /// <summary>
    /// The server in the module's server/ folder (Ftrack.Server.dll, net8.0), loaded once per
    /// process into its own <see cref="ServerLoadContext"/> and started in this process through
    /// its entry point, Ftrack.Server.Hosting.ModuleEntry.StartAsync. Ftrack.dll does not
    /// reference the server: the two meet only through that method, whose parameters and result
    /// are framework types (see ModuleEntry for the contract).
    /// </summary>
    internal static class ServerAssembly
    {
        private const string EntryType = "Ftrack.Server.Hosting.ModuleEntry";
        private const string EntryMethod = "StartAsync";

        /// <summary>ModuleEntry.StartAsync: the command line, a sink for log lines, a callback when it stops.</summary>
        private delegate Task<(string ListeningLine, IDisposable Server)> StartServer(string[] arguments, Action<string> log, Action<string?> stopped);

        private static readonly object Gate = new();
        private static StartServer? _start;

        /// <summary>server/Ftrack.Server.dll beside this module's Ftrack.dll.</summary>
        public static string FilePath { get; } =
            Path.Combine(Path.GetDirectoryName(typeof(ServerAssembly).Assembly.Location)!, "server", "Ftrack.Server.dll");

        /// <summary>
        /// Starts a server; completes with its listening line ("Ftrack local server listening url=...
        /// api_user=... api_key=...", as the standalone server prints it) and the handle that stops it.
        /// </summary>
        public static Task<(string ListeningLine, IDisposable Server)> StartAsync(string[] arguments, Action<string> log, Action<string?> stopped)
        {
            StartServer start;
            lock (Gate) start = _start ??= Bind();
            return start(arguments, log, stopped);
        }

        private static StartServer Bind()
        {
            var context = new ServerLoadContext(Path.GetDirectoryName(FilePath)!);
            var entry = context.LoadFromAssemblyPath(FilePath).GetType(EntryType, throwOnError: true)!;
            var method = entry.GetMethod(EntryMethod, BindingFlags.Public | BindingFlags.Static)
                ?? throw new MissingMethodException(EntryType, EntryMethod);
            return (StartServer)method.CreateDelegate(typeof(StartServer));
        }
    }
}
