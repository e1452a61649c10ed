using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Ftrack.Core.Entities;
using Ftrack.Core.Query;
using Ftrack.Core.Schema;

namespace Ftrack.Core.Writes
{
    /// <summary>
    /// The query that finds an entity by its identifying properties (get-or-create), with every value
    /// escaped, and the comparison that decides whether a found entity needs an update.
    /// </summary>
    internal static class IdentityQuery
    {
        /// <summary>"select &lt;key and given attributes&gt; from T where &lt;identifying&gt; limit 2": two rows are enough to see ambiguity.</summary>
        public static string Build(EntitySchema schema, IDictionary<string, object?> given, IEnumerable<string> identifying)
        {
            var select = new List<string>(schema.PrimaryKey);
            var where = new List<string>();
            foreach (var pair in given)
            {
                var name = schema.Attributes.Keys.FirstOrDefault(k => string.Equals(k, pair.Key, StringComparison.OrdinalIgnoreCase)) ?? pair.Key;
                var isEntity = pair.Value is FtrackEntity || pair.Value is IDictionary d && d.Contains("__entity_type__");
                if (!select.Contains(name)) select.Add(isEntity ? name + ".id" : name);
                if (identifying.Contains(pair.Key, StringComparer.OrdinalIgnoreCase)) where.Add(Condition(name, pair.Value));
            }
            return "select " + string.Join(", ", select) + " from " + schema.Id + " where " + string.Join(" and ", where) + " limit 2";
        }

        private static string Condition(string name, object? value) => value switch
        {
            null => name + " is None",
            FtrackEntity entity => name + ".id is " + QueryLiteral.Of(entity["id"]),
            IDictionary d when d.Contains("__entity_type__") => name + ".id is " + QueryLiteral.Of(d["id"]),
            _ => name + " is " + QueryLiteral.Of(value),
        };

        /// <summary>A value as a person reads it in a message.</summary>
        public static string Show(object? value) => value is FtrackEntity e ? e.ToString() : QueryLiteral.Of(value);

        /// <summary>Whether a found value equals the given one (entities by key, numbers by value, lists item by item).</summary>
        public static bool SameValue(object? current, object? given)
        {
            if (current is null || given is null) return current is null && given is null;
            if (current is FtrackEntity a)
            {
                var id = given switch { FtrackEntity b => b["id"], IDictionary d => d["id"], _ => given };
                return Equals(a["id"], id);
            }
            if (current is IList currentItems && given is IList givenItems && current is not string && given is not string)
            {
                if (currentItems.Count != givenItems.Count) return false;
                for (var i = 0; i < currentItems.Count; i++) if (!SameValue(currentItems[i], givenItems[i])) return false;
                return true;
            }
            if (current is DateTime ca && given is DateTime ga) return ca.ToUniversalTime() == (ga.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(ga, DateTimeKind.Utc) : ga.ToUniversalTime());
            if (IsNumber(current) && IsNumber(given)) return Convert.ToDouble(current, CultureInfo.InvariantCulture) == Convert.ToDouble(given, CultureInfo.InvariantCulture);
            return Equals(current, given) || string.Equals(Convert.ToString(current, CultureInfo.InvariantCulture), Convert.ToString(given, CultureInfo.InvariantCulture), StringComparison.Ordinal) && current.GetType() == given.GetType();
        }

        private static bool IsNumber(object v) => v is int or long or double or float or decimal or short or byte;
    }
}
