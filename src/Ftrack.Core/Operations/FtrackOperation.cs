using System;
using System.Collections.Generic;
using System.Text.Json;
using Ftrack.Core.Json;

namespace Ftrack.Core.Operations
{
    /// <summary>How the response element of an operation is read.</summary>
    public enum ResultShape
    {
        /// <summary>Decoded into client values (entities, dates, dictionaries).</summary>
        Decoded,
        /// <summary>{"action":"query","data":[...],"metadata":...}: rows are streamed as they arrive.</summary>
        Query,
        /// <summary>Kept as raw JSON bytes (query_schemas, so the disk cache stores what the server sent).</summary>
        RawJson,
    }

    /// <summary>One element of the JSON array POSTed to /api.</summary>
    public abstract class FtrackOperation
    {
        /// <summary>The operation's "action", e.g. query or create.</summary>
        public abstract string Action { get; }

        /// <summary>The entity type the operation is about, when it has one (for messages).</summary>
        public virtual string? EntityType => null;

        /// <summary>How its result element is read.</summary>
        public virtual ResultShape ResultShape => ResultShape.Decoded;

        /// <summary>Only reads are retried after a transient failure; writes never are.</summary>
        public virtual bool IsReadOnly => false;

        /// <summary>Writes the operation's JSON object.</summary>
        public abstract void WriteTo(Utf8JsonWriter writer, ValueEncoder encoder);

        /// <summary>"query 'select name from Task'", "create Task", ... — names the operation in errors.</summary>
        public abstract string Describe();

        /// <summary>The operation with the values it sends, as -WhatIf and Get-FtrackBatch show it ("update Task … : bid = 3600").</summary>
        public virtual string DescribeWithValues() => Describe();

        /// <summary>
        /// What else the write changes in the client's own objects beyond its entity's attributes —
        /// the custom attributes or metadata an entity shows as a dictionary. Safe to run twice: it
        /// runs when the write is queued in a batch and again when the server applied it.
        /// </summary>
        internal Action? AlsoApply { get; set; }

        /// <summary>Keeps the client's objects in step with the write: run when it is queued in a batch and after the server applied it.</summary>
        internal virtual void ApplyLocally() => AlsoApply?.Invoke();

        /// <inheritdoc />
        public override string ToString() => Describe();
    }

    /// <summary>An operation that is only its action: {"action": "..."}.</summary>
    public abstract class ActionOnlyOperation : FtrackOperation
    {
        /// <inheritdoc />
        public override bool IsReadOnly => true;
        /// <inheritdoc />
        public override void WriteTo(Utf8JsonWriter writer, ValueEncoder encoder)
        {
            writer.WriteStartObject();
            writer.WriteString("action", Action);
            writer.WriteEndObject();
        }
        /// <inheritdoc />
        public override string Describe() => Action;
    }

    /// <summary>query_server_information: version, schema hash, timezone support.</summary>
    public sealed class QueryServerInformationOperation : ActionOnlyOperation
    {
        /// <inheritdoc />
        public override string Action => "query_server_information";
    }

    /// <summary>query_schemas: every entity type's schema.</summary>
    public sealed class QuerySchemasOperation : ActionOnlyOperation
    {
        /// <inheritdoc />
        public override string Action => "query_schemas";
        /// <inheritdoc />
        public override ResultShape ResultShape => ResultShape.RawJson;
    }

    /// <summary>query: one expression of the query language.</summary>
    public sealed class QueryOperation : FtrackOperation
    {
        /// <summary>A query of <paramref name="expression"/>, sent as it is.</summary>
        public QueryOperation(string expression) { Expression = expression; }
        /// <summary>The expression, as sent.</summary>
        public string Expression { get; }
        /// <inheritdoc />
        public override string Action => "query";
        /// <inheritdoc />
        public override bool IsReadOnly => true;
        /// <inheritdoc />
        public override ResultShape ResultShape => ResultShape.Query;
        /// <inheritdoc />
        public override void WriteTo(Utf8JsonWriter writer, ValueEncoder encoder)
        {
            writer.WriteStartObject();
            writer.WriteString("action", Action);
            writer.WriteString("expression", Expression);
            writer.WriteEndObject();
        }
        /// <summary>The expression, shortened when long (an "id in (...)" of hundreds of ids), for logs and messages.</summary>
        public override string Describe() => "query \"" + (Expression.Length <= 300 ? Expression : Expression.Substring(0, 300) + "… (" + Expression.Length + " characters)") + "\"";
    }

    /// <summary>An operation given as a dictionary (Invoke-FtrackOperation): encoded as it is.</summary>
    public sealed class RawOperation : FtrackOperation
    {
        private static readonly HashSet<string> ReadActions = new() { "query", "query_schemas", "query_server_information" };
        /// <summary>An operation whose members are <paramref name="body"/>.</summary>
        public RawOperation(IDictionary<string, object?> body)
        {
            Body = body;
            _action = body.TryGetValue("action", out var a) && a is string s ? s : "";
        }
        private readonly string _action;
        /// <summary>The members as given.</summary>
        public IDictionary<string, object?> Body { get; }
        /// <inheritdoc />
        public override string Action => _action;
        /// <inheritdoc />
        public override string? EntityType => Body.TryGetValue("entity_type", out var t) ? t as string : null;
        /// <inheritdoc />
        public override bool IsReadOnly => ReadActions.Contains(_action);
        /// <inheritdoc />
        public override ResultShape ResultShape => _action == "query_schemas" ? ResultShape.RawJson : ResultShape.Decoded;
        /// <inheritdoc />
        public override void WriteTo(Utf8JsonWriter writer, ValueEncoder encoder) => encoder.WriteRawOperation(writer, Body);
        /// <inheritdoc />
        public override string Describe() => EntityType is { } t ? _action + " " + t : _action;
    }
}
