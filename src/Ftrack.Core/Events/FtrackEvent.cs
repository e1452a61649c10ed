using System;
using System.Collections.Generic;

namespace Ftrack.Core.Events
{
    /// <summary>
    /// One ftrack event, as the event hub carries it: a topic, a payload (<see cref="Data"/>), who
    /// sent it (<see cref="Source"/>), an optional target expression, and for a reply the id of the
    /// event it answers. Received events hold their JSON as dictionaries (string keys, in the order
    /// received), lists, strings, numbers (long, else double), booleans and nulls.
    /// </summary>
    public sealed class FtrackEvent
    {
        /// <summary>An event to publish on <paramref name="topic"/>, with a new id; <paramref name="data"/> may hold dictionaries, lists and plain values.</summary>
        public FtrackEvent(string topic, IDictionary<string, object?>? data = null)
            : this(topic, Guid.NewGuid().ToString("N"), data ?? new Dictionary<string, object?>(), new Dictionary<string, object?>(), "", null, null)
        {
            if (string.IsNullOrEmpty(topic)) throw new ArgumentException("An event needs a topic.", nameof(topic));
        }

        internal FtrackEvent(string topic, string id, IDictionary<string, object?> data, IDictionary<string, object?> source, string target, string? inReplyToEvent, object? sent)
        {
            Topic = topic;
            Id = id;
            Data = data;
            Source = source;
            Target = target;
            InReplyToEvent = inReplyToEvent;
            Sent = sent;
        }

        /// <summary>What the event is about, e.g. "ftrack.update" (subscriptions filter on it).</summary>
        public string Topic { get; }

        /// <summary>Unique per event; a reply names it in <see cref="InReplyToEvent"/>.</summary>
        public string Id { get; }

        /// <summary>The payload.</summary>
        public IDictionary<string, object?> Data { get; }

        /// <summary>Who sent it: <c>id</c> (the sending hub), <c>user</c> (<c>username</c>, and <c>id</c> when the server sets it), <c>applicationId</c>, ...</summary>
        public IDictionary<string, object?> Source { get; }

        /// <summary>An expression naming the subscribers the event is for ("" for everyone subscribed to it), e.g. <c>id=&lt;hub id&gt;</c> for a reply.</summary>
        public string Target { get; set; }

        /// <summary>For a reply: the id of the event it answers.</summary>
        public string? InReplyToEvent { get; set; }

        /// <summary>When it was sent, if the sender said (ftrack's clients usually leave it null).</summary>
        public object? Sent { get; }

        /// <summary>The topic and id; never data (which may hold anything).</summary>
        public override string ToString() => Topic + " " + Id;
    }
}
