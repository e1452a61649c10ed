using System;
using System.Collections.Generic;
using System.Linq;
using Ftrack.Core.Operations;
using Ftrack.Core.Query;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Entities
{
    /// <summary>
    /// Loads an attribute that was not selected, on first access — as ftrack's Python client does,
    /// but for every entity of the same result that lacks it, in one request per page of entities,
    /// never one request per entity. The values merge into the result's own objects (its identity
    /// map), so a loaded reference is the same object as elsewhere in the result.
    /// </summary>
    public static class AttributeLoader
    {
        /// <summary>Entities named in one query ("id in (...)").</summary>
        public const int EntitiesPerQuery = 500;
        /// <summary>Queries sent together in one request (so one request loads up to 5,000 entities).</summary>
        public const int QueriesPerRequest = 10;

        /// <summary>
        /// The schema's spelling of <paramref name="attribute"/> when it is an attribute of the
        /// entity's type that could be loaded for it; null when it is not one (then it is simply not a property).
        /// </summary>
        public static string? LoadableName(FtrackEntity entity, string attribute)
        {
            var schema = entity.Origin?.Schemas?.Find(entity.EntityType);
            if (schema is null) return null;
            foreach (var name in schema.Attributes.Keys)
                if (string.Equals(name, attribute, StringComparison.OrdinalIgnoreCase)) return name;
            return null;
        }

        /// <summary>
        /// Loads <paramref name="attribute"/> (as the schema spells it) for <paramref name="entity"/>
        /// and every entity of its type in the same result that lacks it. Throws
        /// <see cref="FtrackUsageException"/> (AttributeNotLoaded) when loading is off for the session,
        /// impossible, or the server no longer has the entity.
        /// </summary>
        public static void Load(FtrackEntity entity, string attribute, Action<string>? log = null)
        {
            var origin = entity.Origin;
            var session = origin?.Session;
            var label = entity.EntityType + "." + attribute;
            if (origin is null || session is null)
                throw NotLoaded(label + " was not loaded, and this entity was not read from a server, so it cannot be loaded.");
            if (!session.AutoPopulate)
                throw NotLoaded(label + " was not loaded: add it to the select (select ..., " + attribute + " from " + entity.EntityType
                    + "), or connect without -NoAutoPopulate to have it loaded on first use.");
            if (session.IsClosed)
                throw NotLoaded(label + " was not loaded, and the session it came from is closed: add it to the select and query again.");
            var key = entity.Shape.PrimaryKey;
            if (key.Length != 1)
                throw NotLoaded(label + " was not loaded, and " + entity.EntityType + " is keyed by " + string.Join(", ", key) + ": add it to the select.");

            List<FtrackEntity> missing;
            lock (origin.Sync)
            {
                if (entity.IsLoaded(attribute)) return;
                var tried = origin.LoadAttempts(entity.Shape, attribute);
                if (tried.Contains(entity))
                    throw NotLoaded(label + " could not be loaded: the server no longer has " + entity + ".");
                missing = origin.IdentityMap.OfShape(entity.Shape)
                    .Where(e => !e.IsLoaded(attribute) && e.GetValue(key[0]) is not null && !tried.Contains(e))
                    .ToList();
                if (!missing.Contains(entity)) missing.Add(entity);
                foreach (var e in missing) tried.Add(e);
            }

            var queries = new List<FtrackOperation>();
            for (var i = 0; i < missing.Count; i += EntitiesPerQuery)
            {
                var ids = missing.Skip(i).Take(EntitiesPerQuery).Select(e => QueryLiteral.Of(e.GetValue(key[0])));
                queries.Add(new QueryOperation("select " + key[0] + ", " + attribute + " from " + entity.EntityType + " where " + key[0] + " in (" + string.Join(", ", ids) + ")"));
            }
            var requests = (queries.Count + QueriesPerRequest - 1) / QueriesPerRequest;
            log?.Invoke("Loading '" + attribute + "' for " + missing.Count + " " + entity.EntityType + " entit" + (missing.Count == 1 ? "y" : "ies")
                + " of the result in " + requests + " request" + (requests == 1 ? "" : "s") + " (it was not in the select).");
            var options = new CallOptions { Context = origin, Log = log };
            for (var i = 0; i < queries.Count; i += QueriesPerRequest)
                session.Call(queries.Skip(i).Take(QueriesPerRequest).ToList(), options);
            if (!entity.IsLoaded(attribute))
                throw NotLoaded(label + " could not be loaded: the server no longer has " + entity + ".");
        }

        /// <summary>
        /// Makes an attribute "not loaded" again, so its next read loads it anew: after a write whose
        /// effect the client cannot compute (a custom attribute reset to its default or inherited value).
        /// </summary>
        public static void Forget(FtrackEntity entity, string attribute)
        {
            var origin = entity.Origin;
            if (origin is null) { entity.Unset(attribute); return; }
            lock (origin.Sync)
            {
                entity.Unset(attribute);
                origin.LoadAttempts(entity.Shape, attribute).Remove(entity);
            }
        }

        /// <summary>True the first time loading this attribute failed for this entity's result (so it is reported once).</summary>
        public static bool FirstFailure(FtrackEntity entity, string attribute)
        {
            var origin = entity.Origin;
            if (origin is null) return true;
            lock (origin.Sync) return origin.ReportedFailures.Add((entity.Shape, attribute));
        }

        private static FtrackUsageException NotLoaded(string message) => new(FtrackErrorIds.AttributeNotLoaded, message, UsageErrorKind.InvalidOperation);
    }
}
