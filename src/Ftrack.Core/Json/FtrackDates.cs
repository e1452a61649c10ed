using System;
using System.Globalization;

namespace Ftrack.Core.Json
{
    /// <summary>
    /// Reads and writes ftrack's naive ISO date strings without culture lookups.
    /// Decoding: the value is naive; it is UTC when the server reports timezone support, and
    /// server-local (Kind=Unspecified) otherwise. Encoding: the inverse, so a value round-trips.
    /// </summary>
    public static class FtrackDates
    {
        /// <summary>Parses "yyyy-MM-dd", "yyyy-MM-ddTHH:mm[:ss[.fffffff]]" (space or T; a trailing Z or offset is honoured).</summary>
        public static bool TryParse(ReadOnlySpan<byte> s, DateTimeKind kind, out DateTime value)
        {
            value = default;
            if (s.Length < 10 || s[4] != '-' || s[7] != '-') return false;
            if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)) return false;
            int hour = 0, minute = 0, second = 0;
            long ticks = 0;
            var i = 10;
            if (s.Length > 10)
            {
                if ((s[10] != 'T' && s[10] != ' ') || s.Length < 16 || s[13] != ':') return false;
                if (!Digits(s, 11, 2, out hour) || !Digits(s, 14, 2, out minute)) return false;
                i = 16;
                if (i < s.Length && s[i] == ':')
                {
                    if (s.Length < 19 || !Digits(s, 17, 2, out second)) return false;
                    i = 19;
                    if (i < s.Length && s[i] == '.')
                    {
                        i++;
                        var start = i;
                        long fraction = 0;
                        var digits = 0;
                        while (i < s.Length && s[i] >= '0' && s[i] <= '9')
                        {
                            if (digits < 7) { fraction = fraction * 10 + (s[i] - '0'); digits++; }
                            i++;
                        }
                        if (i == start) return false;
                        for (; digits < 7; digits++) fraction *= 10;
                        ticks = fraction;
                    }
                }
            }
            TimeSpan? offset = null;
            if (i < s.Length)
            {
                if (s[i] == 'Z' && i == s.Length - 1) offset = TimeSpan.Zero;
                else if ((s[i] == '+' || s[i] == '-') && s.Length - i == 6 && s[i + 3] == ':' && Digits(s, i + 1, 2, out var oh) && Digits(s, i + 4, 2, out var om))
                    offset = s[i] == (byte)'-' ? -new TimeSpan(oh, om, 0) : new TimeSpan(oh, om, 0);
                else return false;
            }
            if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59 || second > 59) return false;
            var dt = new DateTime(year, month, day, hour, minute, second, offset.HasValue ? DateTimeKind.Utc : kind).AddTicks(ticks);
            if (offset.HasValue)
            {
                var shifted = dt.Ticks - offset.Value.Ticks;
                if (shifted < DateTime.MinValue.Ticks + TimeSpan.TicksPerDay || shifted > DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay) return false;
                dt = dt - offset.Value;
                if (kind != DateTimeKind.Utc) dt = DateTime.SpecifyKind(dt.ToLocalTime(), DateTimeKind.Unspecified);
            }
            value = dt;
            return true;
        }

        private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
        {
            value = 0;
            for (var k = start; k < start + count; k++)
            {
                var c = s[k] - '0';
                if ((uint)c > 9) return false;
                value = value * 10 + c;
            }
            return true;
        }

        /// <summary>
        /// The naive string ftrack expects: UTC for servers with timezone support (a Local value is
        /// converted first; Unspecified is taken as already in the server's zone), otherwise as given.
        /// </summary>
        public static string FormatDateTime(DateTime value, bool serverUsesUtc)
        {
            if (serverUsesUtc && value.Kind == DateTimeKind.Local) value = value.ToUniversalTime();
            else if (!serverUsesUtc && value.Kind == DateTimeKind.Utc) value = value.ToLocalTime();
            var format = value.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy'-'MM'-'dd'T'HH':'mm':'ss" : "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff";
            return value.ToString(format, CultureInfo.InvariantCulture);
        }

        /// <summary>A date as ftrack sends dates: YYYY-MM-DD.</summary>
        public static string FormatDate(DateTime value) => value.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);
    }
}
