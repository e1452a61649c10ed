using System.Management.Automation;
using Ftrack.Batches;
using Ftrack.Core.Transport;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Base of every cmdlet that talks to a server: -Session, else the session of the batch open in
    /// this runspace, else the default one from Connect-Ftrack.
    /// </summary>
    public abstract class FtrackCmdlet : FtrackCmdletBase
    {
        /// <summary>The session to use; the default one (from Connect-Ftrack) when omitted.</summary>
        [Parameter]
        [ValidateNotNull]
        public FtrackSession? Session { get; set; }

        /// <summary>The session to use, or a terminating "not connected" error.</summary>
        protected FtrackSession ResolveSession()
        {
            var session = Session ?? RunspaceBatches.Current?.Session ?? FtrackSessionState.Default;
            if (session is null) ThrowFailure(FtrackErrorRecords.NotConnected());
            return session!;
        }
    }
}
