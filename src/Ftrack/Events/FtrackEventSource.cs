using System;

namespace Ftrack.Events
{
    /// <summary>
    /// The SourceObject of the PowerShell subscribers Register-FtrackEvent and Register-FtrackAction
    /// make (Get-EventSubscriber shows it). PowerShell tells a subscriber it was unregistered only
    /// when it listens to an object's event, so the subscriber listens to <see cref="Unused"/>;
    /// the ftrack events themselves are generated under its source identifier, which lets each
    /// carry its own MessageData.
    /// </summary>
    public sealed class FtrackEventSource
    {
        internal FtrackEventSource(string subscription) => Subscription = subscription;

        /// <summary>What the subscriber receives: the ftrack subscription expression(s).</summary>
        public string Subscription { get; }

        /// <summary>Never raised (see the class summary).</summary>
        public event EventHandler? Unused
        {
            add { }
            remove { }
        }

        /// <summary>The subscription.</summary>
        public override string ToString() => Subscription;
    }
}
