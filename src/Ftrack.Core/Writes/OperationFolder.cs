using System;
using System.Collections.Generic;
using Ftrack.Core.Entities;
using Ftrack.Core.Operations;

namespace Ftrack.Core.Writes
{
    /// <summary>
    /// Folds queued writes before sending, as ftrack's Python client does: updates merge into a
    /// preceding create of the same entity, later updates of an attribute replace earlier ones, and
    /// a create followed by a delete of the same entity cancels out (with the updates between).
    /// </summary>
    public static class OperationFolder
    {
        /// <summary>The operations as they are sent: folded, never changing what was queued.</summary>
        public static List<FtrackOperation> Fold(IReadOnlyList<FtrackOperation> operations)
        {
            var result = new List<FtrackOperation?>();
            var creates = new Dictionary<FtrackEntity, int>(ReferenceComparer.Instance);
            var updates = new Dictionary<FtrackEntity, int>(ReferenceComparer.Instance);
            foreach (var op in operations)
            {
                switch (op)
                {
                    case CreateOperation create:
                        // Copy: folding must never change what the caller queued (the batch stays inspectable).
                        var copy = new CreateOperation(create.Entity, new Dictionary<string, object?>(create.Data, StringComparer.Ordinal), create.Schema) { AlsoApply = create.AlsoApply };
                        creates[create.Entity] = result.Count;
                        updates.Remove(create.Entity);
                        result.Add(copy);
                        break;
                    case UpdateOperation update:
                        if (creates.TryGetValue(update.Entity, out var ci) && result[ci] is CreateOperation target)
                        {
                            foreach (var pair in update.Data) target.Data[pair.Key] = pair.Value;
                            target.AlsoApply += update.AlsoApply;
                        }
                        else if (updates.TryGetValue(update.Entity, out var ui) && result[ui] is UpdateOperation previous)
                        {
                            foreach (var pair in update.Data) previous.Data[pair.Key] = pair.Value;
                            previous.AlsoApply += update.AlsoApply;
                        }
                        else
                        {
                            updates[update.Entity] = result.Count;
                            result.Add(new UpdateOperation(update.Entity, new Dictionary<string, object?>(update.Data, StringComparer.Ordinal), update.Schema) { AlsoApply = update.AlsoApply });
                        }
                        break;
                    case DeleteOperation delete:
                        if (creates.TryGetValue(delete.Entity, out var created))
                        {
                            // Never reached the server: drop the create, its updates, and the delete.
                            result[created] = null;
                            creates.Remove(delete.Entity);
                            updates.Remove(delete.Entity);
                            break;
                        }
                        if (updates.TryGetValue(delete.Entity, out var updated)) { result[updated] = null; updates.Remove(delete.Entity); }
                        result.Add(delete);
                        break;
                    default:
                        result.Add(op);
                        break;
                }
            }
            var folded = new List<FtrackOperation>(result.Count);
            foreach (var op in result) if (op != null) folded.Add(op);
            return folded;
        }

        private sealed class ReferenceComparer : IEqualityComparer<FtrackEntity>
        {
            public static readonly ReferenceComparer Instance = new();
            public bool Equals(FtrackEntity? x, FtrackEntity? y) => ReferenceEquals(x, y);
            public int GetHashCode(FtrackEntity obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }
    }
}
