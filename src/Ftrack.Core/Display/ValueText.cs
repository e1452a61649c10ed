using System;
using System.Collections;
using System.Globalization;
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
    }
}
