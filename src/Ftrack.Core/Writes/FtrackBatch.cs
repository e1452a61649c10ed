using System;
using System.Collections.Generic;
using Ftrack.Core.Operations;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Writes
{
    public enum BatchState
    {
        Open,
        Submitted,
        Discarded,
    }

    /// <summary>
    /// Writes queued on a session while a batch is open, sent together by Submit as one request —
    /// one transaction. After a failure the batch stays open and inspectable, to fix and resubmit
    /// or discard.
    /// </summary>
    public sealed class FtrackBatch
    {
        private readonly List<FtrackOperation> _operations = new();
        private readonly object _lock = new();

        internal FtrackBatch(FtrackSession session) { Session = session; }

        public FtrackSession Session { get; }
        public BatchState State { get; private set; } = BatchState.Open;
        public int Count { get { lock (_lock) return _operations.Count; } }
        /// <summary>The error of the last failed Submit, if any.</summary>
        public FtrackException? LastError { get; private set; }

        /// <summary>The operations as queued (before folding).</summary>
        public IReadOnlyList<FtrackOperation> Operations { get { lock (_lock) return _operations.ToArray(); } }

        /// <summary>What Submit would send.</summary>
        public IReadOnlyList<FtrackOperation> Folded() => OperationFolder.Fold(Operations);

        public void Add(FtrackOperation operation)
        {
            lock (_lock)
            {
                if (State != BatchState.Open) throw new InvalidOperationException("The batch was already " + State.ToString().ToLowerInvariant() + ".");
                _operations.Add(operation);
            }
        }

        /// <summary>Sends every queued operation in one request. Throws, leaving the batch open, on failure.</summary>
        public object?[] Submit(CallOptions? options = null)
        {
            var folded = Folded();
            try
            {
                var results = folded.Count == 0 ? Array.Empty<object?>() : WriteExecutor.Execute(Session, folded, options);
                lock (_lock) State = BatchState.Submitted;
                Session.EndBatch(this);
                return results;
            }
            catch (FtrackException e)
            {
                LastError = e;
                if (e is FtrackOutcomeUnknownException { Applied: true })
                {
                    // The server has it: resubmitting would only fail on the existing ids.
                    lock (_lock) State = BatchState.Submitted;
                    Session.EndBatch(this);
                }
                throw;
            }
        }

        public void Discard()
        {
            lock (_lock) State = BatchState.Discarded;
            Session.EndBatch(this);
        }

        public override string ToString() => "Batch of " + Count + " operation(s), " + State.ToString().ToLowerInvariant();
    }
}
