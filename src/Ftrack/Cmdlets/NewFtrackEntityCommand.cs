using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using Ftrack.Completers;
using Ftrack.Core.Entities;
using Ftrack.Core.Operations;
using Ftrack.Core.Writes;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// New-FtrackEntity: creates an entity (one per pipeline input: a hashtable or a CSV row) and
    /// returns it as the same kind of object queries return, its id known before the server answers.
    /// Custom attributes and metadata given with it are written in the same request (or batch) as the
    /// create. With -IdentifyingProperty it finds the one matching entity first and creates only when
    /// there is none, updating the other given properties only where they differ.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "FtrackEntity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FtrackEntity))]
    public sealed class NewFtrackEntityCommand : FtrackWriteCmdlet
    {
        /// <summary>The entity type, e.g. Task.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(EntityTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string EntityType { get; set; } = "";

        /// <summary>Attribute values: a hashtable, or any object whose properties are attributes (a CSV row).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
        [ValidateNotNull]
        public object Property { get; set; } = null!;

        /// <summary>Get-or-create: the properties that identify an existing entity (e.g. name, parent).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(AttributeCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? IdentifyingProperty { get; set; }

        /// <summary>Custom attribute values by key, e.g. @{ fps = 25; fstart = 1001 }, written with the create.</summary>
        [Parameter]
        [ValidateNotNull]
        public IDictionary? CustomAttribute { get; set; }

        /// <summary>Metadata by key (text values), e.g. @{ plate = '/mnt/plates/SH010' }, written with the create.</summary>
        [Parameter]
        [ValidateNotNull]
        public IDictionary? Metadata { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            var session = ResolveSession();
            ForItem(Property, () =>
            {
                var pairs = PowerShellValues.ToPairs(Property);
                if (IdentifyingProperty is null)
                {
                    var create = WritePlanner.PlanCreate(session, EntityType, pairs, NamesFor(session));
                    Create(session, create);
                    return;
                }
                var plan = GetOrCreate.Plan(session, EntityType, pairs, IdentifyingProperty, NewCallOptions(), NamesFor(session));
                WriteVerbose("Looked for an existing " + plan.Entity.GetEntityType() + ": " + plan.Query);
                if (plan.Write is CreateOperation planned)
                {
                    Create(session, planned);
                    return;
                }
                // Found: only what differs is written, custom attributes and metadata included.
                var writes = new List<FtrackOperation>();
                if (plan.Write != null) writes.Add(plan.Write);
                writes.AddRange(KeyedWrites(session, plan.Entity, CustomAttribute, Metadata, isNew: false, onlyChanges: true));
                if (writes.Count == 0) WriteVerbose("Found " + Describe(plan.Entity) + ": nothing to change.");
                else if (!ShouldProcess(Describe(plan.Entity), "Update " + string.Join("; ", writes.ConvertAll(w => w.DescribeWithValues())))) writes.Clear();
                Send(session, writes);
                WriteObject(plan.Entity);
            });
        }

        /// <summary>The create, with its custom attributes and metadata, as one request (or in the open batch).</summary>
        private void Create(Core.Transport.FtrackSession session, CreateOperation create)
        {
            var writes = new List<FtrackOperation> { create };
            writes.AddRange(KeyedWrites(session, create.Entity, CustomAttribute, Metadata, isNew: true));
            if (!ShouldProcess(Describe(create.Entity), "Create with " + WhatIfText(create.ValuesText(), CustomAttribute, Metadata))) return;
            Send(session, writes);
            WriteObject(create.Entity);
        }
    }
}
