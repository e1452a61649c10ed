using System;

namespace Ftrack.Core.Writes
{
    /// <summary>
    /// A write the schema forbids, refused on the client before anything is sent: an unknown entity
    /// type or attribute (the message lists the valid names), or an immutable attribute.
    /// </summary>
    public sealed class FtrackSchemaException : FtrackException
    {
        public FtrackSchemaException(string errorId, string message) : base(message) { _errorId = errorId; }
        private readonly string _errorId;
        public override string ErrorId => _errorId;
    }
}

namespace Ftrack.Core.Writes
{
    /// <summary>Misuse of batches: starting a second one, submitting none, submitting twice.</summary>
    public sealed class FtrackBatchException : FtrackException
    {
        public FtrackBatchException(string errorId, string message) : base(message) { _errorId = errorId; }
        private readonly string _errorId;
        public override string ErrorId => _errorId;
    }
}

namespace Ftrack.Core.Writes
{
    /// <summary>
    /// The connection broke after write operations were sent: the server may or may not have applied
    /// them. Nothing is retried; <see cref="Applied"/> says what a follow-up check found.
    /// </summary>
    public sealed class FtrackOutcomeUnknownException : FtrackException
    {
        public FtrackOutcomeUnknownException(FtrackTransportException cause, System.Collections.Generic.IReadOnlyList<Operations.FtrackOperation> operations, bool? applied)
            : base(Compose(cause, operations.Count, applied), cause)
        {
            Applied = applied;
            OperationCount = operations.Count;
            Operation = cause.Operation;
        }

        /// <summary>True: the batch was applied. False: it was not (safe to submit again). Null: unknown.</summary>
        public bool? Applied { get; }
        public int OperationCount { get; }
        public override string ErrorId => "Ftrack.OutcomeUnknown";

        private static string Compose(FtrackTransportException cause, int count, bool? applied) =>
            cause.Message + " The " + count + " write operation(s) were sent, so they were not retried. "
            + (applied switch
            {
                true => "A check found the batch's first created entity on the server: the batch WAS applied.",
                false => "A check did not find the batch's first created entity: the batch was NOT applied, and submitting it again is safe.",
                _ => "Whether the server applied them is unknown: check before submitting again.",
            });
    }
}
