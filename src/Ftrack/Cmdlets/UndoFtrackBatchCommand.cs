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
    /// <summary>Undo-FtrackBatch: discards the batch open in this runspace; nothing of it is sent.</summary>
    [Cmdlet(VerbsCommon.Undo, "FtrackBatch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    public sealed class UndoFtrackBatchCommand : FtrackCmdlet
    {
        /// <summary>A batch from Get-FtrackBatch (optional: the runspace's batch is the one undone).</summary>
        [Parameter(ValueFromPipeline = true)]
        public FtrackBatch? InputObject { get; set; }

        /// <inheritdoc />
        protected override void End()
        {
            var batch = RunspaceBatches.Current;
            if (batch is null || (Session != null && !ReferenceEquals(Session, batch.Session))) { WriteWarning("No batch is open: nothing to discard."); return; }
            if (!ShouldProcess("Batch of " + batch.Count + " operation(s)", "Discard")) return;
            if (batch.State == BatchState.OutcomeUnknown)
                WriteWarning("This batch was sent and its outcome is unknown: forgetting it does not undo it on the server if it was applied.");
            batch.Discard();
            RunspaceBatches.Release(batch);
        }
    }
}
