using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using Ftrack.Completers;
using Ftrack.Core;
using Ftrack.Core.Entities;
using Ftrack.Core.Operations;
using Ftrack.Core.Writes;
using Ftrack.PipeBinds;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Set-FtrackEntity: updates entities (from the pipeline: entity objects, ids, hashtables or CSV
    /// rows naming them; or -EntityType with -Id), sending only the given attributes, custom
    /// attributes and metadata, in one request per entity (or into the open batch). Immutable and
    /// unknown attributes, unknown custom attribute keys and values of the wrong type are refused
    /// before anything is sent.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "FtrackEntity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = EntityInputs.InputObjectSet)]
    [OutputType(typeof(FtrackEntity))]
    public sealed class SetFtrackEntityCommand : FtrackWriteCmdlet
    {
        /// <summary>The entity to update: an entity object, an id (with -EntityType), or an object naming one.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = EntityInputs.InputObjectSet)]
        [ValidateNotNull]
        public EntityPipeBind? InputObject { get; set; }

        /// <summary>The entity type of inputs that do not name one (ids, CSV rows with only an id).</summary>
        [Parameter(ParameterSetName = EntityInputs.InputObjectSet)]
        [Parameter(Mandatory = true, ParameterSetName = EntityInputs.IdSet)]
        [ArgumentCompleter(typeof(EntityTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string? EntityType { get; set; }

        /// <summary>Ids of the entities to update (with -EntityType).</summary>
        [Parameter(Mandatory = true, ParameterSetName = EntityInputs.IdSet)]
        [ValidateNotNullOrEmpty]
        public string[]? Id { get; set; }

        /// <summary>Attributes to change, e.g. @{ status = $approved; bid = 3600 }.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNull]
        public IDictionary? Property { get; set; }

        /// <summary>Custom attribute values by key, e.g. @{ fps = 25 }; $null puts a key's default (or inherited) value back.</summary>
        [Parameter]
        [ValidateNotNull]
        public IDictionary? CustomAttribute { get; set; }

        /// <summary>Metadata by key (text values), e.g. @{ plate = '/mnt/plates/SH010' }; $null removes a key.</summary>
        [Parameter]
        [ValidateNotNull]
        public IDictionary? Metadata { get; set; }

        /// <summary>Return the updated entity.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void Begin()
        {
            if (Property is null && CustomAttribute is null && Metadata is null)
                ThrowFailure(FtrackErrorRecords.Usage(FtrackErrorIds.NothingToUpdate, "Give what to change: -Property, -CustomAttribute or -Metadata.", null));
        }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            var session = ResolveSession();
            foreach (var input in EntityInputs.Of(InputObject, Id))
            {
                ForItem(input, () =>
                {
                    var entity = input.Resolve(session.GetSchemas(NewCallOptions()), EntityType);
                    // An empty -Property beside custom attributes or metadata is nothing to update, not a mistake.
                    var update = Property is { Count: > 0 } || CustomAttribute is null && Metadata is null
                        ? WritePlanner.PlanUpdate(session, entity, PowerShellValues.ToPairs(Property), NamesFor(session))
                        : null;
                    var writes = new List<FtrackOperation>();
                    if (update != null) writes.Add(update);
                    writes.AddRange(KeyedWrites(session, entity, CustomAttribute, Metadata, isNew: false));
                    if (!ShouldProcess(Describe(entity), "Set " + WhatIfText(update?.ValuesText(), CustomAttribute, Metadata))) return;
                    Send(session, writes);
                    if (PassThru) WriteObject(entity);
                });
            }
        }
    }
}
