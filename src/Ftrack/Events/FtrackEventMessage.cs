using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using Ftrack.Core.Events;

namespace Ftrack.Events
{
    /// <summary>
    /// An ftrack event as PowerShell shows it: the <c>MessageData</c> of every event
    /// Register-FtrackEvent brings in, and what Send-FtrackEvent -WaitForReply returns. Data and
    /// Source are objects (nested objects and arrays), so <c>$e.Data.entities[0].changes.statusid.new</c>
    /// reads as it does in the ftrack documentation.
    /// </summary>
    public sealed class FtrackEventMessage
    {
        internal FtrackEventMessage(FtrackEvent e)
        {
            Event = e;
            Data = ToObject(e.Data);
            Source = ToObject(e.Source);
        }

        /// <summary>The event as the client holds it (Send-FtrackEvent -ReplyTo answers it).</summary>
        internal FtrackEvent Event { get; }

        /// <summary>What the event is about, e.g. ftrack.update.</summary>
        public string Topic => Event.Topic;

        /// <summary>Unique per event; a reply names it in InReplyToEvent.</summary>
        public string Id => Event.Id;

        /// <summary>The payload, as objects.</summary>
        public PSObject Data { get; }

        /// <summary>Who sent it: id (the sending hub), user.username, applicationId...</summary>
        public PSObject Source { get; }

        /// <summary>The expression naming who the event is for ("" for every subscriber).</summary>
        public string Target => Event.Target;

        /// <summary>For a reply: the id of the event it answers.</summary>
        public string? InReplyToEvent => Event.InReplyToEvent;

        /// <summary>When it was sent, when the sender said.</summary>
        public object? Sent => Event.Sent;

        /// <summary>The topic and id.</summary>
        public override string ToString() => Event.ToString();

        /// <summary>Received JSON (dictionaries, lists, values) as PSCustomObjects and arrays.</summary>
        internal static object? ToPowerShell(object? value)
        {
            switch (value)
            {
                case IDictionary<string, object?> map:
                    return ToObject(map);
                case IList list when value is not string:
                    var items = new object?[list.Count];
                    for (var i = 0; i < items.Length; i++) items[i] = ToPowerShell(list[i]);
                    return items;
                default:
                    return value;
            }
        }

        private static PSObject ToObject(IDictionary<string, object?> map)
        {
            var result = new PSObject();
            foreach (var pair in map)
                result.Properties.Add(new PSNoteProperty(pair.Key, ToPowerShell(pair.Value)));
            return result;
        }
    }
}
