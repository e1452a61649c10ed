using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Ftrack.Core.Events;

namespace Ftrack.Events
{
    /// <summary>
    /// One launch of an action registered with Register-FtrackAction: the MessageData of the
    /// PowerShell event that runs its script block (on the runspace's own thread, as -Action blocks
    /// run), and the reply ftrack expects once it ran: <c>{success, message}</c>.
    /// </summary>
    public sealed class ActionLaunch
    {
        private readonly FtrackEventHub _hub;
        private readonly string _label;
        private int _completed;

        internal ActionLaunch(FtrackEventHub hub, FtrackEvent e, ScriptBlock scriptBlock, string label)
        {
            _hub = hub;
            _label = label;
            Event = new FtrackEventMessage(e);
            ScriptBlock = scriptBlock;
        }

        /// <summary>The launch event: Data.actionIdentifier, Data.selection (the entities chosen), Source.user.</summary>
        public FtrackEventMessage Event { get; }

        /// <summary>The action's script block.</summary>
        public ScriptBlock ScriptBlock { get; }

        /// <summary>
        /// Replies to the launch from what the script block gave: a hashtable is the reply's data
        /// (success and message, or more such as items); text is the message; nothing says it was
        /// launched; an error says it failed and why.
        /// </summary>
        public void Complete(object[]? output, ErrorRecord? error)
        {
            if (System.Threading.Interlocked.Exchange(ref _completed, 1) != 0)
                return;
            var data = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (error != null)
            {
                data["success"] = false;
                data["message"] = error.Exception?.Message ?? error.ToString();
            }
            else
            {
                var values = (output ?? Array.Empty<object>()).Select(o => o is PSObject ps ? ps.BaseObject : o).Where(o => o != null).ToList();
                if (values.OfType<IDictionary>().LastOrDefault() is { } reply)
                {
                    foreach (var pair in PowerShellValues.ToPairs(reply)) data[pair.Key] = pair.Value;
                    if (!data.ContainsKey("success")) data["success"] = true;
                }
                else
                {
                    data["success"] = true;
                    var text = string.Join(Environment.NewLine, values.Select(v => LanguagePrimitives.ConvertTo<string>(v)));
                    data["message"] = text.Length > 0 ? text : _label + " launched.";
                }
            }
            _hub.Reply(Event.Event, data);
        }
    }
}
