using System.Management.Automation;
using Ftrack.LocalServer;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Stop-FtrackLocalServer: stops local servers started by Start-FtrackLocalServer (all of them
    /// when none is given). Sessions connected to a stopped server then fail with
    /// Ftrack.LocalServerStopped, saying so.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "FtrackLocalServer", SupportsShouldProcess = true)]
    public sealed class StopFtrackLocalServerCommand : FtrackCmdletBase
    {
        /// <summary>The servers to stop; all started in this process when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        public FtrackLocalServer[]? InputObject { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            foreach (var server in InputObject ?? LocalServers.Snapshot())
            {
                if (!ShouldProcess("the local ftrack server at " + server.Url, "Stop")) continue;
                WriteVerbose("Stopping the local server at " + server.Url + ".");
                LocalServers.Stop(server, "was stopped by Stop-FtrackLocalServer");
            }
        }
    }
}
