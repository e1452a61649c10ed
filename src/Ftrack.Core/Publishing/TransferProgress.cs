using System.Diagnostics;
using System.Threading;

namespace Ftrack.Core.Publishing
{
    /// <summary>
    /// How far an upload or download is, shared between the thread moving the bytes and the one
    /// showing a progress bar (a cmdlet may only write progress from its own thread, so it reads
    /// these counters while the transfer runs elsewhere).
    /// </summary>
    public sealed class TransferProgress
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private long _done;
        private string _current = "";

        /// <summary>Progress over <paramref name="totalBytes"/> bytes (all the files of a component).</summary>
        public TransferProgress(long totalBytes) { TotalBytes = totalBytes; }

        /// <summary>All the bytes to move.</summary>
        public long TotalBytes { get; }

        /// <summary>Bytes moved so far.</summary>
        public long DoneBytes => Interlocked.Read(ref _done);

        /// <summary>The file being moved now (for the progress bar's status line).</summary>
        public string Current
        {
            get => Volatile.Read(ref _current);
            set => Volatile.Write(ref _current, value);
        }

        /// <summary>Seconds since the transfer began.</summary>
        public double ElapsedSeconds => _watch.Elapsed.TotalSeconds;

        /// <summary>Bytes per second so far.</summary>
        public double BytesPerSecond => ElapsedSeconds > 0 ? DoneBytes / ElapsedSeconds : 0;

        /// <summary>0–100, or -1 when the total is unknown.</summary>
        public int Percent => TotalBytes <= 0 ? (DoneBytes > 0 ? 100 : -1) : (int)(DoneBytes * 100 / TotalBytes);

        /// <summary>Seconds left at the rate so far; -1 while unknown.</summary>
        public int SecondsLeft => BytesPerSecond <= 0 || TotalBytes <= 0 ? -1 : (int)((TotalBytes - DoneBytes) / BytesPerSecond);

        internal void Add(long bytes) => Interlocked.Add(ref _done, bytes);

        /// <summary>A failed file's bytes do not count (it is sent again, or the transfer ends).</summary>
        internal void Remove(long bytes) => Interlocked.Add(ref _done, -bytes);
    }
}
