using System.Collections.Generic;
using Ftrack.Core.Operations;

namespace Ftrack.Core
{
    /// <summary>
    /// The exchange broke (or was cancelled) after write operations were sent: the server may or may
    /// not have applied them. Nothing is retried. A follow-up check through a created entity's
    /// client-chosen id can prove the batch applied; not finding it proves nothing (the server may
    /// still be working on it), so the outcome then stays unknown.
    /// </summary>
    public sealed class FtrackOutcomeUnknownException : FtrackException
    {
        /// <summary>The failure <paramref name="cause"/> after sending <paramref name="operations"/>; <paramref name="applied"/> is true when a check proved them applied.</summary>
        public FtrackOutcomeUnknownException(FtrackException cause, IReadOnlyList<FtrackOperation> operations, bool applied, string? checkCommand)
            : base(Compose(cause, operations.Count, applied, checkCommand), cause)
        {
            Applied = applied;
            OperationCount = operations.Count;
            CheckCommand = checkCommand;
            Operation = cause.Operation;
        }

        /// <summary>True: a check found the batch applied. False: unknown (not proof that it was not).</summary>
        public bool Applied { get; }

        /// <summary>How many write operations were sent.</summary>
        public int OperationCount { get; }

        /// <summary>A command that shows whether the batch landed (its first create's id), when it has a create.</summary>
        public string? CheckCommand { get; }

        /// <inheritdoc />
        public override string ErrorId => FtrackErrorIds.OutcomeUnknown;

        private static string Compose(FtrackException cause, int count, bool applied, string? checkCommand) =>
            cause.Message + " The " + count + " write operation(s) had been sent, so they were not sent again. "
            + (applied
                ? "A check found the batch's first created entity on the server: the batch WAS applied."
                : "Whether the server applied them is unknown (the outcome is unknown): it may still be working on them. "
                  + (checkCommand is null ? "Check on the server before sending them again." : "Check with: " + checkCommand));
    }
}
