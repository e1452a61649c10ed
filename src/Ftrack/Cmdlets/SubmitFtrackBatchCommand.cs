using System;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using Ftrack.Batches;
using Ftrack.Core.Entities;
using Ftrack.Core.Operations;
using Ftrack.Core.Writes;

namespace Ftrack.Cmdlets
{
    /// <summary>Submit-FtrackBatch: sends the open batch as one request — one transaction — and emits the created and updated entities.</summary>
    [Cmdlet(VerbsLifecycle.Submit, "FtrackBatch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FtrackEntity))]
    public sealed class SubmitFtrackBatchCommand : FtrackCmdlet
    {
        /// <summary>Send a batch whose outcome is unknown again, without first checking whether it was applied.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void End()
        {
            var batch = BatchCommands.OpenBatch(this, Session);
            var folded = batch.Folded();
            if (batch.State == BatchState.Open && folded.Count == 0)
            {
                WriteWarning("The batch is empty: nothing to submit. It is closed.");
                batch.Discard();
                RunspaceBatches.Release(batch);
                return;
            }
            if (RunspaceBatches.FirstFailure is { } failure)
                WriteWarning("A command failed while this batch was open (" + BatchCommands.Describe(failure) + "); submitting what was queued.");
            var listing = string.Join(Environment.NewLine, folded.Select((op, i) => "  " + i + ": " + op.DescribeWithValues()));
            var verb = batch.State == BatchState.OutcomeUnknown && !Force ? "Check whether the batch of " : "Submit ";
            if (!ShouldProcess("Submitting " + folded.Count + " operation(s) in one request to " + batch.Session.Server + ":" + Environment.NewLine + listing,
                    verb + folded.Count + " operation(s) to " + batch.Session.Server + "?", "Submit-FtrackBatch"))
                return;
            var sent = BatchCommands.Submit(this, batch, Force, NewCallOptions());
            WriteVerbose("Submitted " + sent.Count + " operation(s) in one request.");
            foreach (var op in sent)
                if (op is EntityDataOperation written) WriteObject(written.Entity);
        }
    }
}
