using System.Collections;
using System.Collections.Generic;
using Ftrack.Batches;
using Ftrack.Core.Display;
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
        private CustomAttributeWrites? _customAttributes;

        /// <summary>This command's lookup of names given for references (status = 'Approved'): each lookup type is read once per command.</summary>
        protected NameLookup NamesFor(FtrackSession session) =>
            _names is { } names && ReferenceEquals(names.Session, session) ? names : _names = new NameLookup(session, NewCallOptions());

        /// <summary>This command's custom attribute writes: the configurations are read again at most once per command, for a key they lack.</summary>
        protected CustomAttributeWrites CustomAttributesFor(FtrackSession session) =>
            _customAttributes is { } writes && ReferenceEquals(writes.Session, session) ? writes : _customAttributes = new CustomAttributeWrites(session, NewCallOptions());

        /// <summary>Queues or sends one operation; returns the entity as it is (or will be).</summary>
        protected FtrackEntity? Send(FtrackSession session, FtrackOperation operation)
        {
            Send(session, new[] { operation });
            return operation switch
            {
                EntityDataOperation e => e.Entity,
                DeleteOperation d => d.Entity,
                _ => null,
            };
        }

        /// <summary>Queues operations that belong together (an entity and its custom attributes), or sends them in one request: one transaction.</summary>
        protected void Send(FtrackSession session, IReadOnlyList<FtrackOperation> operations)
        {
            if (operations.Count == 0) return;
            if (RunspaceBatches.Current is null)
            {
                WriteExecutor.Execute(session, operations, NewCallOptions());
                return;
            }
            foreach (var operation in operations)
            {
                var batch = EntityWrites.Queue(session, operation)!;
                WriteVerbose("Queued " + operation.Describe() + " (" + batch.Count + " in the batch).");
                BatchProgress.Queued(this, batch);
            }
        }

        /// <summary>
        /// The writes of -CustomAttribute and -Metadata for <paramref name="owner"/>, all checked before
        /// any is returned (so nothing is sent when one is wrong). <paramref name="isNew"/>: the owner
        /// is created with them; <paramref name="onlyChanges"/>: values it has already are left out.
        /// </summary>
        protected List<FtrackOperation> KeyedWrites(FtrackSession session, FtrackEntity owner, IDictionary? customAttributes, IDictionary? metadata, bool isNew, bool onlyChanges = false)
        {
            var operations = new List<FtrackOperation>();
            if (customAttributes != null) operations.AddRange(CustomAttributesFor(session).Plan(owner, PowerShellValues.ToPairs(customAttributes), isNew, onlyChanges));
            if (metadata != null) operations.AddRange(MetadataWrites.Plan(session, owner, PowerShellValues.ToPairs(metadata), isNew, onlyChanges, NewCallOptions()));
            return operations;
        }

        /// <summary>"bid = 3600; custom attributes fps = 25; metadata plate = '/mnt/…'": what -WhatIf says is set.</summary>
        protected static string WhatIfText(string? values, IDictionary? customAttributes, IDictionary? metadata)
        {
            var parts = new List<string>();
            if (!string.IsNullOrEmpty(values)) parts.Add(values!);
            if (Pairs(customAttributes) is { } set) parts.Add("custom attributes " + set);
            if (Pairs(metadata) is { } kept) parts.Add("metadata " + kept);
            return string.Join("; ", parts);
        }

        private static string? Pairs(IDictionary? values)
        {
            if (values is null || values.Count == 0) return null;
            var parts = new List<string>();
            foreach (DictionaryEntry entry in values) parts.Add(entry.Key + " = " + ValueText.Of(PowerShellValues.ToClr(entry.Value)));
            return string.Join(", ", parts);
        }

        /// <summary>"Task 'comp' (id)": how -WhatIf and -Confirm name an entity.</summary>
        protected static string Describe(FtrackEntity entity) => entity.ToString();
    }
}
