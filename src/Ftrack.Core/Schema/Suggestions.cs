using System;
using System.Collections.Generic;
using System.Linq;

namespace Ftrack.Core.Schema
{
    /// <summary>"Did you mean 'name'?" for a misspelt type or attribute: the close names by edit distance.</summary>
    public static class Suggestions
    {
        /// <summary>"Did you mean 'a' or 'b'? " (with a trailing space), or "" when nothing is close.</summary>
        public static string DidYouMean(string given, IEnumerable<string> names)
        {
            var close = Close(given, names);
            return close.Count == 0 ? "" : "Did you mean " + string.Join(" or ", close.Select(c => "'" + c + "'")) + "? ";
        }

        /// <summary>Up to three names within a quarter of the given length (at least one edit), closest first.</summary>
        public static IReadOnlyList<string> Close(string given, IEnumerable<string> names)
        {
            var lower = given.ToLowerInvariant();
            var limit = Math.Max(1, given.Length / 4);
            return names.Select(n => (name: n, distance: Distance(n.ToLowerInvariant(), lower)))
                .Where(p => p.distance <= limit)
                .OrderBy(p => p.distance).ThenBy(p => p.name, StringComparer.Ordinal)
                .Take(3).Select(p => p.name).ToList();
        }

        /// <summary>Edit distance where a swapped pair of letters ("nmae") counts as one slip.</summary>
        private static int Distance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
            for (var j = 0; j <= b.Length; j++) d[0, j] = j;
            for (var i = 1; i <= a.Length; i++)
                for (var j = 1; j <= b.Length; j++)
                {
                    d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            return d[a.Length, b.Length];
        }
    }
}
