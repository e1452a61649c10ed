using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using Ftrack.Batches;
using Ftrack.Core.Entities;
using Ftrack.Core.Operations;
using Ftrack.Core.Writes;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Start-FtrackBatch: opens a batch in this runspace; until it is submitted, New-, Set- and
    /// Remove-FtrackEntity queue into it. Writes nothing unless -PassThru (the batch is the
    /// runspace's: Get-FtrackBatch finds it).
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "FtrackBatch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FtrackBatch))]
    public sealed class StartFtrackBatchCommand : FtrackCmdlet
    {
        /// <summary>Write the batch.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void End()
        {
            var session = ResolveSession();
            if (!ShouldProcess(session.ToString(), "Open a batch (later changes in this runspace are queued, not sent)")) return;
            var batch = RunspaceBatches.Start(session);
            if (PassThru) WriteObject(batch);
        }
    }
}
