using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using Ftrack.Batches;
using Ftrack.Core;
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

    /// <summary>
    /// Invoke-FtrackBatch: runs a script block with a batch open, in the caller's scope (what it
    /// assigns stays), and submits the batch when the script block succeeded. All or nothing: a
    /// terminating error, an error written by any command, or any failure of an Ftrack command
    /// (whatever -ErrorAction says) discards the batch, sends nothing, and ends with a terminating
    /// error naming the first failure. Emits the script block's output afterwards, when its entities
    /// carry the server's values.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "FtrackBatch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FtrackEntity), typeof(PSObject))]
    public sealed class InvokeFtrackBatchCommand : FtrackCmdlet
    {
        // Dot-sources the block (the caller's scope) and merges its error stream into its output,
        // so errors written by any command inside are seen here. $args keeps no name in the caller's scope.
        private static readonly ScriptBlock RunInCallerScope = ScriptBlock.Create(". $args[0] 2>&1");

        /// <summary>The commands that build the batch.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        public ScriptBlock ScriptBlock { get; set; } = null!;

        /// <inheritdoc />
        protected override void End()
        {
            var batch = RunspaceBatches.Start(ResolveSession());
            var output = new List<PSObject>();
            ErrorRecord? failure;
            try
            {
                Collection<PSObject> results = InvokeCommand.InvokeScript(false, RunInCallerScope, null, ScriptBlock);
                var written = new List<ErrorRecord>();
                foreach (var item in results)
                {
                    if (item?.BaseObject is ErrorRecord error) written.Add(error);
                    else output.Add(item!);
                }
                foreach (var error in written) WriteError(error);
                failure = RunspaceBatches.FirstFailure ?? written.FirstOrDefault();
            }
            catch (Exception e) when (e is not PipelineStoppedException)
            {
                failure = RunspaceBatches.FirstFailure ?? (e as IContainsErrorRecord)?.ErrorRecord ?? new ErrorRecord(e, "ScriptBlockFailed", ErrorCategory.NotSpecified, null);
            }
            catch (PipelineStoppedException)
            {
                Discard(batch);
                throw;
            }
            if (failure != null)
            {
                var count = batch.Count;
                Discard(batch);
                ThrowFailure(FtrackErrorRecords.From(new FtrackUsageException(FtrackErrorIds.BatchDiscarded,
                    "The batch of " + count + " operation(s) was discarded and nothing was sent, because a command in the script block failed: "
                    + BatchCommands.Describe(failure), UsageErrorKind.InvalidOperation), null));
                return;
            }
            var folded = batch.Folded();
            if (folded.Count > 0 && !ShouldProcess(batch.Session.Server.ToString(), "Submit " + folded.Count + " operation(s) in one request"))
            {
                Discard(batch);
                return;
            }
            BatchCommands.Submit(this, batch, resend: false, NewCallOptions(), discardOnRefusal: true);
            foreach (var item in output) WriteObject(item);
        }

        private static void Discard(FtrackBatch batch)
        {
            batch.Discard();
            RunspaceBatches.Release(batch);
        }
    }

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
