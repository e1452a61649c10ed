using System;
using System.Collections.Generic;
using Ftrack.Core.Entities;
using Ftrack.Core.Schema;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Json
{
    /// <summary>
    /// What decoding needs beyond the bytes: the identity map (shared by every page of one query),
    /// how to read naive dates, and the server's entity shapes. It is also what a decoded entity
    /// remembers as its origin: the session and the result whose other entities an attribute that
    /// was not selected is loaded for.
    /// </summary>
    public sealed class DecodeContext
    {
        /// <summary>A context for one result; <paramref name="session"/> enables loading attributes that were not selected.</summary>
        public DecodeContext(DateTimeKind dateKind, SchemaRegistry? schemas = null, IdentityMap? identityMap = null, FtrackSession? session = null)
        {
            DateKind = dateKind;
            Schemas = schemas;
            Shapes = schemas?.Shapes ?? EntityShapes.Unbound;
            IdentityMap = identityMap ?? new IdentityMap();
            IdentityMap.Owner ??= this;
            Session = session;
        }

        /// <summary>(type, key) → the one entity object, across every page and every load of this result.</summary>
        public IdentityMap IdentityMap { get; }
        /// <summary>The server's schemas, when known.</summary>
        public SchemaRegistry? Schemas { get; }
        /// <summary>The entity shapes decoded entities get (the schemas', or unbound ones).</summary>
        public EntityShapes Shapes { get; }
        /// <summary>Utc when the server reports timezone support; Unspecified (server local) otherwise.</summary>
        public DateTimeKind DateKind { get; }
        /// <summary>The session the result came from; null for bytes decoded without one.</summary>
        public FtrackSession? Session { get; }

        /// <summary>
        /// What the query selected, when it had a select: its rows (entities of the queried type, or
        /// of a type that aliases it) are shown with those columns. Held here, once per result,
        /// rather than as a field of every entity.
        /// </summary>
        public Query.QueryProjection? Projection { get; internal set; }

        /// <summary>
        /// Held while a value is decoded into this context's entities. A query's producer thread
        /// decodes pages while the pipeline thread may load an attribute for the same result: both
        /// merge into the same objects, one at a time. Never held across I/O.
        /// </summary>
        public object Sync { get; } = new();

        internal Utf8StringCache Strings { get; } = new();
        internal BoxCache Boxes { get; } = new();

        // (type, attribute) → the entities a load of that attribute was already tried for, so an
        // entity the server no longer has fails clearly instead of being asked for again and again.
        private readonly Dictionary<(EntityShape, string), HashSet<FtrackEntity>> _loadAttempts = new();

        /// <summary>(type, attribute) pairs whose failure to load was already reported (under <see cref="Sync"/>).</summary>
        internal HashSet<(EntityShape, string)> ReportedFailures { get; } = new();

        /// <summary>The entities a load of this attribute was tried for (call under <see cref="Sync"/>).</summary>
        internal HashSet<FtrackEntity> LoadAttempts(EntityShape shape, string attribute)
        {
            if (!_loadAttempts.TryGetValue((shape, attribute), out var set)) _loadAttempts[(shape, attribute)] = set = new HashSet<FtrackEntity>();
            return set;
        }
    }
}
