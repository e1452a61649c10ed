using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;

namespace Ftrack.Core.Events
{
    /// <summary>
    /// One subscription of an <see cref="FtrackEventHub"/>: events matching <see cref="Expression"/>
    /// (and targeted at no one, or at this subscriber) reach its handler until it is disposed.
    /// It survives reconnections: the hub subscribes it again on every new connection.
    /// </summary>
    public sealed class FtrackEventSubscription : IDisposable
    {
        private readonly FtrackEventHub _hub;
        private int _disposed;

        internal FtrackEventSubscription(FtrackEventHub hub, string expression, EventExpression parsed, IDictionary<string, object?> subscriber, Action<FtrackEvent> handler)
        {
            _hub = hub;
            Expression = expression;
            Parsed = parsed;
            Subscriber = subscriber;
            SubscriberJson = EventJson.ToElement(subscriber);
            Id = (string)subscriber["id"]!;
            Handler = handler;
        }

        /// <summary>The subscriber's id (the server and targeted events know it by this).</summary>
        public string Id { get; }

        /// <summary>The subscription expression, as given.</summary>
        public string Expression { get; }

        /// <summary>The subscriber's metadata (at least its id): what targeted events are matched against.</summary>
        public IDictionary<string, object?> Subscriber { get; }

        /// <summary>Events delivered to the handler so far.</summary>
        public long Delivered => Interlocked.Read(ref _delivered);

        /// <summary>False once disposed: no event reaches the handler any more.</summary>
        public bool IsActive => Volatile.Read(ref _disposed) == 0;

        internal long _delivered;
        internal EventExpression Parsed { get; }
        internal JsonElement SubscriberJson { get; }
        internal Action<FtrackEvent> Handler { get; }

        /// <summary>Unsubscribes: no more events reach the handler, and the server is told (when connected).</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            _hub.Remove(this);
        }

        /// <summary>The expression and id.</summary>
        public override string ToString() => Expression + " (" + Id + ")";
    }
}
