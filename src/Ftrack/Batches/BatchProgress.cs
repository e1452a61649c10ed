using System.Globalization;
using System.Management.Automation;
using Ftrack.Core.Writes;

namespace Ftrack.Batches
{
    /// <summary>
    /// The progress of a batch, the same whichever cmdlet builds or sends it (Start-/Submit-FtrackBatch
    /// or Invoke-FtrackBatch): one activity, "Ftrack batch", that counts operations as they are queued
    /// (every 1,000) and then says it is sending them, until the answer is in.
    /// </summary>
    internal static class BatchProgress
    {
        /// <summary>The activity every record of a batch's progress has.</summary>
        public const string Activity = "Ftrack batch";
        private const int ActivityId = 0x0F78;
        private const int QueuedStep = 1000;
        /// <summary>Smaller batches are sent too fast for a bar to help.</summary>
        private const int SendingThreshold = 100;

        /// <summary>After an operation was queued: a record for every 1,000th.</summary>
        public static void Queued(Cmdlet cmdlet, FtrackBatch batch)
        {
            var count = batch.Count;
            if (count % QueuedStep == 0) cmdlet.WriteProgress(Record("Queued " + Count(count) + " operations", ProgressRecordType.Processing));
        }

        /// <summary>Writes the sending record (for batches big enough) around <paramref name="send"/>, and completes the activity after it, however it ends.</summary>
        public static T Sending<T>(Cmdlet cmdlet, int count, System.Func<T> send)
        {
            var show = count >= SendingThreshold;
            try
            {
                if (show) cmdlet.WriteProgress(Record("Sending " + Count(count) + " operations in one request", ProgressRecordType.Processing));
                return send();
            }
            finally
            {
                // A record of its own: hosts and Streams.Progress keep the ones written before as they were.
                if (show) try { cmdlet.WriteProgress(Record("Sent " + Count(count) + " operations", ProgressRecordType.Completed)); } catch (PipelineStoppedException) { }
            }
        }

        private static ProgressRecord Record(string status, ProgressRecordType type) =>
            new(ActivityId, Activity, status) { PercentComplete = -1, RecordType = type };

        private static string Count(int count) => count.ToString("N0", CultureInfo.InvariantCulture);
    }
}
