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
    /// <summary>Get-FtrackBatch: the batch open in this runspace (its operations, folded or as queued), or nothing.</summary>
    [Cmdlet(VerbsCommon.Get, "FtrackBatch")]
    [OutputType(typeof(FtrackBatch))]
    public sealed class GetFtrackBatchCommand : FtrackCmdlet
    {
        /// <inheritdoc />
        protected override void End()
        {
            var batch = RunspaceBatches.Current;
            if (batch != null && (Session is null || ReferenceEquals(Session, batch.Session))) WriteObject(batch);
        }
    }
}
