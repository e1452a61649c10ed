using System;
using System.Globalization;
using System.Text;
using Ftrack.Core.Json;

namespace Ftrack.Core.Query
{
    /// <summary>
    /// Values written into a query expression: strings double-quoted with \ and " escaped, so no
    /// value can change the expression around it. The one place queries are built from values.
    /// </summary>
    public static class QueryLiteral
    {
        /// <summary>A value as a literal of the query language: quoted and escaped strings, None, numbers, dates.</summary>
        public static string Of(object? value) => value switch
        {
            null => "None",
            bool b => b ? "true" : "false",
            DateTime dt => Quote(FtrackDates.FormatDateTime(dt, serverUsesUtc: true)),
            string s => Quote(s),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => Quote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
        };

        /// <summary>A string in double quotes with \ and " escaped.</summary>
        public static string Quote(string s)
        {
            var sb = new StringBuilder(s.Length + 2).Append('"');
            foreach (var c in s)
            {
                if (c == '"' || c == '\\') sb.Append('\\');
                sb.Append(c);
            }
            return sb.Append('"').ToString();
        }
    }
}
