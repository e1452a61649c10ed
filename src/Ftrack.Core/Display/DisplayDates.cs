using System;
using System.Globalization;

namespace Ftrack.Core.Display
{
    /// <summary>
    /// Dates as people are shown them - the format views, -WhatIf, Get-FtrackBatch: the same text on every machine (yyyy-MM-dd HH:mm:ss, not the
    /// culture's pattern) followed by the zone, so UTC is told from local time at a glance. The
    /// values stay DateTime (scripts compare, sort and convert them); only what is shown says
    /// where the time is: "UTC" for Kind Utc (servers with timezone support), the offset for a
    /// local value ("+01:00"), "server time" for the naive times of servers without timezone
    /// support. A date-only value (midnight, Kind Unspecified) is the day alone.
    /// </summary>
    internal static class DisplayDates
    {
        /// <summary>The date as a cell or list entry shows it.</summary>
        public static string Format(DateTime value)
        {
            var invariant = CultureInfo.InvariantCulture;
            switch (value.Kind)
            {
                case DateTimeKind.Utc:
                    return value.ToString("yyyy'-'MM'-'dd HH':'mm':'ss", invariant) + " UTC";
                case DateTimeKind.Local:
                    var offset = TimeZoneInfo.Local.GetUtcOffset(value);
                    return value.ToString("yyyy'-'MM'-'dd HH':'mm':'ss", invariant) + " " + (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString("hh':'mm", invariant);
                default:
                    return value.TimeOfDay == TimeSpan.Zero
                        ? value.ToString("yyyy'-'MM'-'dd", invariant)
                        : value.ToString("yyyy'-'MM'-'dd HH':'mm':'ss", invariant) + " server time";
            }
        }
    }
}
