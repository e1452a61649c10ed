using System;
using System.Collections.Generic;
using System.Linq;
using Ftrack.Core.Entities;
using Ftrack.Core.Operations;
using Ftrack.Core.Query;
using Ftrack.Core.Schema;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Writes
{
    /// <summary>What a note is to be: its text, where it hangs (or which note it answers), and who and what it names.</summary>
    public sealed class NoteRequest
    {
        /// <summary>The note's text.</summary>
        public string Content { get; set; } = "";
        /// <summary>The entity the note is on (a shot, task, version, ...); null for a reply.</summary>
        public FtrackEntity? Parent { get; set; }
        /// <summary>The note a reply answers; null for a new thread.</summary>
        public FtrackEntity? InReplyTo { get; set; }
        /// <summary>A NoteCategory, or its name; null for none.</summary>
        public object? Category { get; set; }
        /// <summary>Users (or groups) to notify, or usernames.</summary>
        public IReadOnlyList<object> Recipients { get; set; } = Array.Empty<object>();
        /// <summary>NoteLabels, or their names.</summary>
        public IReadOnlyList<object> Labels { get; set; } = Array.Empty<object>();
        /// <summary>The User who writes it, or a username; null for the API user.</summary>
        public object? Author { get; set; }
    }

    /// <summary>A planned note: the Note (returned at once, its id chosen here) and every operation that makes it.</summary>
    public sealed class NotePlan
    {
        internal NotePlan(FtrackEntity note, IReadOnlyList<FtrackOperation> operations)
        {
            Note = note;
            Operations = operations;
        }

        /// <summary>The note, with its author, category and recipients as objects to show.</summary>
        public FtrackEntity Note { get; }
        /// <summary>create Note, then a create of Recipient per recipient and of NoteLabelLink per label.</summary>
        public IReadOnlyList<FtrackOperation> Operations { get; }
    }

    /// <summary>
    /// Notes as ftrack's Python client makes them (create_note, create_reply), as one set of
    /// operations: create Note {content, parent_id, parent_type — "TypedContext" for shots, tasks and
    /// the other typed contexts, else the type's name —, user_id, category_id}, a Recipient
    /// {note_id, resource_id} per recipient and a NoteLabelLink {note_id, label_id} per label. A reply
    /// answers its thread's first note and hangs where the thread does. Users, categories and labels
    /// may be named (username, name): the command's <see cref="NameLookup"/> reads each type once.
    /// </summary>
    public static class NoteWrites
    {
        /// <summary>Plans the note; throws <see cref="FtrackUsageException"/> for names no entity has (UnknownName) before anything is sent.</summary>
        public static NotePlan Plan(FtrackSession session, NoteRequest request, NameLookup names, CallOptions? options = null)
        {
            var schemas = session.GetSchemas(options);
            var noteSchema = schemas.Require("Note");
            var (parentId, parentType, thread) = request.InReplyTo is { } answered ? ThreadOf(session, answered, options) : Hanging(schemas, request.Parent!);
            var author = Resolve(names, noteSchema, "author", request.Author ?? session.ApiUser);
            var category = request.Category is null ? null : Resolve(names, noteSchema, "category", request.Category);
            var data = new List<KeyValuePair<string, object?>>
            {
                new("content", request.Content),
                new("parent_id", parentId),
                new("parent_type", parentType),
                new("user_id", author.GetValue("id")),
            };
            if (category != null) data.Add(new("category_id", category.GetValue("id")));
            if (thread != null) data.Add(new("in_reply_to_id", thread));
            var note = WritePlanner.PlanCreate(session, "Note", data, names);
            var noteId = note.Entity.GetValue("id");
            // Shown at once (the table's author and category), as the server will have them; a
            // thread's first note answers none, so a reply to it needs no query even in a batch.
            note.Entity.Set("author", author);
            if (category != null) note.Entity.Set("category", category);
            if (thread is null) note.Entity.Set("in_reply_to_id", null);

            var operations = new List<FtrackOperation> { note };
            var recipientSchema = schemas.Require("Recipient");
            var recipients = new List<object?>();
            foreach (var given in request.Recipients)
            {
                var resource = Resolve(names, recipientSchema, "user", given);
                var recipient = WritePlanner.PlanCreate(session, "Recipient", new KeyValuePair<string, object?>[] { new("note_id", noteId), new("resource_id", resource.GetValue("id")) }, names);
                if (resource.EntityType == "User") recipient.Entity.Set("user", resource);
                recipients.Add(recipient.Entity);
                operations.Add(recipient);
            }
            note.Entity.Set("recipients", recipients);
            var linkSchema = schemas.Require("NoteLabelLink");
            foreach (var given in request.Labels)
            {
                var label = Resolve(names, linkSchema, "label", given);
                operations.Add(WritePlanner.PlanCreate(session, "NoteLabelLink", new KeyValuePair<string, object?>[] { new("note_id", noteId), new("label_id", label.GetValue("id")) }, names));
            }
            return new NotePlan(note.Entity, operations);
        }

        /// <summary>Where a new thread hangs: the parent's id, and "TypedContext" for a typed context (else its type).</summary>
        private static (object? ParentId, string ParentType, string? Thread) Hanging(SchemaRegistry schemas, FtrackEntity parent)
        {
            var id = parent.GetValue("id") ?? throw new FtrackUsageException(FtrackErrorIds.MissingKey, parent + " has no id: select it in the query that returned it.");
            var typedContexts = schemas.Find("TypedContext")?.AliasFor;
            var schema = schemas.Require(parent.EntityType);
            var isTypedContext = schema.Id != "Project" && typedContexts != null && schema.AliasFor == typedContexts;
            return (id, isTypedContext ? "TypedContext" : schema.Id, null);
        }

        /// <summary>A reply hangs where its thread does and answers the thread's first note (one query when the note's place is not loaded).</summary>
        private static (object? ParentId, string ParentType, string? Thread) ThreadOf(FtrackSession session, FtrackEntity note, CallOptions? options)
        {
            if (note.GetValue("id") is not string id) throw new FtrackUsageException(FtrackErrorIds.MissingKey, note + " has no id: select it in the query that returned it.");
            if (!(note.IsLoaded("parent_id") && note.IsLoaded("parent_type") && note.IsLoaded("in_reply_to_id")))
                note = session.Query("select parent_id, parent_type, in_reply_to_id from Note where id is " + QueryLiteral.Quote(id), options).Data.FirstOrDefault() as FtrackEntity
                       ?? throw new FtrackUsageException(FtrackErrorIds.EntityNotFound, "There is no Note " + id + " to reply to.", UsageErrorKind.NotFound);
            return (note.GetValue("parent_id"), note.GetValue("parent_type") as string ?? "", note.GetValue("in_reply_to_id") as string ?? id);
        }

        /// <summary>An entity given as itself, or by name through the reference <paramref name="attribute"/> of <paramref name="schema"/>.</summary>
        private static FtrackEntity Resolve(NameLookup names, EntitySchema schema, string attribute, object given) => given switch
        {
            FtrackEntity entity => entity,
            string name => names.Resolve(schema, schema.Attributes[attribute], name),
            _ => throw new FtrackUsageException(FtrackErrorIds.InvalidAttributeValue, schema.Id + "." + attribute + " takes a " + schema.Attributes[attribute].Reference
                + " entity or its name; " + Display.ValueText.Of(given) + " is neither."),
        };
    }
}
