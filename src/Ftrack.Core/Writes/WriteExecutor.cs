using System;
using System.Collections;
using System.Collections.Generic;
using System.Threading;
using Ftrack.Core.Operations;
using Ftrack.Core.Query;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Writes
{
    /// <summary>
    /// Sends write operations in one request (one transaction) and merges the server's answers into
    /// the very entity objects the caller holds: the identity map is seeded with them, so a create's
    /// result lands in the object New-FtrackEntity returned. A write is never sent twice: when the
    /// answer is lost, a check through a created entity's client-chosen id tells whether it landed.
    /// </summary>
    public static class WriteExecutor
    {
        /// <summary>How long the check after a lost answer may take: it runs after Ctrl+C too, so it must end.</summary>
        public static TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Sends the operations as one request; throws FtrackOutcomeUnknownException when the answer is lost.</summary>
        public static object?[] Execute(FtrackSession session, IReadOnlyList<FtrackOperation> operations, CallOptions? options = null)
        {
            options ??= new CallOptions();
            var call = options.Copy();
            call.OnRow = null;
            call.Context = session.CreateDecodeContext(options);
            foreach (var op in operations)
            {
                switch (op)
                {
                    case EntityDataOperation e: call.Context.IdentityMap.Add(e.Entity); break;
                    case DeleteOperation d: call.Context.IdentityMap.Add(d.Entity); break;
                }
            }
            try
            {
                var results = session.Call(operations, call);
                foreach (var op in operations)
                {
                    // The server accepted the values given to each update: keep the local objects in step.
                    op.ApplyLocally();
                    // A created entity now exists on the server: what it was not given can be loaded.
                    if (op is EntityDataOperation e) call.Context.IdentityMap.Adopt(e.Entity);
                }
                return results;
            }
            catch (FtrackTransportException e) when (!e.RequestNeverSent)
            {
                throw OutcomeUnknown(session, operations, options, e);
            }
            catch (FtrackProtocolException e)
            {
                // Something other than ftrack's answer came back after the write went out (a cut body,
                // a proxy's page): the server may have applied it.
                throw OutcomeUnknown(session, operations, options, e);
            }
            catch (FtrackServerException e) when (operations.Count > 1)
            {
                e.Operation = e.FailedOperationIndex is { } index && index >= 0 && index < operations.Count
                    ? "operation " + index + " of " + operations.Count + " (" + operations[index].Describe() + ") in a batch"
                    : "a batch of " + operations.Count + " operations";
                throw;
            }
        }

        /// <summary>
        /// After a lost answer: true when the batch's first create is on the server (so the
        /// all-or-nothing transaction was applied), false when it is not there now (which proves
        /// nothing: the server may still be working), null when there is nothing to check or the
        /// check failed. Bounded by <see cref="CheckTimeout"/>, and not cancelled by the caller's
        /// token (the caller's Ctrl+C is what lost the answer).
        /// </summary>
        public static bool? CheckApplied(FtrackSession session, IReadOnlyList<FtrackOperation> operations, CallOptions? options = null)
        {
            if (FirstCreate(operations) is not { } created) return null;
            using var bounded = new CancellationTokenSource(CheckTimeout);
            try
            {
                var check = new CallOptions { Log = options?.Log, CancellationToken = bounded.Token };
                return session.Query("select id from " + created.Type + " where id is " + QueryLiteral.Quote(created.Id), check).Data.Count > 0;
            }
            catch (FtrackException) { return null; }
        }

        /// <summary>The command a user runs to see whether the batch landed, when it has a create.</summary>
        public static string? CheckCommand(IReadOnlyList<FtrackOperation> operations) =>
            FirstCreate(operations) is { } created ? "Get-FtrackEntity " + created.Type + " -Id " + created.Id : null;

        private static FtrackOutcomeUnknownException OutcomeUnknown(FtrackSession session, IReadOnlyList<FtrackOperation> operations, CallOptions options, FtrackException cause) =>
            new(cause, operations, CheckApplied(session, operations, options) == true, CheckCommand(operations));

        private static (string Type, string Id)? FirstCreate(IReadOnlyList<FtrackOperation> operations)
        {
            foreach (var op in operations)
            {
                switch (op)
                {
                    case CreateOperation create when create.Entity.GetValue("id") is string id:
                        return (create.Entity.GetEntityType(), id);
                    case RawOperation { Action: "create" } raw when raw.EntityType is { } type
                                                                   && raw.Body.TryGetValue("entity_data", out var data) && data is IDictionary d && d["id"] is string rawId:
                        return (type, rawId);
                }
            }
            return null;
        }
    }
}
