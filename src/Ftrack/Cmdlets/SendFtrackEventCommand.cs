using System;
using System.Collections.Generic;
using System.Management.Automation;
using Ftrack.Core;
using Ftrack.Core.Events;
using Ftrack.Events;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Send-FtrackEvent: publishes an event on a topic (to every subscriber, or those -Target
    /// names), or replies to one received (-ReplyTo); with -WaitForReply returns the first reply.
    /// </summary>
    [Cmdlet(VerbsCommunications.Send, "FtrackEvent", DefaultParameterSetName = PublishSet)]
    [OutputType(typeof(FtrackEventMessage))]
    public sealed class SendFtrackEventCommand : FtrackCmdlet
    {
        private const string PublishSet = "Publish";
        private const string ReplySet = "Reply";

        /// <summary>The topic, e.g. my.studio.render-finished (subscriptions filter on it).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PublishSet)]
        [ValidateNotNullOrEmpty]
        public string Topic { get; set; } = "";

        /// <summary>The payload: a hashtable (or object) of text, numbers, booleans, dates, lists and nested hashtables.</summary>
        [Parameter(Position = 1)]
        public object? Data { get; set; }

        /// <summary>Who the event is for, as an expression over subscriber metadata (e.g. id=&lt;hub id&gt;); everyone subscribed when omitted.</summary>
        [Parameter(ParameterSetName = PublishSet)]
        public string? Target { get; set; }

        /// <summary>The event to answer (the MessageData of a received event): the reply goes to its sender only.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ReplySet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public FtrackEventMessage? ReplyTo { get; set; }

        /// <summary>Waits for the first reply to the event and returns it.</summary>
        [Parameter(ParameterSetName = PublishSet)]
        public SwitchParameter WaitForReply { get; set; }

        /// <summary>How long to wait for the connection, and with -WaitForReply for the reply.</summary>
        [Parameter]
        [ValidateRange(0.001, 86400)]
        public double TimeoutSec { get; set; } = 30;

        /// <summary>Returns the event sent.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            var hub = ResolveSession().EventHub;
            var timeout = TimeSpan.FromSeconds(TimeoutSec);
            var data = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (Data != null)
            {
                var pairs = PowerShellValues.ToPairs(Data);
                if (pairs.Count == 0 && (Data is PSObject ps ? ps.BaseObject : Data) is not System.Collections.IDictionary)
                    throw new FtrackUsageException(FtrackErrorIds.InvalidValue, "-Data takes a hashtable or an object with properties, not a " + (Data is PSObject p ? p.BaseObject : Data).GetType().Name + ".");
                foreach (var pair in pairs) data[pair.Key] = pair.Value;
            }
            if (ReplyTo != null)
            {
                var reply = hub.Reply(ReplyTo.Event, data, timeout);
                if (PassThru) WriteObject(new FtrackEventMessage(reply));
                return;
            }
            var e = new FtrackEvent(Topic, data) { Target = Target ?? "" };
            if (WaitForReply)
            {
                var waiting = hub.PublishAndWaitForReplyAsync(e, timeout, Cancellation);
                // The answer may come from an -Action block of this very runspace: let PowerShell
                // run those while waiting, as Wait-Event does.
                while (!((IAsyncResult)waiting).AsyncWaitHandle.WaitOne(50))
                    PowerShellEventPump.RunPendingActions(Events);
                var answer = waiting.GetAwaiter().GetResult();
                if (PassThru) WriteObject(new FtrackEventMessage(e));
                WriteObject(new FtrackEventMessage(answer));
                return;
            }
            hub.Publish(e, timeout);
            if (PassThru) WriteObject(new FtrackEventMessage(e));
        }
    }
}
