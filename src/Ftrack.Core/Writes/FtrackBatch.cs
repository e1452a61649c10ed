using System.Collections.Generic;
using Ftrack.Core.Operations;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Writes
{
    /// <summary>Where a batch is in its life.</summary>
    public enum BatchState
    {
        /// <summary>Taking operations.</summary>
        Open,
        /// <summary>Its request is on its way; nothing can be added or submitted meanwhile.</summary>
        Submitting,
        /// <summary>Applied by the server (or proven applied after a lost answer).</summary>
        Submitted,
        /// <summary>Sent, but the answer was lost or the send was cancelled: it may or may not be applied.</summary>
        OutcomeUnknown,
        /// <summary>Thrown away; nothing was sent.</summary>
        Discarded,
    }

    /// <summary>
    /// Writes queued while a batch is open, sent together by <see cref="Submit"/> as one request — one
    /// transaction. A batch belongs to whoever opened it (the module keeps one per runspace), not to
    /// the session, so concurrent runspaces sharing a session never capture each other's writes.
    /// After the server refuses it the batch is open again, to fix and resubmit or discard; after a
    /// lost answer it is <see cref="BatchState.OutcomeUnknown"/> until a later Submit finds it applied.
    /// </summary>
    public sealed class FtrackBatch
    {
        private readonly List<FtrackOperation> _operations = new();
        private readonly object _lock = new();
        private BatchState _state = BatchState.Open;
        private IReadOnlyList<FtrackOperation>? _sent;

        /// <summary>An open, empty batch for <paramref name="session"/>.</summary>
        public FtrackBatch(FtrackSession session) { Session = session; }

        /// <summary>The session the batch is sent through.</summary>
        public FtrackSession Session { get; }

        /// <summary>Where the batch is in its life.</summary>
        public BatchState State { get { lock (_lock) return _state; } }

        /// <summary>Operations queued (before folding).</summary>
        public int Count { get { lock (_lock) return _operations.Count; } }

        /// <summary>The error of the last failed Submit, if any.</summary>
        public FtrackException? LastError { get; private set; }

        /// <summary>The operations as queued (before folding).</summary>
        public IReadOnlyList<FtrackOperation> Operations { get { lock (_lock) return _operations.ToArray(); } }

        /// <summary>What Submit sends (or sent, once the batch left the open state).</summary>
        public IReadOnlyList<FtrackOperation> Folded()
        {
            lock (_lock) return _sent ?? OperationFolder.Fold(_operations);
        }

        /// <summary>Queues an operation; refused unless the batch is open.</summary>
        public void Add(FtrackOperation operation)
        {
            lock (_lock)
            {
                RequireState(BatchState.Open);
                _operations.Add(operation);
            }
        }

        /// <summary>
        /// Sends the folded operations in one request and returns them (their entities now carry the
        /// server's values). On a batch whose outcome is unknown, checks first: when its first create
        /// is on the server the batch is marked submitted without sending anything again; when it is
        /// not found the outcome stays unknown and nothing is sent, unless <paramref name="resend"/>.
        /// </summary>
        public IReadOnlyList<FtrackOperation> Submit(CallOptions? options = null, bool resend = false)
        {
            IReadOnlyList<FtrackOperation> operations;
            bool recheck;
            lock (_lock)
            {
                if (_state != BatchState.OutcomeUnknown) RequireState(BatchState.Open);
                recheck = _state == BatchState.OutcomeUnknown && !resend;
                operations = _sent ?? OperationFolder.Fold(_operations);
                _sent = operations;
                _state = BatchState.Submitting;
            }
            if (recheck)
            {
                var applied = WriteExecutor.CheckApplied(Session, operations, options);
                if (applied == true) { Finish(BatchState.Submitted, null); return operations; }
                var check = WriteExecutor.CheckCommand(operations);
                var error = new FtrackUsageException(FtrackErrorIds.OutcomeUnknown,
                    "The batch's outcome is still unknown: " + (applied == false ? "its first created entity is not on the server (yet)" : "it could not be checked")
                    + ". The server may still be applying it" + (check is null ? "" : " (check with: " + check + ")")
                    + ". If you know it was not applied, Submit-FtrackBatch -Force sends it again; Undo-FtrackBatch forgets it.", UsageErrorKind.InvalidOperation);
                Finish(BatchState.OutcomeUnknown, error);
                throw error;
            }
            try
            {
                if (operations.Count > 0) WriteExecutor.Execute(Session, operations, options);
                Finish(BatchState.Submitted, null);
                return operations;
            }
            catch (FtrackOutcomeUnknownException e)
            {
                Finish(e.Applied ? BatchState.Submitted : BatchState.OutcomeUnknown, e);
                throw;
            }
            catch (FtrackException e)
            {
                // Refused by the server (one transaction: nothing applied), or never sent: fix and resubmit.
                lock (_lock) { _sent = null; _state = BatchState.Open; LastError = e; }
                throw;
            }
        }

        /// <summary>Throws the batch away; nothing queued is sent.</summary>
        public void Discard()
        {
            lock (_lock)
            {
                if (_state == BatchState.Submitting) throw NotInState(BatchState.Open);
                _state = BatchState.Discarded;
            }
        }

        /// <inheritdoc />
        public override string ToString() => "Batch of " + Count + " operation(s), " + State.ToString().ToLowerInvariant();

        private void Finish(BatchState state, FtrackException? error)
        {
            lock (_lock) { _state = state; if (error != null) LastError = error; }
        }

        private void RequireState(BatchState wanted)
        {
            if (_state != wanted) throw NotInState(wanted);
        }

        private FtrackUsageException NotInState(BatchState wanted) => new(FtrackErrorIds.BatchNotOpen, _state switch
        {
            BatchState.Submitting => "The batch is being submitted right now: wait for Submit-FtrackBatch to finish.",
            BatchState.Submitted => "The batch was already submitted.",
            BatchState.Discarded => "The batch was discarded.",
            BatchState.OutcomeUnknown => "The batch was sent and its outcome is unknown: Submit-FtrackBatch checks whether it was applied (and resolves it); Undo-FtrackBatch forgets it.",
            _ => "The batch is " + _state.ToString().ToLowerInvariant() + ", not " + wanted.ToString().ToLowerInvariant() + ".",
        }, UsageErrorKind.InvalidOperation);
    }
}
