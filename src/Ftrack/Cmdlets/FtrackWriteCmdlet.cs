using Ftrack.Batches;
using Ftrack.Core;
using Ftrack.Core.Entities;
using Ftrack.Core.Operations;
using Ftrack.Core.Transport;
using Ftrack.Core.Writes;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Base of the cmdlets that change data: a write goes into the batch open in this runspace when
    /// there is one, and straight to the server (one request, one transaction) otherwise.
    /// </summary>
    public abstract class FtrackWriteCmdlet : FtrackCmdlet
    {
        private NameLookup? _names;

        /// <summary>This command's lookup of names given for references (status = 'Approved'): each lookup type is read once per command.</summary>
        protected NameLookup NamesFor(FtrackSession session) =>
            _names is { } names && ReferenceEquals(names.Session, session) ? names : _names = new NameLookup(session, NewCallOptions());

        /// <summary>Queues or sends one operation; returns the entity as it is (or will be).</summary>
        protected FtrackEntity? Send(FtrackSession session, FtrackOperation operation)
        {
            var entity = operation switch
            {
                EntityDataOperation e => e.Entity,
                DeleteOperation d => d.Entity,
                _ => null,
            };
            if (EntityWrites.Queue(session, operation) is { } batch)
            {
                WriteVerbose("Queued " + operation.Describe() + " (" + batch.Count + " in the batch).");
                BatchProgress.Queued(this, batch);
                return entity;
            }
            WriteExecutor.Execute(session, new[] { operation }, NewCallOptions());
            return entity;
        }

        /// <summary>"Task 'comp' (id)": how -WhatIf and -Confirm name an entity.</summary>
        protected static string Describe(FtrackEntity entity) => entity.ToString();
    }
}
