using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Management.Automation;
using Ftrack.Core.Entities;

namespace Ftrack
{
    /// <summary>PowerShell values → plain CLR values the client can encode.</summary>
    internal static class PowerShellValues
    {
        public static object? ToClr(object? value)
        {
            if (value is PSObject ps)
            {
                if (ps.BaseObject is PSCustomObject) return PropertiesOf(ps);
                value = ps.BaseObject;
            }
            switch (value)
            {
                case null: return null;
                case string or FtrackEntity: return value;
                case IDictionary dictionary:
                    var copy = new OrderedDictionary();
                    foreach (DictionaryEntry entry in dictionary) copy[entry.Key] = ToClr(entry.Value);
                    return copy;
                case object[] or IList when value is not byte[]:
                    var list = new List<object?>();
                    foreach (var item in (IEnumerable)value) list.Add(ToClr(item));
                    return list;
                default:
                    return value;
            }
        }

        /// <summary>A hashtable's entries, or an object's properties (a CSV row, a PSCustomObject).</summary>
        public static List<KeyValuePair<string, object?>> ToPairs(object? input)
        {
            var pairs = new List<KeyValuePair<string, object?>>();
            var baseObject = input is PSObject ps ? ps.BaseObject : input;
            if (baseObject is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                    pairs.Add(new KeyValuePair<string, object?>(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "", ToClr(entry.Value)));
                return pairs;
            }
            if (input is PSObject wrapped)
            {
                foreach (var property in wrapped.Properties)
                    if (property.IsGettable && property is PSNoteProperty or PSProperty)
                        pairs.Add(new KeyValuePair<string, object?>(property.Name, ToClr(property.Value)));
            }
            return pairs;
        }

        private static OrderedDictionary PropertiesOf(PSObject ps)
        {
            var result = new OrderedDictionary();
            foreach (var property in ps.Properties) result[property.Name] = ToClr(property.Value);
            return result;
        }
    }
}
