using System.Management.Automation;
using Ftrack.Core.Transport;

namespace Ftrack.Cmdlets
{
    /// <summary>Disconnect-Ftrack: forgets the default session (or the given one) and closes its connections.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Ftrack")]
    public sealed class DisconnectFtrackCommand : FtrackCmdletBase
    {
        /// <summary>The session to close; the default one when omitted.</summary>
        [Parameter(ValueFromPipeline = true)]
        public FtrackSession? Session { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            var current = FtrackSessionState.Default;
            var target = Session ?? current;
            if (target is null)
            {
                WriteVerbose("Not connected: nothing to disconnect.");
                return;
            }
            if (ReferenceEquals(target, current)) FtrackSessionState.Replace(null);
            target.Dispose();
            WriteVerbose("Disconnected from " + target.Server + ".");
        }
    }
}
