using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using Ftrack.Core.Entities;

namespace Ftrack.Core.Display
{
    /// <summary>
    /// A value as a message shows it (-WhatIf, -Confirm, Get-FtrackBatch): text quoted and shortened,
    /// entities by their ToString ("Status 'Approved' (id)"), dates with their zone, lists by size.
    /// </summary>
    internal static class ValueText
    {
        private const int MaxText = 40;

        public static string Of(object? value) => value switch
        {
            null => "None",
            string text => "'" + (text.Length <= MaxText ? text : text.Substring(0, MaxText) + "…") + "'",
            bool flag => flag ? "True" : "False",
            DateTime date => DisplayDates.Format(date),
            FtrackEntity entity => entity.ToString(),
            IDictionary reference when reference.Contains("__entity_type__") => reference["__entity_type__"] + " (" + reference["id"] + ")",
            ICollection items => items.Count + " item" + (items.Count == 1 ? "" : "s"),
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };

        /// <summary>A value as a cell shows it: text as it is, dates with their zone, a list's items joined with "|", entities by name or key.</summary>
        public static string Plain(object? value) => value switch
        {
            null => "",
            string text => text,
            DateTime date => DisplayDates.Format(date),
            FtrackEntity entity => entity.GetValue("name") as string ?? entity.ToString(),
            IEnumerable items and not IDictionary => string.Join("|", items.Cast<object?>().Select(Plain)),
            IFormattable formattable => formattable.ToString(null, CultureInfo.CurrentCulture),
            _ => value.ToString() ?? "",
        };
    }
}
