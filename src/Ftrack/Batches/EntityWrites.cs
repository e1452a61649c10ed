using Ftrack.Core;
using Ftrack.Core.Operations;
using Ftrack.Core.Transport;
using Ftrack.Core.Writes;

namespace Ftrack.Batches
{
    /// <summary>
    /// Where a write goes when a batch may be open in this runspace: into it (the same session), or
    /// nowhere (a different session: refused, since one batch is one transaction on one server).
    /// </summary>
    internal static class EntityWrites
    {
        /// <summary>Queues the operation into this runspace's batch and returns it, or returns null when none is open.</summary>
        public static FtrackBatch? Queue(FtrackSession session, FtrackOperation operation)
        {
            var batch = RunspaceBatches.Current;
            if (batch is null) return null;
            if (!ReferenceEquals(batch.Session, session))
                throw new FtrackUsageException(FtrackErrorIds.BatchOnOtherSession,
                    "A batch is open in this runspace on " + batch.Session + ", and this write is for " + session
                    + ": a batch is one transaction on one server. Submit or undo the batch first, or write through its session.", UsageErrorKind.InvalidOperation);
            batch.Add(operation);
            // In a batch the objects show what they will be, so later operations can use them.
            operation.ApplyLocally();
            return batch;
        }
    }
}
