using System;
using System.Collections.Concurrent;

namespace Ftrack.Core.Entities
{
    /// <summary>
    /// The entity shapes of one schema registry (one server's schemas): type name → shape, with the
    /// primary keys those schemas give. Per registry, never process-wide, so two sessions to servers
    /// with different schemas never see each other's keys; reads are lock-free (the decoder asks once
    /// per decoded entity, from many threads under ForEach-Object -Parallel).
    /// </summary>
    public sealed class EntityShapes
    {
        private readonly ConcurrentDictionary<string, EntityShape> _shapes = new(StringComparer.Ordinal);
        private readonly Func<string, string[]?> _primaryKeyOf;

        /// <summary>Shapes whose primary keys come from <paramref name="primaryKeyOf"/> (null for a type it does not know: ["id"]).</summary>
        public EntityShapes(Func<string, string[]?> primaryKeyOf) { _primaryKeyOf = primaryKeyOf; }

        /// <summary>For entities made without a server's schemas (tests, scripts): every type keyed by "id".</summary>
        public static EntityShapes Unbound { get; } = new(_ => null);

        /// <summary>The one shape of an entity type in this table.</summary>
        public EntityShape For(string entityType) =>
            _shapes.TryGetValue(entityType, out var shape) ? shape
                : _shapes.GetOrAdd(entityType, t => new EntityShape(string.Intern(t), _primaryKeyOf(t) ?? EntityShape.DefaultPrimaryKey, this));
    }
}
