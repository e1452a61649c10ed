using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Ftrack.Core;
using Ftrack.LocalServer;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Start-FtrackLocalServer: starts the bundled ftrack-compatible server inside this PowerShell
    /// process, on 127.0.0.1, and returns its URL and credentials. For demos and for Pester tests of
    /// admin scripts. Needs nothing but pwsh: no dotnet on PATH, no ASP.NET Core.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "FtrackLocalServer", SupportsShouldProcess = true)]
    [OutputType(typeof(FtrackLocalServer))]
    public sealed class StartFtrackLocalServerCommand : FtrackCmdletBase
    {
        private static readonly Regex ListeningLine = new(@"^Ftrack local server listening url=(?<url>\S+) api_user=(?<user>\S+) api_key=(?<key>\S+)$", RegexOptions.CultureInvariant);

        /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>SQLite file that keeps the data across restarts; in memory when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DatabasePath { get; set; }

        /// <summary>Demo: a studio with projects, shots, tasks, versions and notes. Empty: only reference data.</summary>
        [Parameter]
        [ValidateSet("Demo", "Empty")]
        public string Seed { get; set; } = "Demo";

        /// <summary>Seconds to wait for the server to listen (opening and seeding its database).</summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int StartTimeoutSec { get; set; } = 60;

        /// <inheritdoc />
        protected override void End()
        {
            var serverDll = ServerAssembly.FilePath;
            if (!File.Exists(serverDll))
                ThrowFailure(FtrackErrorRecords.Usage(FtrackErrorIds.LocalServerMissing, "The local server is not in this module build: " + serverDll + " is missing.", serverDll, UsageErrorKind.NotFound));

            string? database = null;
            if (DatabasePath != null) database = GetUnresolvedProviderPathFromPSPath(DatabasePath);
            var target = "a local ftrack server on 127.0.0.1:" + (Port == 0 ? "<a free port>" : Port.ToString(CultureInfo.InvariantCulture))
                + " (seed " + Seed + ", " + (database != null ? "database " + database : "in memory") + ")";
            if (!ShouldProcess(target, "Start")) return;

            var arguments = new List<string> { "--port", Port.ToString(CultureInfo.InvariantCulture), "--seed", Seed };
            if (database != null) arguments.AddRange(new[] { "--database", database });
            WriteVerbose("Starting " + serverDll + " in this process: " + string.Join(" ", arguments));

            var log = new ServerLog();
            Task<(string ListeningLine, IDisposable Server)> starting;
            try
            {
                starting = ServerAssembly.StartAsync(arguments.ToArray(), log.Add, log.Stopped);
            }
            catch (Exception e) when (e is FileLoadException or BadImageFormatException or FileNotFoundException or TypeLoadException or MissingMethodException or ArgumentException)
            {
                // A server/ folder that does not load (damaged, or from another version of the module).
                ThrowFailure(Failed("Ftrack.Server.dll does not load here: " + e.Message, serverDll));
                return;
            }
            (string ListeningLine, IDisposable Server) started;
            try
            {
                if (!starting.Wait(StartTimeoutSec * 1000, Cancellation))
                {
                    StopWhenStarted(starting);
                    ThrowFailure(Failed("no answer within " + StartTimeoutSec + " s", serverDll));
                }
                started = starting.Result;
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: nobody will get this server, so it must not be left running.
                StopWhenStarted(starting);
                throw;
            }
            catch (AggregateException e)
            {
                // Bad arguments, a port in use, a database file that is not SQLite...
                ThrowFailure(Failed(e.GetBaseException().Message, serverDll));
                return;
            }

            var match = ListeningLine.Match(started.ListeningLine);
            if (!match.Success)
            {
                started.Server.Dispose();
                ThrowFailure(Failed("it announced no URL and key (is server/ from another version of the module?)", serverDll));
            }
            var server = new FtrackLocalServer(new Uri(match.Groups["url"].Value), match.Groups["user"].Value,
                SecureStrings.FromPlainText(match.Groups["key"].Value), database, started.Server, log);
            LocalServers.Add(server);
            WriteObject(server);
        }

        private static void StopWhenStarted(Task<(string ListeningLine, IDisposable Server)> starting) =>
            starting.ContinueWith(t => t.Result.Server.Dispose(), TaskContinuationOptions.OnlyOnRanToCompletion);

        private static ErrorRecord Failed(string why, string serverDll) =>
            FtrackErrorRecords.Usage(FtrackErrorIds.LocalServerFailed, "The local server did not start: " + why, serverDll, UsageErrorKind.InvalidOperation);
    }
}
