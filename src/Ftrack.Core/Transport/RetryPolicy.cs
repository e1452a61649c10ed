using System;
using System.Net.Http;

namespace Ftrack.Core.Transport
{
    /// <summary>
    /// Which failures of a read are worth another try, and how long to wait: exponential backoff
    /// with jitter (so many clients do not retry in step), or the server's own Retry-After.
    /// </summary>
    public static class RetryPolicy
    {
        private static readonly Random Jitter = new();
        /// <summary>The first retry's wait before jitter.</summary>
        public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromMilliseconds(400);
        /// <summary>No retry waits longer than this, whatever Retry-After says.</summary>
        public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

        /// <summary>Whether a read that failed this way is worth another try (refused, reset, 429, 502, 503, 504).</summary>
        public static bool IsTransient(FtrackException e) => e switch
        {
            FtrackTransportException t => t.Failure is TransportFailure.ConnectionRefused or TransportFailure.ConnectionReset,
            FtrackProtocolException p => IsTransientStatus(p.HttpStatus),
            FtrackServerException s => IsTransientStatus(s.HttpStatus),
            _ => false,
        };

        private static bool IsTransientStatus(int status) => status is 429 or 502 or 503 or 504;

        /// <summary>The wait before retry number <paramref name="attempt"/>: the server's Retry-After, or backoff with jitter.</summary>
        public static TimeSpan Delay(int attempt, TimeSpan? retryAfter, TimeSpan baseDelay)
        {
            if (retryAfter is { } wanted && wanted > TimeSpan.Zero) return wanted < MaxDelay ? wanted : MaxDelay;
            double factor;
            lock (Jitter) factor = 0.5 + Jitter.NextDouble(); // 0.5–1.5
            var ms = baseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1) * factor;
            return TimeSpan.FromMilliseconds(Math.Min(ms, MaxDelay.TotalMilliseconds));
        }

        internal static TimeSpan? RetryAfterOf(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header is null) return null;
            if (header.Delta is { } delta) return delta;
            if (header.Date is { } date) return date - DateTimeOffset.UtcNow;
            return null;
        }
    }
}
