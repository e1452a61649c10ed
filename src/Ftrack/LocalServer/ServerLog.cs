using System.Collections.Generic;

namespace Ftrack.LocalServer
{
    /// <summary>
    /// What a local server running in this process reports: its diagnostic lines (the last 100;
    /// standalone it writes them to standard error, but here the console is the user's) and, if
    /// it ended on its own, why. Filled by the server's threads, read by the cmdlets.
    /// </summary>
    internal sealed class ServerLog
    {
        private const int MaxLines = 100;
        private readonly Queue<string> _lines = new();
        private volatile string? _failure;

        /// <summary>Why the server ended on its own (its HTTP listener failed); null while it runs or after it was stopped.</summary>
        public string? Failure => _failure;

        public string[] Lines
        {
            get { lock (_lines) return _lines.ToArray(); }
        }

        public void Add(string line)
        {
            lock (_lines)
            {
                if (_lines.Count == MaxLines) _lines.Dequeue();
                _lines.Enqueue(line);
            }
        }

        /// <summary>The server's callback when it has stopped: null after it was told to stop, else why it ended.</summary>
        public void Stopped(string? failure)
        {
            if (failure != null) _failure = failure;
        }
    }
}
