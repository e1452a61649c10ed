using System;
using System.Collections.Generic;
using System.Linq;
using Ftrack.Core.Entities;
using Ftrack.Core.Schema;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Writes
{
    /// <summary>
    /// References to lookup entities given by name, as people write them (status = 'Approved'):
    /// Status, Type, Priority, ObjectType, NoteCategory and NoteLabel by name, User by username - types whose
    /// names are unique in practice. Each type is read once (one query) per lookup; a command makes
    /// one lookup and keeps it, so a thousand rows naming statuses cost one query, sent before the
    /// write is planned (inside a batch too, before queuing). A name that no entity has, or that
    /// several have, is refused with the valid names. Text for any other reference is refused too,
    /// saying what the attribute takes, instead of the server's JSON advice.
    /// </summary>
    public sealed class NameLookup
    {
        private const int NamesShown = 20;
        private static readonly Dictionary<string, string> NameAttributes = new(StringComparer.Ordinal)
        {
            ["Status"] = "name", ["Type"] = "name", ["Priority"] = "name", ["ObjectType"] = "name", ["NoteCategory"] = "name", ["NoteLabel"] = "name", ["User"] = "username",
        };

        private readonly FtrackSession _session;
        private readonly CallOptions? _options;
        private readonly Dictionary<string, List<FtrackEntity>> _entities = new(StringComparer.Ordinal);

        /// <summary>A lookup through <paramref name="session"/>; nothing is read until a name needs it.</summary>
        public NameLookup(FtrackSession session, CallOptions? options = null)
        {
            _session = session;
            _options = options;
        }

        /// <summary>The session the names are read from.</summary>
        public FtrackSession Session => _session;

        /// <summary>The properties with every name given for a lookup reference replaced by its entity.</summary>
        internal List<KeyValuePair<string, object?>> Resolve(EntitySchema schema, IEnumerable<KeyValuePair<string, object?>> properties) =>
            properties.Select(pair => schema.Attributes.FirstOrDefault(a => string.Equals(a.Key, pair.Key, StringComparison.OrdinalIgnoreCase)).Value is { IsReference: true } attribute && pair.Value is string name
                ? new KeyValuePair<string, object?>(pair.Key, Resolve(schema, attribute, name))
                : pair).ToList();

        /// <summary>The entity <paramref name="name"/> names for <paramref name="attribute"/> (a reference of <paramref name="schema"/>).</summary>
        internal FtrackEntity Resolve(EntitySchema schema, AttributeSchema attribute, string name)
        {
            var type = attribute.Reference!;
            var label = schema.Id + "." + attribute.Name;
            if (!NameAttributes.TryGetValue(type, out var nameAttribute))
            {
                var foreignKey = schema.Attributes.ContainsKey(attribute.Name + "_id") ? ", or its id as " + attribute.Name + "_id" : "";
                throw new FtrackUsageException(FtrackErrorIds.InvalidAttributeValue, label + " takes a " + type + " entity (from Invoke-FtrackQuery or New-FtrackEntity)"
                    + foreignKey + "; '" + name + "' is text.");
            }
            var entities = EntitiesOf(type, nameAttribute);
            var matches = entities.Where(e => string.Equals(e.GetValue(nameAttribute) as string, name, StringComparison.Ordinal)).ToList();
            if (matches.Count == 0) matches = entities.Where(e => string.Equals(e.GetValue(nameAttribute) as string, name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 1) return matches[0];
            var names = entities.Select(e => e.GetValue(nameAttribute) as string).OfType<string>().Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
            var valid = "Valid " + nameAttribute + "s: " + string.Join(", ", names.Take(NamesShown)) + (names.Count > NamesShown ? ", ... (" + names.Count + " in all)" : "") + ".";
            if (matches.Count > 1)
                throw new FtrackUsageException(FtrackErrorIds.AmbiguousMatch, label + ": " + matches.Count + " " + type + " entities are named '" + name + "': give the entity itself. " + valid);
            throw new FtrackUsageException(FtrackErrorIds.UnknownName, label + ": no " + type + " is named '" + name + "'. " + Suggestions.DidYouMean(name, names) + valid, UsageErrorKind.NotFound);
        }

        private List<FtrackEntity> EntitiesOf(string type, string nameAttribute)
        {
            if (!_entities.TryGetValue(type, out var entities))
            {
                entities = _session.Query("select " + nameAttribute + " from " + type, _options).Data.OfType<FtrackEntity>().ToList();
                _entities[type] = entities;
            }
            return entities;
        }
    }
}
