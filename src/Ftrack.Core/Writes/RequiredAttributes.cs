using System;
using System.Collections.Generic;
using System.Linq;
using Ftrack.Core.Schema;

namespace Ftrack.Core.Writes
{
    /// <summary>
    /// What a create must be given, so that a create missing several attributes is refused once,
    /// naming them all, instead of once per round trip. The schema's "required" list is not that
    /// list: it names what the database needs, much of which the server fills in itself. Taken out
    /// (checked against ftrack's schemas and the local server):
    /// <list type="bullet">
    /// <item>attributes with a schema default (ids with "{uid}", priority_id, object_type_id, ...);</item>
    /// <item>numbers and booleans (bid, sort, is_active: they start at zero and false);</item>
    /// <item>what the server derives: context_type (from the type), status_id of contexts and
    /// asset versions (the workflow's first status), a project's status ("active"), and the
    /// author of notes, timelogs and versions (user_id: the API user);</item>
    /// <item>type_id of typed contexts other than Task (only tasks must have a type).</item>
    /// </list>
    /// Added: a parent for every context but a project. A relation given as an object (parent)
    /// satisfies its foreign key (parent_id), and the other way round. When unsure, an attribute is
    /// not demanded: the server still has the last word.
    /// </summary>
    internal static class RequiredAttributes
    {
        private static readonly HashSet<string> ServerDerived = new(StringComparer.Ordinal) { "context_type", "status_id" };
        private static readonly HashSet<string> AuthoredTypes = new(StringComparer.Ordinal) { "Note", "Timelog", "AssetVersion" };
        private const string ProjectType = "Project", TaskType = "Task";

        /// <summary>The attributes a create of <paramref name="schema"/> with <paramref name="given"/> lacks, as a person names them (relation first: "parent (or parent_id)").</summary>
        public static IReadOnlyList<string> Missing(EntitySchema schema, ICollection<string> given)
        {
            var isContext = schema.Attributes.ContainsKey("context_type");
            var needed = schema.Required.Where(name => schema.Attributes.TryGetValue(name, out var a) && !FilledByServer(schema, a, isContext)).ToList();
            if (isContext && schema.Id != ProjectType && schema.Attributes.ContainsKey("parent_id")) needed.Add("parent_id");
            var missing = new List<string>();
            foreach (var name in needed.Distinct())
            {
                var counterpart = Counterpart(schema, name);
                if (given.Contains(name) || counterpart != null && given.Contains(counterpart)) continue;
                missing.Add(counterpart is null ? name
                    : schema.Attributes[name].IsReference ? name + " (or " + counterpart + ")" : counterpart + " (or " + name + ")");
            }
            return missing;
        }

        private static bool FilledByServer(EntitySchema schema, AttributeSchema attribute, bool isContext) =>
            attribute.HasDefault
            || attribute.Type is "integer" or "number" or "boolean"
            || ServerDerived.Contains(attribute.Name)
            || attribute.Name == "status" && schema.Id == ProjectType
            || attribute.Name == "user_id" && AuthoredTypes.Contains(schema.Id)
            || attribute.Name == "type_id" && isContext && schema.Id != TaskType;

        /// <summary>parent ↔ parent_id: the relation and its foreign key, when the schema has both.</summary>
        private static string? Counterpart(EntitySchema schema, string name)
        {
            if (name.EndsWith("_id", StringComparison.Ordinal) && schema.Attributes.TryGetValue(name.Substring(0, name.Length - 3), out var relation) && relation.IsReference)
                return relation.Name;
            return schema.Attributes.TryGetValue(name, out var attribute) && attribute.IsReference && schema.Attributes.ContainsKey(name + "_id") ? name + "_id" : null;
        }
    }
}
