using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace Ftrack.Adapters
{
    /// <summary>
    /// The server's plain JSON objects (server information, operation results, metadata), which the
    /// decoder reads as dictionaries, as PowerShell objects: properties in the server's order, nested
    /// objects as objects too, entities as they are. A dictionary would show as Key/Value rows (and
    /// nested ones as "System.Collections.Generic.Dictionary`2[...]"), and two of them in a row
    /// would run together into one table.
    /// </summary>
    internal static class ResultObjects
    {
        /// <summary><paramref name="value"/> with every dictionary in it made an object; <paramref name="typeNames"/> go first on the outer one.</summary>
        public static object? From(object? value, params string[] typeNames)
        {
            var converted = Convert(value);
            if (converted is PSObject ps)
                for (var i = typeNames.Length - 1; i >= 0; i--) ps.TypeNames.Insert(0, typeNames[i]);
            return converted;
        }

        private static object? Convert(object? value)
        {
            switch (value)
            {
                case IDictionary<string, object?> dictionary:
                    var result = new PSObject();
                    foreach (var pair in dictionary) result.Properties.Add(new PSNoteProperty(pair.Key, Convert(pair.Value)));
                    return result;
                case IList list:
                    var items = new object?[list.Count];
                    for (var i = 0; i < items.Length; i++) items[i] = Convert(list[i]);
                    return items;
                default:
                    return value;
            }
        }
    }
}
