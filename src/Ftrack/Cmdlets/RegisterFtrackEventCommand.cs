using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using Ftrack.Core.Events;
using Ftrack.Events;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Register-FtrackEvent: subscribes to ftrack events (an ftrack subscription expression) and
    /// brings each one into PowerShell's event queue under -SourceIdentifier, with the ftrack event
    /// as the PowerShell event's MessageData; with -Action, runs the script block for each instead.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "FtrackEvent")]
    [OutputType(typeof(PSEventJob))]
    public sealed class RegisterFtrackEventCommand : FtrackCmdlet
    {
        /// <summary>Which events: ftrack's expression syntax, e.g. topic=ftrack.update, or topic=my.* and source.user.username="jane".</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Subscription { get; set; } = "";

        /// <summary>Runs for each event ($Event.MessageData is the ftrack event); without it, events wait in the queue for Wait-Event and Get-Event.</summary>
        [Parameter(Position = 1)]
        public ScriptBlock? Action { get; set; }

        /// <summary>The name Wait-Event, Get-Event and Unregister-Event know the subscription by; a new GUID when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SourceIdentifier { get; set; }

        /// <summary>Extra subscriber metadata, which targeted events are matched against (e.g. @{ name = 'farm-sync' } for events with -Target 'name=farm-sync').</summary>
        [Parameter]
        public Hashtable? Subscriber { get; set; }

        /// <summary>How long to wait for the event hub to connect and take the subscription.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public double TimeoutSec { get; set; } = 30;

        /// <inheritdoc />
        protected override void End()
        {
            var session = ResolveSession();
            var hub = session.EventHub;
            var sourceIdentifier = SourceIdentifier ?? Guid.NewGuid().ToString();
            Dictionary<string, object?>? metadata = null;
            if (Subscriber != null)
            {
                metadata = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var pair in PowerShellValues.ToPairs(Subscriber)) metadata[pair.Key] = pair.Value;
            }
            var timeout = TimeSpan.FromSeconds(TimeoutSec);
            var subscriber = PowerShellEventBridge.Register(Events, sourceIdentifier, Subscription, Action, raise =>
                new IDisposable[] { hub.Subscribe(Subscription, e => raise(session, new PSObject(new FtrackEventMessage(e))), metadata, timeout) });
            WriteVerbose("Subscribed to \"" + Subscription + "\" as " + sourceIdentifier + " on " + hub + ".");
            if (subscriber.Action != null)
                WriteObject(subscriber.Action);
        }
    }
}
