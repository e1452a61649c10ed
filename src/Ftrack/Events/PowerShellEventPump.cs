using System;
using System.Management.Automation;
using System.Reflection;

namespace Ftrack.Events
{
    /// <summary>
    /// Runs the -Action blocks of events waiting in this runspace, as Wait-Event does while it
    /// waits: a command that blocks for an answer (Send-FtrackEvent -WaitForReply) would otherwise
    /// wait in vain for an answer that an action of the same runspace is to send. PowerShell keeps
    /// this step internal (PSLocalEventManager.ProcessPendingActions), so it is found by name; when
    /// a PowerShell lacks it, the command simply waits, as before.
    /// </summary>
    internal static class PowerShellEventPump
    {
        private static readonly Lazy<MethodInfo?> ProcessPendingActions = new(() =>
            Type.GetType("System.Management.Automation.PSLocalEventManager, System.Management.Automation")
                ?.GetMethod("ProcessPendingActions", BindingFlags.Instance | BindingFlags.NonPublic, null, Type.EmptyTypes, null));

        public static void RunPendingActions(PSEventManager events)
        {
            var method = ProcessPendingActions.Value;
            if (method == null || !method.DeclaringType!.IsInstanceOfType(events))
                return;
            try
            {
                method.Invoke(events, null);
            }
            catch (TargetInvocationException error) when (error.InnerException is not null)
            {
                // An action that failed reports in its own job; the wait goes on.
            }
        }
    }
}
