using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using Ftrack.Core.Json;
using Ftrack.Core.Operations;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Writes
{
    /// <summary>
    /// Sends write operations in one request (one transaction) and merges the server's answers into
    /// the very entity objects the caller holds: the identity map is seeded with them, so a create's
    /// result lands in the object New-FtrackEntity returned.
    /// </summary>
    public static class WriteExecutor
    {
        /// <summary>
        /// After a lost response: true when the batch's first create exists on the server (so the
        /// transaction was applied), false when it does not, null when the batch has no create or
        /// the check itself failed.
        /// </summary>
        public static bool? CheckApplied(FtrackSession session, IReadOnlyList<FtrackOperation> operations, CallOptions? options = null)
        {
            foreach (var op in operations)
            {
                if (op is not CreateOperation create || create.Entity["id"] is not string id) continue;
                try
                {
                    var query = new QueryOperation("select id from " + create.Entity.EntityType + " where id is " + Query.QueryLiteral.Quote(id));
                    var result = (QueryResult)session.Call(new FtrackOperation[] { query }, new CallOptions { Log = options?.Log })[0]!;
                    return result.Data.Count > 0;
                }
                catch (FtrackException) { return null; }
            }
            return null;
        }

        private static readonly Regex OperationIndex = new(@"operation\s+#?(\d+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        public static object?[] Execute(FtrackSession session, IReadOnlyList<FtrackOperation> operations, CallOptions? options = null)
        {
            options ??= new CallOptions();
            var context = session.CreateDecodeContext(options);
            foreach (var op in operations)
            {
                switch (op)
                {
                    case EntityDataOperation e: context.IdentityMap.Add(e.Entity); break;
                    case DeleteOperation d: context.IdentityMap.Add(d.Entity); break;
                }
            }
            var call = new CallOptions { Log = options.Log, Debug = options.Debug, CancellationToken = options.CancellationToken, Context = context };
            try
            {
                var results = session.Call(operations, call);
                // The server accepted the values given to each update: keep the local object in step.
                foreach (var op in operations)
                    if (op is UpdateOperation u) foreach (var pair in u.Data) u.Entity.Set(pair.Key, pair.Value);
                return results;
            }
            catch (FtrackTransportException e) when (e.Failure is not (TransportFailure.ConnectionRefused or TransportFailure.NameResolution or TransportFailure.Tls))
            {
                // The request may have reached the server and been applied: never resend blindly.
                // Creates carry client-chosen ids, so whether the (all-or-nothing) batch landed can be checked.
                throw new FtrackOutcomeUnknownException(e, operations, CheckApplied(session, operations, options));
            }
            catch (FtrackServerException e) when (operations.Count > 1)
            {
                // The server names the failing operation in its message (the local server does, as
                // "operation N"); translate the index into what the caller queued.
                var match = OperationIndex.Match(e.ServerMessage);
                if (match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index >= 0 && index < operations.Count)
                {
                    e.FailedOperationIndex = index;
                    e.Operation = "operation " + index + " of " + operations.Count + " (" + operations[index].Describe() + ") in a batch";
                }
                else e.Operation = "a batch of " + operations.Count + " operations (nothing was applied)";
                throw;
            }
        }
    }
}
