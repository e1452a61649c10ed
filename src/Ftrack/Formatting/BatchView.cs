using System.Linq;
using Ftrack.Core.Writes;

namespace Ftrack.Formatting
{
    /// <summary>What Get-FtrackBatch shows of a batch: the operations it will send (folded), each with its values.</summary>
    public static class BatchView
    {
        private const int Shown = 20;

        /// <summary>"0: create Sequence … : name = 'SQ010', …" one per line; the first 20, then how many more.</summary>
        public static string Operations(FtrackBatch batch)
        {
            var folded = batch.Folded();
            var lines = folded.Take(Shown).Select((op, i) => i + ": " + op.DescribeWithValues()).ToList();
            if (folded.Count > Shown) lines.Add("... and " + (folded.Count - Shown).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " more");
            return lines.Count == 0 ? "(none)" : string.Join("\n", lines);
        }
    }
}
