using System;
using System.Diagnostics;
using System.IO;
using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Ftrack.Core;
using Ftrack.LocalServer;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Start-FtrackLocalServer: starts the bundled ftrack-compatible server on 127.0.0.1 as a child
    /// process and returns its URL and credentials. For demos and for Pester tests of admin scripts.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "FtrackLocalServer")]
    [OutputType(typeof(FtrackLocalServer))]
    public sealed class StartFtrackLocalServerCommand : FtrackCmdletBase
    {
        private static readonly Regex ListeningLine = new(@"^Ftrack local server listening url=(?<url>\S+) api_user=(?<user>\S+) api_key=(?<key>\S+)", RegexOptions.CultureInvariant);

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

        /// <summary>Seconds to wait for the server to report that it is listening.</summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int StartTimeoutSec { get; set; } = 60;

        /// <inheritdoc />
        protected override void End()
        {
            var moduleBase = Path.GetDirectoryName(typeof(StartFtrackLocalServerCommand).Assembly.Location)!;
            var serverDll = Path.Combine(moduleBase, "server", "Ftrack.Server.dll");
            if (!File.Exists(serverDll))
                ThrowFailure(FtrackErrorRecords.Usage(FtrackErrorIds.LocalServerMissing, "The local server is not in this module build: " + serverDll + " is missing.", serverDll, UsageErrorKind.NotFound));

            string? database = null;
            if (DatabasePath != null) database = GetUnresolvedProviderPathFromPSPath(DatabasePath);

            var psi = new ProcessStartInfo(DotnetHost(), "\"" + serverDll + "\" --port " + Port + " --seed " + Seed
                + " --parent-pid " + Process.GetCurrentProcess().Id + (database != null ? " --database \"" + database + "\"" : ""))
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = false,
                CreateNoWindow = true,
            };
            WriteVerbose("Starting " + psi.FileName + " " + psi.Arguments);
            var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var firstLine = process.StandardOutput.ReadLineAsync();
            if (!firstLine.Wait(TimeSpan.FromSeconds(StartTimeoutSec)) || firstLine.Result is not { } line || ListeningLine.Match(line) is not { Success: true } match)
            {
                try { if (!process.HasExited) process.Kill(); } catch (InvalidOperationException) { }
                process.WaitForExit(5000);
                var detail = stderr.Wait(2000) ? stderr.Result.Trim() : "";
                ThrowFailure(FtrackErrorRecords.Usage(FtrackErrorIds.LocalServerFailed, "The local server did not start: " + (detail.Length > 0 ? detail : "no answer within " + StartTimeoutSec + " s"), serverDll, UsageErrorKind.InvalidOperation));
                return;
            }
            // Keep draining stdout so the server never blocks on a full pipe.
            _ = Task.Run(() => { try { while (process.StandardOutput.ReadLine() != null) { } } catch (IOException) { } });

            var server = new FtrackLocalServer(new Uri(match.Groups["url"].Value), match.Groups["user"].Value,
                SecureStrings.FromPlainText(match.Groups["key"].Value), process, database);
            LocalServerProcesses.Add(server);
            WriteObject(server);
        }

        private static string DotnetHost()
        {
            // The host running pwsh is a dotnet host when pwsh is the .NET tool; otherwise find dotnet on PATH.
            var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
            if (!string.IsNullOrEmpty(root))
            {
                var candidate = Path.Combine(root, Path.DirectorySeparatorChar == '\\' ? "dotnet.exe" : "dotnet");
                if (File.Exists(candidate)) return candidate;
            }
            var self = Process.GetCurrentProcess().MainModule?.FileName;
            if (self != null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return self;
            return "dotnet";
        }
    }

    /// <summary>Stop-FtrackLocalServer: stops local servers started by Start-FtrackLocalServer (all of them when none is given).</summary>
    [Cmdlet(VerbsLifecycle.Stop, "FtrackLocalServer")]
    public sealed class StopFtrackLocalServerCommand : FtrackCmdletBase
    {
        /// <summary>The servers to stop; all started in this process when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        public FtrackLocalServer[]? InputObject { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            foreach (var server in InputObject ?? LocalServerProcesses.Snapshot())
            {
                WriteVerbose("Stopping the local server at " + server.Url + " (process " + server.ProcessId + ").");
                LocalServerProcesses.Stop(server);
            }
        }
    }
}
