using System;
using System.Collections.Generic;
using System.Management.Automation;
using Ftrack.Core.Events;
using Ftrack.Events;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Register-FtrackAction: a custom action in a few lines. Answers <c>ftrack.action.discover</c>
    /// with the action's label, description and icon (at once, from the event hub's thread), and
    /// runs the script block for each <c>ftrack.action.launch</c> of it ($_ is the launch event),
    /// replying with its outcome. By default only the connected user's discover and launch events
    /// are answered, as ftrack's own action base class does.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "FtrackAction")]
    [OutputType(typeof(PSEventJob))]
    public sealed class RegisterFtrackActionCommand : FtrackCmdlet
    {
        /// <summary>The action's unique identifier (launch events name it as data.actionIdentifier).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Identifier { get; set; } = "";

        /// <summary>What the action is called in ftrack's action menu.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Label { get; set; } = "";

        /// <summary>A longer explanation shown with the label.</summary>
        [Parameter]
        public string? Description { get; set; }

        /// <summary>The address of an icon, or the name of one of ftrack's built-in icons.</summary>
        [Parameter]
        public string? Icon { get; set; }

        /// <summary>A second label, e.g. a version (ftrack shows "Label Variant").</summary>
        [Parameter]
        public string? Variant { get; set; }

        /// <summary>Runs on each launch; $_ is the launch event (Data.selection lists the chosen entities). Its output is the reply: a hashtable (success, message), or text as the message.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        public ScriptBlock ScriptBlock { get; set; } = null!;

        /// <summary>Answers every user's discover and launch events, not only the connected user's.</summary>
        [Parameter]
        public SwitchParameter AnyUser { get; set; }

        /// <summary>The name Unregister-Event knows the action by; Ftrack.Action.&lt;Identifier&gt; when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SourceIdentifier { get; set; }

        /// <summary>How long to wait for the event hub to connect and take the subscriptions.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public double TimeoutSec { get; set; } = 30;

        // The launch runs here, in the runspace: the user's script block with the event as $_,
        // then the reply (also when it failed).
        private const string LaunchRunner =
            "$private:launch = $Event.MessageData\n" +
            "try { $private:output = @($launch.Event | ForEach-Object -Process $launch.ScriptBlock); $launch.Complete($output, $null) }\n" +
            "catch { $launch.Complete($null, $_) }";

        /// <inheritdoc />
        protected override void End()
        {
            var session = ResolveSession();
            var hub = session.EventHub;
            var timeout = TimeSpan.FromSeconds(TimeoutSec);
            var user = AnyUser ? "" : " and source.user.username=" + FtrackEventHub.Quote(session.ApiUser);
            var item = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["label"] = Label,
                ["actionIdentifier"] = Identifier,
            };
            if (Description != null) item["description"] = Description;
            if (Icon != null) item["icon"] = Icon;
            if (Variant != null) item["variant"] = Variant;
            var discovered = new Dictionary<string, object?>(StringComparer.Ordinal) { ["items"] = new List<object?> { item } };
            var scriptBlock = ScriptBlock;
            var label = Label;
            var subscriber = PowerShellEventBridge.Register(Events, SourceIdentifier ?? "Ftrack.Action." + Identifier,
                "ftrack.action.discover, ftrack.action.launch of " + Identifier, ScriptBlock.Create(LaunchRunner), raise =>
            {
                var discover = hub.Subscribe("topic=ftrack.action.discover" + user, e =>
                {
                    try { hub.Reply(e, discovered); }
                    catch (Ftrack.Core.FtrackException) { /* The asker went away or the hub dropped: it asks again. */ }
                }, null, timeout);
                try
                {
                    var launch = hub.Subscribe("topic=ftrack.action.launch and data.actionIdentifier=" + FtrackEventHub.Quote(Identifier) + user,
                        e => raise(session, new PSObject(new ActionLaunch(hub, e, scriptBlock, label))), null, timeout);
                    return new IDisposable[] { discover, launch };
                }
                catch
                {
                    discover.Dispose();
                    throw;
                }
            });
            WriteVerbose("Action " + Identifier + " (\"" + Label + "\") answers discover and launch on " + hub + ".");
            WriteObject(subscriber.Action);
        }
    }
}
