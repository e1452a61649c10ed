using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using Ftrack.Core.Display;
using Ftrack.Core.Entities;

namespace Ftrack.Formatting
{
    /// <summary>
    /// What the format views show: a value along a path of attributes, only as far as it is loaded.
    /// Displaying a result must never send a request, so views read through this instead of the
    /// entity's properties (which load what was not selected).
    /// </summary>
    public static class LoadedValues
    {
        private static readonly string[] LabelAttributes = { "name", "username", "key", "content" };

        /// <summary>The loaded value at "status.name" (or "name"), or null where anything on the way is not loaded.</summary>
        public static object? Get(object? value, string path)
        {
            foreach (var name in path.Split('.'))
            {
                if (value is PSObject ps) value = ps.BaseObject;
                if (value is not FtrackEntity entity || !entity.TryGetValue(name, true, out value)) return null;
            }
            return value;
        }

        /// <summary>
        /// The loaded value at a path as a table cell shows it: through collections too (the values of
        /// every item, joined), casts ignored (parent[Shot].name is the parent's name), dates with
        /// their zone (<see cref="DisplayDates"/>), entities by their name (else type and key), custom
        /// attributes and metadata as key=value pairs. Null where nothing is loaded.
        /// </summary>
        public static object? Show(object? value, string path)
        {
            var values = new List<object?> { value };
            var segments = path.Split('.');
            for (var i = 0; i < segments.Length; i++)
            {
                var bracket = segments[i].IndexOf('[');
                var name = bracket < 0 ? segments[i] : segments[i].Substring(0, bracket);
                var next = new List<object?>();
                foreach (var item in values)
                {
                    if (Unwrap(item) is not FtrackEntity entity || !entity.TryGetValue(name, true, out var found)) continue;
                    // Custom attributes and metadata as their pairs (fps=24, fstart=1001), not their items.
                    if (i == segments.Length - 1 && found is List<object?> && KeyValueCollection.Of(entity, name) is { } keyed) next.Add(KeyValueCollection.Text(entity, keyed));
                    else AddFlat(next, found);
                }
                values = next;
            }
            if (values.Count == 0) return null;
            if (values.Count == 1) return Display(values[0]);
            var parts = new List<string>(values.Count);
            foreach (var item in values) parts.Add(System.Convert.ToString(Display(item), System.Globalization.CultureInfo.CurrentCulture) ?? "");
            return string.Join(", ", parts);
        }

        /// <summary>What names an entity to a person: its loaded name, username, key or (a note) content; null when none is loaded.</summary>
        public static string? Label(object? value)
        {
            if (Unwrap(value) is not FtrackEntity entity) return null;
            foreach (var name in LabelAttributes)
                if (entity.TryGetValue(name, out var label) && label is string text) return text;
            return null;
        }

        private static object? Display(object? value) => Unwrap(value) switch
        {
            System.DateTime date => DisplayDates.Format(date),
            FtrackEntity entity => Label(entity) ?? entity.ToString(),
            var other => other,
        };

        private static void AddFlat(List<object?> into, object? value)
        {
            if (Unwrap(value) is IList list)
                foreach (var item in list) into.Add(item);
            else into.Add(value);
        }

        private static object? Unwrap(object? value) => value is PSObject ps ? ps.BaseObject : value;
    }
}
