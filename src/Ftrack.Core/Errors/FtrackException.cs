using System;

namespace Ftrack.Core
{
    /// <summary>
    /// Base of every error the client raises. Messages are plain words a person can act on and never
    /// contain the API key.
    /// </summary>
    public abstract class FtrackException : Exception
    {
        /// <summary>An error with plain words, and the exception that caused it.</summary>
        protected FtrackException(string message, Exception? inner = null) : base(message, inner) { }

        /// <summary>A stable identifier for scripts and ErrorRecords: one of <see cref="FtrackErrorIds"/>.</summary>
        public abstract string ErrorId { get; }

        /// <summary>The operation that failed ("query \"select ...\"", "create Task"), when known.</summary>
        public string? Operation { get; internal set; }

        /// <summary>The server's Retry-After (HTTP 429/503), when it sent one.</summary>
        public TimeSpan? RetryAfter { get; internal set; }
    }
}
