using System;
using System.Linq;
using System.Management.Automation;
using Ftrack.Core;
using Ftrack.Core.Entities;
using Ftrack.Core.Writes;

namespace Ftrack.Cmdlets
{
    /// <summary>Start-FtrackBatch: opens a batch; until it is submitted, New-, Set- and Remove-FtrackEntity queue into it.</summary>
    [Cmdlet(VerbsLifecycle.Start, "FtrackBatch")]
    [OutputType(typeof(FtrackBatch))]
    public sealed class StartFtrackBatchCommand : FtrackCmdlet
    {
        protected override void EndProcessing()
        {
            var session = ResolveSession();
            try { WriteObject(session.StartBatch()); }
            catch (FtrackException e) { ThrowFtrackError(e, session.CurrentBatch); }
        }
    }

    /// <summary>Submit-FtrackBatch: sends the open batch as one request — one transaction — and emits the created and updated entities.</summary>
    [Cmdlet(VerbsLifecycle.Submit, "FtrackBatch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FtrackEntity))]
    public sealed class SubmitFtrackBatchCommand : FtrackCmdlet
    {
        protected override void EndProcessing()
        {
            var session = ResolveSession();
            var batch = session.CurrentBatch;
            if (batch is null)
            {
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException("No batch is open on this session (it was submitted or discarded already, or never started): Start-FtrackBatch first."),
                    "Ftrack.NoBatch", ErrorCategory.InvalidOperation, null));
                return;
            }
            var folded = batch.Folded();
            if (folded.Count == 0)
            {
                WriteWarning("The batch is empty: nothing to submit. It is closed.");
                batch.Discard();
                return;
            }
            var listing = string.Join(Environment.NewLine, folded.Select((op, i) => "  " + i + ": " + op.Describe()));
            if (!ShouldProcess("Submitting " + folded.Count + " operation(s) in one request to " + session.Server + ":" + Environment.NewLine + listing,
                    "Submit " + folded.Count + " operation(s) to " + session.Server + "?", "Submit-FtrackBatch"))
                return;
            var progress = new ProgressRecord(0x0F78, "Submit-FtrackBatch", "Sending " + folded.Count + " operations in one request") { PercentComplete = -1 };
            var showProgress = folded.Count >= 100;
            try
            {
                if (showProgress) WriteProgress(progress);
                batch.Submit(NewCallOptions());
            }
            catch (FtrackException e)
            {
                var record = FtrackErrorRecords.From(e, batch);
                record.ErrorDetails = new ErrorDetails(e.Message + " Nothing was applied; the batch is still open: fix it and Submit-FtrackBatch again, or Undo-FtrackBatch.");
                ThrowTerminatingError(record);
                return;
            }
            finally
            {
                if (showProgress) { progress.RecordType = ProgressRecordType.Completed; WriteProgress(progress); }
            }
            WriteVerbose("Submitted " + folded.Count + " operation(s) in one request.");
            foreach (var op in folded)
            {
                if (op is Core.Operations.EntityDataOperation written) WriteObject(written.Entity);
            }
        }
    }

    /// <summary>Get-FtrackBatch: the open batch (its operations, folded or as queued), or nothing.</summary>
    [Cmdlet(VerbsCommon.Get, "FtrackBatch")]
    [OutputType(typeof(FtrackBatch))]
    public sealed class GetFtrackBatchCommand : FtrackCmdlet
    {
        protected override void EndProcessing()
        {
            var batch = ResolveSession().CurrentBatch;
            if (batch != null) WriteObject(batch);
        }
    }

    /// <summary>Undo-FtrackBatch: discards the open batch; nothing was sent.</summary>
    [Cmdlet(VerbsCommon.Undo, "FtrackBatch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    public sealed class UndoFtrackBatchCommand : FtrackCmdlet
    {
        protected override void EndProcessing()
        {
            var batch = ResolveSession().CurrentBatch;
            if (batch is null) { WriteWarning("No batch is open: nothing to discard."); return; }
            if (ShouldProcess("Batch of " + batch.Count + " operation(s)", "Discard")) batch.Discard();
        }
    }

    /// <summary>
    /// Invoke-FtrackBatch: runs a script block with a batch open, submits it when the script block
    /// succeeds, and discards it on a terminating error. Emits the script block's output afterwards,
    /// when its entities carry the server's values.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "FtrackBatch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    public sealed class InvokeFtrackBatchCommand : FtrackCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        public ScriptBlock ScriptBlock { get; set; } = null!;

        protected override void EndProcessing()
        {
            var session = ResolveSession();
            FtrackBatch batch;
            try { batch = session.StartBatch(); }
            catch (FtrackException e) { ThrowFtrackError(e, null); return; }
            System.Collections.ObjectModel.Collection<PSObject> output;
            try
            {
                output = ScriptBlock.Invoke();
            }
            catch (Exception)
            {
                batch.Discard();
                WriteVerbose("The script block failed: the batch of " + batch.Count + " operation(s) was discarded; nothing was sent.");
                throw;
            }
            var folded = batch.Folded();
            if (folded.Count > 0 && !ShouldProcess(session.Server.ToString(), "Submit " + folded.Count + " operation(s) in one request"))
            {
                batch.Discard();
                return;
            }
            try { batch.Submit(NewCallOptions()); }
            catch (FtrackException e)
            {
                batch.Discard();
                var record = FtrackErrorRecords.From(e, null);
                record.ErrorDetails = new ErrorDetails(e.Message + " Nothing was applied.");
                ThrowTerminatingError(record);
            }
            foreach (var item in output) WriteObject(item);
        }
    }
}
