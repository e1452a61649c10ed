using System;
using System.Collections.Generic;
using System.Linq;
using Ftrack.Core.Entities;
using Ftrack.Core.Operations;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Writes
{
    /// <summary>What get-or-create decided: the entity, and the write it needs (none when found unchanged).</summary>
    public sealed class GetOrCreatePlan
    {
        internal GetOrCreatePlan(FtrackEntity entity, FtrackOperation? write, string query)
        {
            Entity = entity;
            Write = write;
            Query = query;
        }

        /// <summary>The found entity, or the one to create.</summary>
        public FtrackEntity Entity { get; }
        /// <summary>A create, an update of what differs, or null when the found entity already matches.</summary>
        public FtrackOperation? Write { get; }
        /// <summary>The lookup that was sent (for -Verbose).</summary>
        public string Query { get; }
    }

    /// <summary>
    /// Get-or-create (ftrack's "ensure", but updating only what differs): finds the one entity whose
    /// identifying attributes match, and plans a create when there is none or an update of the other
    /// given attributes that differ. More than one match is refused: identifying attributes must pick one.
    /// </summary>
    public static class GetOrCreate
    {
        /// <summary>Looks the entity up (one query) and plans the write it needs; names for lookup references are resolved first, through <paramref name="names"/>.</summary>
        public static GetOrCreatePlan Plan(FtrackSession session, string entityType, IReadOnlyList<KeyValuePair<string, object?>> properties, IReadOnlyList<string> identifying, CallOptions? options = null, NameLookup? names = null)
        {
            var schema = session.GetSchemas(options).Require(entityType);
            names ??= new NameLookup(session, options);
            properties = names.Resolve(schema, properties);
            var given = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in properties) given[pair.Key] = pair.Value;
            var missing = identifying.Where(p => !given.ContainsKey(p)).ToArray();
            if (missing.Length > 0)
                throw new FtrackUsageException(FtrackErrorIds.MissingIdentifyingProperty, "-Property has no value for the identifying propert" + (missing.Length == 1 ? "y " : "ies ") + string.Join(", ", missing) + ".");

            var expression = IdentityQuery.Build(schema, given, identifying);
            var matches = session.Query(expression, options).Data;
            if (matches.Count > 1)
                throw new FtrackUsageException(FtrackErrorIds.AmbiguousMatch, "More than one " + schema.Id + " matches " + string.Join(", ", identifying.Select(p => p + "=" + IdentityQuery.Show(given[p])))
                    + ": the identifying properties must pick one entity.");
            if (matches.Count == 0)
            {
                var create = WritePlanner.PlanCreate(session, schema.Id, properties, names);
                return new GetOrCreatePlan(create.Entity, create, expression);
            }
            var existing = (FtrackEntity)matches[0]!;
            var changes = properties.Where(p => !identifying.Contains(p.Key, StringComparer.OrdinalIgnoreCase)
                                                && !(existing.TryGetValue(p.Key, true, out var current) && IdentityQuery.SameValue(current, p.Value))).ToList();
            return new GetOrCreatePlan(existing, changes.Count == 0 ? null : WritePlanner.PlanUpdate(session, existing, changes, names), expression);
        }
    }
}
