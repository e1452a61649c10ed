using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using Ftrack.Batches;
using Ftrack.Core;
using Ftrack.Core.Entities;
using Ftrack.Core.Writes;

namespace Ftrack.Cmdlets
{
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
}
