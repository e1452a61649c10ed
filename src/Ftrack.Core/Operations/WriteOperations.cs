using System.Collections.Generic;
using System.Text.Json;
using Ftrack.Core.Entities;
using Ftrack.Core.Json;
using Ftrack.Core.Schema;

namespace Ftrack.Core.Operations
{
    /// <summary>create and update: an entity and the attribute values to send for it.</summary>
    public abstract class EntityDataOperation : FtrackOperation
    {
        /// <summary>A write of <paramref name="data"/> for <paramref name="entity"/>, checked against <paramref name="schema"/>.</summary>
        protected EntityDataOperation(FtrackEntity entity, IDictionary<string, object?> data, EntitySchema? schema)
        {
            Entity = entity;
            Data = data;
            Schema = schema;
        }

        /// <summary>The entity written (the object the caller holds).</summary>
        public FtrackEntity Entity { get; }
        /// <summary>What is sent. For a create, the given attributes plus generated keys; folding merges later updates in.</summary>
        public IDictionary<string, object?> Data { get; }
        /// <summary>The entity type's schema, when known (dates of date-only attributes are sent as dates).</summary>
        public EntitySchema? Schema { get; }
        /// <inheritdoc />
        public override string? EntityType => Entity.EntityType;

        /// <inheritdoc />
        public override string DescribeWithValues() => Action + " " + Entity + ": " + ValuesText();

        /// <summary>"name = 'SQ010', parent = Project 'demo' (…)": the values sent, but the key (named with the entity).</summary>
        public string ValuesText()
        {
            var parts = new List<string>();
            foreach (var pair in Data)
                if (System.Array.IndexOf(Entity.Shape.PrimaryKey, pair.Key) < 0) parts.Add(pair.Key + " = " + Display.ValueText.Of(pair.Value));
            return string.Join(", ", parts);
        }

        /// <summary>Whether the operation addresses the entity by its key (update) or brings it (create).</summary>
        protected abstract bool AddressesByKey { get; }

        /// <inheritdoc />
        public override void WriteTo(Utf8JsonWriter writer, ValueEncoder encoder)
        {
            writer.WriteStartObject();
            writer.WriteString("action", Action);
            writer.WriteString("entity_type", Entity.EntityType);
            if (AddressesByKey) EntityKeys.WriteKey(writer, Entity, encoder);
            writer.WritePropertyName("entity_data");
            encoder.WriteEntityData(writer, Entity.EntityType, Data, Schema);
            writer.WriteEndObject();
        }
    }

    /// <summary>create: the entity's given attributes in full, entity values as references.</summary>
    public sealed class CreateOperation : EntityDataOperation
    {
        /// <summary>A create of <paramref name="entity"/> with <paramref name="data"/>.</summary>
        public CreateOperation(FtrackEntity entity, IDictionary<string, object?> data, EntitySchema? schema) : base(entity, data, schema) { }
        /// <inheritdoc />
        public override string Action => "create";
        /// <inheritdoc />
        protected override bool AddressesByKey => false;
        /// <inheritdoc />
        public override string Describe() => "create " + EntityKeys.Describe(Entity);
    }

    /// <summary>update: only the given attributes, addressed by the entity's primary key.</summary>
    public sealed class UpdateOperation : EntityDataOperation
    {
        /// <summary>An update of <paramref name="data"/> on <paramref name="entity"/>.</summary>
        public UpdateOperation(FtrackEntity entity, IDictionary<string, object?> data, EntitySchema? schema) : base(entity, data, schema) { }
        /// <inheritdoc />
        public override string Action => "update";
        /// <inheritdoc />
        protected override bool AddressesByKey => true;
        /// <inheritdoc />
        public override string Describe() => "update " + EntityKeys.Describe(Entity) + " (" + string.Join(", ", Data.Keys) + ")";

        /// <summary>The entity shows the values sent (in a batch: what it will be, so later operations can use it).</summary>
        internal override void ApplyLocally()
        {
            foreach (var pair in Data) Entity.Set(pair.Key, pair.Value);
            base.ApplyLocally();
        }
    }

    /// <summary>delete: addressed by the entity's primary key.</summary>
    public sealed class DeleteOperation : FtrackOperation
    {
        /// <summary>A delete of <paramref name="entity"/>.</summary>
        public DeleteOperation(FtrackEntity entity) { Entity = entity; }
        /// <summary>The entity deleted.</summary>
        public FtrackEntity Entity { get; }
        /// <inheritdoc />
        public override string Action => "delete";
        /// <inheritdoc />
        public override string? EntityType => Entity.EntityType;

        /// <inheritdoc />
        public override void WriteTo(Utf8JsonWriter writer, ValueEncoder encoder)
        {
            writer.WriteStartObject();
            writer.WriteString("action", Action);
            writer.WriteString("entity_type", Entity.EntityType);
            EntityKeys.WriteKey(writer, Entity, encoder);
            writer.WriteEndObject();
        }

        /// <inheritdoc />
        public override string Describe() => "delete " + EntityKeys.Describe(Entity);
    }

    /// <summary>How an entity is addressed in write operations and named in messages.</summary>
    public static class EntityKeys
    {
        internal static void WriteKey(Utf8JsonWriter writer, FtrackEntity entity, ValueEncoder encoder)
        {
            writer.WritePropertyName("entity_key");
            writer.WriteStartArray();
            foreach (var value in entity.PrimaryKeyValues)
            {
                if (value is null) throw new FtrackEncodingException(entity.EntityType + " has no primary key value: it cannot be updated or deleted.");
                encoder.WriteValue(writer, value);
            }
            writer.WriteEndArray();
        }

        /// <summary>"Task 3f2a…" or "Metadata parent_id=…, key=…".</summary>
        public static string Describe(FtrackEntity entity)
        {
            var pk = entity.Shape.PrimaryKey;
            var values = entity.PrimaryKeyValues;
            if (pk.Length == 1) return entity.EntityType + " " + (values[0] ?? "(no id)");
            var parts = new List<string>();
            for (var i = 0; i < pk.Length; i++) parts.Add(pk[i] + "=" + values[i]);
            return entity.EntityType + " " + string.Join(", ", parts);
        }
    }
}
