using System;

namespace Ftrack.Core
{
    /// <summary>A published event got no reply within the time given: nobody subscribed answers it, or its answer was slower.</summary>
    public sealed class FtrackEventReplyTimeoutException : FtrackException
    {
        /// <summary>No reply to the event <paramref name="eventId"/> on <paramref name="topic"/> within <paramref name="timeout"/>.</summary>
        public FtrackEventReplyTimeoutException(string topic, string eventId, TimeSpan timeout)
            : base("No reply to the event " + eventId + " on topic \"" + topic + "\" within " + timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)
                + " seconds: no subscriber answered it, or its answer took longer.")
        {
            Topic = topic;
            EventId = eventId;
            Timeout = timeout;
        }

        /// <summary>The topic of the event that got no reply.</summary>
        public string Topic { get; }

        /// <summary>The id of the event that got no reply.</summary>
        public string EventId { get; }

        /// <summary>How long the reply was waited for.</summary>
        public TimeSpan Timeout { get; }

        /// <inheritdoc />
        public override string ErrorId => FtrackErrorIds.EventReplyTimeout;
    }
}
