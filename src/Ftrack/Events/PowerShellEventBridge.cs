using System;
using System.Collections.Generic;
using System.Management.Automation;
using Ftrack.Core;
using Ftrack.Core.Events;

namespace Ftrack.Events
{
    /// <summary>
    /// Brings ftrack events into PowerShell's own event system: a subscriber registered under a
    /// source identifier (as Register-EngineEvent makes), and each ftrack event generated on it
    /// with the event as MessageData. So Get-Event, Wait-Event, Remove-Event, Unregister-Event and
    /// -Action work as they do for any PowerShell event, from whichever thread the hub receives
    /// on. Unregistering the PowerShell subscriber ends the ftrack subscriptions behind it.
    /// </summary>
    internal static class PowerShellEventBridge
    {
        /// <summary>
        /// Registers <paramref name="sourceIdentifier"/> with <paramref name="action"/>, then lets
        /// <paramref name="subscribe"/> make the ftrack subscriptions (given the function that raises
        /// a PowerShell event); undoes the registration when they fail.
        /// </summary>
        public static PSEventSubscriber Register(PSEventManager events, string sourceIdentifier, string description, ScriptBlock? action,
            Func<Action<object, PSObject>, IReadOnlyList<IDisposable>> subscribe)
        {
            foreach (var existing in events.GetEventSubscribers(sourceIdentifier))
                throw new FtrackUsageException(FtrackErrorIds.SubscriberExists,
                    "An event subscriber with the source identifier \"" + sourceIdentifier + "\" exists already in this session: remove it first (Unregister-Event -SourceIdentifier '" + sourceIdentifier + "') or choose another -SourceIdentifier.",
                    UsageErrorKind.InvalidOperation);
            var subscriber = events.SubscribeEvent(new FtrackEventSource(description), nameof(FtrackEventSource.Unused), sourceIdentifier, null, action, false, false);
            IReadOnlyList<IDisposable> subscriptions;
            try
            {
                // GenerateEvent is safe from any thread: PowerShell queues the event for the runspace.
                subscriptions = subscribe((sender, messageData) => events.GenerateEvent(sourceIdentifier, sender, new object[] { messageData.BaseObject }, messageData));
            }
            catch
            {
                events.UnsubscribeEvent(subscriber);
                throw;
            }
            subscriber.Unsubscribed += (_, _) =>
            {
                foreach (var subscription in subscriptions) subscription.Dispose();
            };
            return subscriber;
        }
    }
}
