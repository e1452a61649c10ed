using System.Management.Automation;
using Ftrack.Core.Transport;

namespace Ftrack.Cmdlets
{
    /// <summary>Get-FtrackSession: the current default session.</summary>
    [Cmdlet(VerbsCommon.Get, "FtrackSession")]
    [OutputType(typeof(FtrackSession))]
    public sealed class GetFtrackSessionCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            var session = FtrackSessionState.Default;
            if (session is null) WriteError(FtrackErrorRecords.NotConnected());
            else WriteObject(session);
        }
    }
}
