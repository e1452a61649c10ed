using System;
using System.Management.Automation;
using Ftrack.Core;
using Ftrack.Core.Transport;

namespace Ftrack.Cmdlets
{
    /// <summary>Base of every cmdlet that talks to a server: -Session, the default session, error records.</summary>
    public abstract class FtrackCmdlet : PSCmdlet
    {
        /// <summary>The session to use; the default one (from Connect-Ftrack) when omitted.</summary>
        [Parameter]
        [ValidateNotNull]
        public FtrackSession? Session { get; set; }

        /// <summary>The session to use, or a terminating "not connected" error.</summary>
        protected FtrackSession ResolveSession()
        {
            var session = Session ?? FtrackSessionState.Default;
            if (session is null) ThrowTerminatingError(FtrackErrorRecords.NotConnected());
            return session!;
        }

        private readonly System.Threading.CancellationTokenSource _stopping = new();

        /// <summary>Cancelled by Ctrl+C (StopProcessing): an in-flight request is abandoned at once.</summary>
        protected System.Threading.CancellationToken Stopping => _stopping.Token;

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>Call options that route log lines to -Verbose and bodies to -Debug (on this thread), cancelled by Ctrl+C.</summary>
        protected CallOptions NewCallOptions() => new()
        {
            Log = WantsVerbose ? WriteVerbose : null,
            Debug = WantsDebug ? WriteDebug : null,
            CancellationToken = _stopping.Token,
        };

        protected bool WantsVerbose => MyInvocation.BoundParameters.ContainsKey("Verbose")
            ? ((SwitchParameter)MyInvocation.BoundParameters["Verbose"]).ToBool()
            : !Equals(GetVariableValue("VerbosePreference"), ActionPreference.SilentlyContinue);

        protected bool WantsDebug => MyInvocation.BoundParameters.ContainsKey("Debug")
            ? ((SwitchParameter)MyInvocation.BoundParameters["Debug"]).ToBool()
            : !Equals(GetVariableValue("DebugPreference"), ActionPreference.SilentlyContinue);

        /// <summary>Reports a failure of one item and goes on (non-terminating).</summary>
        protected void WriteFtrackError(Exception e, object? target) => WriteError(FtrackErrorRecords.From(e, target));

        /// <summary>Stops the command with the failure as a terminating error.</summary>
        protected void ThrowFtrackError(Exception e, object? target) => ThrowTerminatingError(FtrackErrorRecords.From(e, target));

        /// <summary>True for the exceptions this module turns into error records.</summary>
        protected static bool IsFtrackFailure(Exception e) => e is FtrackException or ArgumentException;
    }
}
