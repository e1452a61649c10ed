using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using Ftrack.Core;
using Ftrack.Core.Transport;
using Ftrack.Core.Writes;

namespace Ftrack.Batches
{
    /// <summary>
    /// The batch open in each runspace. A batch belongs to the runspace that opened it, never to the
    /// session: ForEach-Object -Parallel runs each block in its own runspace, so blocks sharing one
    /// session each have their own batch and never capture each other's writes. A runspace has at
    /// most one batch; it stays until it is submitted or discarded (or, when its outcome is unknown,
    /// resolved by Submit-FtrackBatch or Undo-FtrackBatch).
    /// </summary>
    internal static class RunspaceBatches
    {
        private static readonly ConditionalWeakTable<Runspace, Slot> Slots = new();

        private sealed class Slot
        {
            public FtrackBatch? Batch;
            public ErrorRecord? FirstFailure;
        }

        /// <summary>The batch open in this runspace, or null.</summary>
        public static FtrackBatch? Current => SlotOf(create: false)?.Batch;

        /// <summary>The first error any command reported while the current batch was open, or null.</summary>
        public static ErrorRecord? FirstFailure => SlotOf(create: false)?.FirstFailure;

        /// <summary>Opens a batch on <paramref name="session"/> in this runspace; refused when one is there already.</summary>
        public static FtrackBatch Start(FtrackSession session)
        {
            var slot = SlotOf(create: true)!;
            if (slot.Batch is { } existing)
                throw new FtrackUsageException(FtrackErrorIds.BatchAlreadyOpen,
                    "A batch with " + existing.Count + " operation(s) is already open in this runspace (" + existing.State.ToString().ToLowerInvariant()
                    + "): Submit-FtrackBatch or Undo-FtrackBatch it first.", UsageErrorKind.InvalidOperation);
            slot.Batch = new FtrackBatch(session);
            slot.FirstFailure = null;
            return slot.Batch;
        }

        /// <summary>Forgets the runspace's batch once it no longer needs resolving (submitted or discarded).</summary>
        public static void Release(FtrackBatch batch)
        {
            var slot = SlotOf(create: false);
            if (slot != null && ReferenceEquals(slot.Batch, batch) && batch.State is BatchState.Submitted or BatchState.Discarded)
            {
                slot.Batch = null;
                slot.FirstFailure = null;
            }
        }

        /// <summary>Notes a failure reported while a batch is open here (the first one is kept).</summary>
        public static void RecordFailure(ErrorRecord record)
        {
            var slot = SlotOf(create: false);
            if (slot?.Batch is { State: BatchState.Open }) slot.FirstFailure ??= record;
        }

        private static Slot? SlotOf(bool create)
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace is null) return null;
            if (create) return Slots.GetValue(runspace, _ => new Slot());
            return Slots.TryGetValue(runspace, out var slot) ? slot : null;
        }
    }
}
