using System;
using System.Management.Automation;
using System.Threading;
using Ftrack.Batches;
using Ftrack.Core;
using Ftrack.Core.Transport;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// The template of every cmdlet in the module: each step (Begin/Process/End) runs inside one
    /// wrapper that maps failures once — an FtrackException that escapes a step becomes a terminating
    /// ErrorRecord from <see cref="FtrackErrorRecords"/>, a cancellation by Ctrl+C stops the pipeline —
    /// and every failure written while a batch is open in this runspace is recorded on that batch
    /// (Invoke-FtrackBatch discards a batch in which anything failed). Other exceptions are bugs and
    /// are left to surface.
    /// </summary>
    public abstract class FtrackCmdletBase : PSCmdlet
    {
        private readonly CancellationTokenSource _stopping = new();

        /// <summary>Cancelled by Ctrl+C (StopProcessing): an in-flight request is abandoned at once.</summary>
        protected CancellationToken Cancellation => _stopping.Token;

        /// <inheritdoc />
        protected sealed override void BeginProcessing() => Run(Begin);
        /// <inheritdoc />
        protected sealed override void ProcessRecord() => Run(ProcessInput);
        /// <inheritdoc />
        protected sealed override void EndProcessing() => Run(End);
        /// <inheritdoc />
        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>Once, before the pipeline input.</summary>
        protected virtual void Begin() { }
        /// <summary>Per pipeline input.</summary>
        protected virtual void ProcessInput() { }
        /// <summary>Once, after the pipeline input.</summary>
        protected virtual void End() { }

        private void Run(Action step)
        {
            try
            {
                step();
            }
            catch (FtrackException e)
            {
                ThrowFtrackError(e, null);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>Call options that route log lines to -Verbose and bodies to -Debug (on this thread), cancelled by Ctrl+C.</summary>
        protected CallOptions NewCallOptions() => new()
        {
            Log = WantsVerbose ? WriteVerbose : null,
            Debug = WantsDebug ? WriteDebug : null,
            CancellationToken = _stopping.Token,
        };

        /// <summary>Whether -Verbose (or $VerbosePreference) asks for verbose output.</summary>
        protected bool WantsVerbose => MyInvocation.BoundParameters.ContainsKey("Verbose")
            ? ((SwitchParameter)MyInvocation.BoundParameters["Verbose"]).ToBool()
            : !Equals(GetVariableValue("VerbosePreference"), ActionPreference.SilentlyContinue);

        /// <summary>Whether -Debug (or $DebugPreference) asks for debug output.</summary>
        protected bool WantsDebug => MyInvocation.BoundParameters.ContainsKey("Debug")
            ? ((SwitchParameter)MyInvocation.BoundParameters["Debug"]).ToBool()
            : !Equals(GetVariableValue("DebugPreference"), ActionPreference.SilentlyContinue);

        /// <summary>Runs one item's work; an FtrackException fails that item only (non-terminating).</summary>
        protected void ForItem(object? target, Action work)
        {
            try { work(); }
            catch (FtrackException e) when (!_stopping.IsCancellationRequested)
            {
                WriteFtrackError(e, target);
            }
        }

        /// <summary>Reports a failure of one item and goes on (non-terminating).</summary>
        protected void WriteFtrackError(FtrackException e, object? target) => WriteFailure(FtrackErrorRecords.From(e, target));

        /// <summary>Reports a failure of one item, given as a record, and goes on.</summary>
        protected void WriteFailure(ErrorRecord record)
        {
            RunspaceBatches.RecordFailure(record);
            WriteError(record);
        }

        /// <summary>Stops the command with the failure as a terminating error.</summary>
        protected void ThrowFtrackError(FtrackException e, object? target) => ThrowFailure(FtrackErrorRecords.From(e, target));

        /// <summary>Stops the command with the record as a terminating error (always throws).</summary>
        protected internal void ThrowFailure(ErrorRecord record)
        {
            RunspaceBatches.RecordFailure(record);
            if (_stopping.IsCancellationRequested)
            {
                // Ctrl+C stopped the pipeline: nothing can be written to it any more. A verdict the
                // user must see (a write whose outcome is unknown) goes to the console itself.
                if (record.Exception is FtrackOutcomeUnknownException)
                {
                    Host.UI.WriteErrorLine(MyInvocation.MyCommand.Name + ": [" + record.FullyQualifiedErrorId + "] " + record.Exception.Message);
                    if (record.ErrorDetails?.RecommendedAction is { } advice) Host.UI.WriteErrorLine(advice);
                }
                throw new PipelineStoppedException();
            }
            ThrowTerminatingError(record);
        }
    }
}
