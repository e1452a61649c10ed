using System;
using System.Collections.Generic;
using Ftrack.Core.Operations;

namespace Ftrack.Core.Transport
{
    /// <summary>
    /// A read sent ahead of need (a later page of a query), its answer buffered in the background.
    /// Complete decodes it in the caller's order; when the early send failed transiently, Complete
    /// sends it again through the session's usual retry path. Dispose cancels it if it is still
    /// on its way (the pipeline stopped).
    /// </summary>
    internal sealed class PrefetchedRead : IDisposable
    {
        private readonly FtrackSession _session;
        private readonly IReadOnlyList<FtrackOperation> _operations;
        private readonly ApiExchange.Prefetched _prefetched;

        public PrefetchedRead(FtrackSession session, IReadOnlyList<FtrackOperation> operations, ApiExchange.Prefetched prefetched)
        {
            _session = session;
            _operations = operations;
            _prefetched = prefetched;
        }

        /// <summary>The results, decoded into options.Context with rows to options.OnRow.</summary>
        public object?[] Complete(CallOptions options)
        {
            var rowsDelivered = false;
            var attempt = options;
            if (options.OnRow is { } onRow)
            {
                attempt = options.Copy();
                attempt.OnRow = (i, row) => { rowsDelivered = true; onRow(i, row); };
            }
            try
            {
                return _prefetched.Complete(attempt, options.Context ?? _session.CreateDecodeContext(options));
            }
            catch (FtrackException e) when (!rowsDelivered && _session.MaxRetries > 0 && RetryPolicy.IsTransient(e) && !options.CancellationToken.IsCancellationRequested)
            {
                options.Log?.Invoke("Sending " + OutgoingRequestBody.Summarize(_operations) + " again: " + e.Message);
                return _session.Call(_operations, options);
            }
        }

        public void Dispose() => _prefetched.Dispose();
    }
}
