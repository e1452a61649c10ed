using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Ftrack.Batches;
using Ftrack.Core;
using Ftrack.Core.Operations;
using Ftrack.Core.Writes;

namespace Ftrack.Cmdlets
{
    /// <summary>What Submit-FtrackBatch and Invoke-FtrackBatch share: finding the batch, submitting it, and saying what became of it.</summary>
    internal static class BatchCommands
    {
        /// <summary>This runspace's batch (for the session, when given), or a terminating "no batch" error.</summary>
        public static FtrackBatch OpenBatch(FtrackCmdletBase cmdlet, Core.Transport.FtrackSession? session)
        {
            var batch = RunspaceBatches.Current;
            if (batch is null || (session != null && !ReferenceEquals(session, batch.Session)))
                throw new FtrackUsageException(FtrackErrorIds.NoBatch, "No batch is open in this runspace (it was submitted or discarded already, or never started): Start-FtrackBatch first.", UsageErrorKind.InvalidOperation);
            return batch;
        }

        /// <summary>
        /// Submits the batch with a progress bar for big ones (<see cref="BatchProgress"/>). On failure
        /// the error says what became of the batch, as its exception has it, and advises what to do; a
        /// batch the server refused stays open to fix (Submit-FtrackBatch) or is discarded (Invoke-FtrackBatch).
        /// </summary>
        public static IReadOnlyList<FtrackOperation> Submit(FtrackCmdletBase cmdlet, FtrackBatch batch, bool resend, Core.Transport.CallOptions options, bool discardOnRefusal = false)
        {
            try
            {
                var sent = BatchProgress.Sending(cmdlet, batch.Folded().Count, () => batch.Submit(options, resend));
                RunspaceBatches.Release(batch);
                return sent;
            }
            catch (FtrackException e)
            {
                if (batch.State == BatchState.Open && discardOnRefusal) batch.Discard();
                RunspaceBatches.Release(batch);
                var record = FtrackErrorRecords.From(e, batch);
                var advice = batch.State switch
                {
                    BatchState.Open => "Nothing was applied (a batch is one transaction). The batch is still open: fix it and Submit-FtrackBatch again, or Undo-FtrackBatch.",
                    BatchState.OutcomeUnknown => "The batch is kept: Submit-FtrackBatch checks whether it was applied and resolves it (-Force sends it again); Undo-FtrackBatch forgets it.",
                    BatchState.Discarded => "Nothing was applied (a batch is one transaction); the batch was discarded.",
                    _ => null,
                };
                if (advice != null) record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = advice };
                cmdlet.ThrowFailure(record);
                throw; // not reached: ThrowFailure always throws
            }
        }

        /// <summary>"New-FtrackEntity: Sequence has no attribute 'nmae'..." — a failure as one line.</summary>
        public static string Describe(ErrorRecord failure)
        {
            var command = failure.InvocationInfo?.MyCommand?.Name;
            var message = failure.ErrorDetails?.Message ?? failure.Exception?.Message ?? failure.ToString();
            return (string.IsNullOrEmpty(command) ? "" : command + ": ") + message;
        }
    }
}
