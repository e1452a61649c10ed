using System;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Ftrack.Core.Publishing;
using Ftrack.Core.Transport;

namespace Ftrack.Publishing
{
    /// <summary>
    /// Runs an upload or download off the cmdlet's thread and shows its progress bar from the
    /// cmdlet's thread (the only one allowed to write progress): bytes done of all, the rate, the
    /// time left, and the file being moved. Ctrl+C cancels the transfer through the cmdlet's token.
    /// </summary>
    internal static class TransferRunner
    {
        private const int ActivityId = 0x0F78;
        private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

        /// <summary>Runs <paramref name="transfer"/> to its end, with a progress bar titled <paramref name="activity"/>.</summary>
        public static T Run<T>(Cmdlet cmdlet, string activity, TransferProgress progress, Func<Task<T>> transfer)
        {
            var task = Task.Run(transfer);
            var record = new ProgressRecord(ActivityId, activity, Status(progress)) { PercentComplete = 0 };
            cmdlet.WriteProgress(record);
            try
            {
                while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(Tick)) Update(cmdlet, record, progress);
            }
            finally
            {
                // The last figures, as the bar closes: what a script reading the progress stream sees even of a short transfer.
                record.RecordType = ProgressRecordType.Completed;
                try { Update(cmdlet, record, progress); } catch (PipelineStoppedException) { } catch (InvalidOperationException) { }
            }
            // The transfer's own exception (an FtrackTransferException, a server error), not an AggregateException.
            return task.GetAwaiter().GetResult();
        }

        /// <summary>
        /// Uploads the files of <paramref name="plan"/> to ftrack.server (get_upload_metadata, then a
        /// PUT per file through the session's network settings) with a progress bar, and says in
        /// -Verbose how it went. The plan's operations are the caller's to send afterwards.
        /// </summary>
        public static void Upload(Cmdlet cmdlet, FtrackSession session, PublishPlan plan, long totalBytes, string activity, CancellationToken cancellation)
        {
            var progress = new TransferProgress(totalBytes);
            using (var transfer = new ByteTransfer(session))
            {
                // Off the cmdlet's thread: the calls it makes must not write to the pipeline (no -Verbose lines).
                var calls = new CallOptions { CancellationToken = cancellation };
                Run(cmdlet, activity, progress, async () =>
                {
                    await ComponentPublisher.UploadAsync(session, plan, transfer, progress, calls, cancellation).ConfigureAwait(false);
                    return true;
                });
            }
            cmdlet.WriteVerbose("Uploaded " + Summary(progress) + ".");
        }

        private static void Update(Cmdlet cmdlet, ProgressRecord record, TransferProgress progress)
        {
            record.StatusDescription = Status(progress);
            record.PercentComplete = Math.Max(0, Math.Min(100, progress.Percent));
            record.SecondsRemaining = progress.SecondsLeft;
            record.CurrentOperation = progress.Current;
            cmdlet.WriteProgress(record);
        }

        /// <summary>"312.5 MiB of 1 GiB at 480.2 MiB/s".</summary>
        internal static string Status(TransferProgress progress) =>
            ComponentPublisher.SizeText(progress.DoneBytes) + " of " + ComponentPublisher.SizeText(progress.TotalBytes)
            + " at " + ComponentPublisher.SizeText((long)progress.BytesPerSecond) + "/s";

        /// <summary>"1 GiB in 2.1 s (487.6 MiB/s)": what -Verbose says when a transfer ends.</summary>
        internal static string Summary(TransferProgress progress) =>
            ComponentPublisher.SizeText(progress.DoneBytes) + " in " + progress.ElapsedSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s ("
            + ComponentPublisher.SizeText((long)progress.BytesPerSecond) + "/s)";
    }
}
