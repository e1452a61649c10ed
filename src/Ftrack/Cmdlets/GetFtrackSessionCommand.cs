using System.Management.Automation;
using Ftrack.Core.Transport;

namespace Ftrack.Cmdlets
{
    /// <summary>Get-FtrackSession: the current default session.</summary>
    [Cmdlet(VerbsCommon.Get, "FtrackSession")]
    [OutputType(typeof(FtrackSession))]
    public sealed class GetFtrackSessionCommand : FtrackCmdletBase
    {
        /// <inheritdoc />
        protected override void End()
        {
            var session = FtrackSessionState.Default;
            if (session is null) WriteFailure(FtrackErrorRecords.NotConnected());
            else
            {
                // The caller holds it now: a later Connect-Ftrack must not close it under them.
                FtrackSessionState.MarkHandedOut(session);
                WriteObject(session);
            }
        }
    }
}
