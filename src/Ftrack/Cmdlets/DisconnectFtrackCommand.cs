using System.Management.Automation;
using Ftrack.Core.Transport;

namespace Ftrack.Cmdlets
{
    /// <summary>Disconnect-Ftrack: forgets the default session (or the given one) and closes its connections.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Ftrack")]
    public sealed class DisconnectFtrackCommand : PSCmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        public FtrackSession? Session { get; set; }

        protected override void ProcessRecord()
        {
            var current = FtrackSessionState.Default;
            var target = Session ?? current;
            if (target is null)
            {
                WriteVerbose("Not connected: nothing to disconnect.");
                return;
            }
            if (ReferenceEquals(target, current)) FtrackSessionState.Exchange(null);
            target.Dispose();
            WriteVerbose("Disconnected from " + target.Server + ".");
        }
    }
}
