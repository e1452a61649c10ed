using System.Collections.Generic;
using System.Management.Automation;
using Ftrack.Completers;
using Ftrack.Core.Entities;
using Ftrack.Core.Operations;
using Ftrack.Core.Writes;
using Ftrack.PipeBinds;

namespace Ftrack.Cmdlets
{
    /// <summary>Remove-FtrackEntity: deletes entities (deleting a context deletes its descendants, as in ftrack).</summary>
    [Cmdlet(VerbsCommon.Remove, "FtrackEntity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = EntityInputs.InputObjectSet)]
    public sealed class RemoveFtrackEntityCommand : FtrackWriteCmdlet
    {
        private bool _yesToAll, _noToAll;

        /// <summary>The entity to delete: an entity object, an id (with -EntityType), or an object naming one.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0, ParameterSetName = EntityInputs.InputObjectSet)]
        [ValidateNotNull]
        public EntityPipeBind? InputObject { get; set; }

        /// <summary>The entity type of inputs that do not name one (ids, CSV rows with only an id).</summary>
        [Parameter(ParameterSetName = EntityInputs.InputObjectSet)]
        [Parameter(Mandatory = true, ParameterSetName = EntityInputs.IdSet)]
        [ArgumentCompleter(typeof(EntityTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string? EntityType { get; set; }

        /// <summary>Ids of the entities to delete (with -EntityType).</summary>
        [Parameter(Mandatory = true, ParameterSetName = EntityInputs.IdSet)]
        [ValidateNotNullOrEmpty]
        public string[]? Id { get; set; }

        /// <summary>Delete without the "are you sure?" question. -WhatIf (or $WhatIfPreference) still only reports.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            var session = ResolveSession();
            foreach (var input in EntityInputs.Of(InputObject, Id))
            {
                ForItem(input, () =>
                {
                    var entity = input.Resolve(session.GetSchemas(NewCallOptions()), EntityType);
                    var delete = WritePlanner.PlanDelete(entity);
                    // ShouldProcess always (it honours -WhatIf, $WhatIfPreference and -Confirm); -Force only
                    // skips the extra question a delete asks, as does an explicit -Confirm or -Confirm:$false.
                    if (!ShouldProcess(Describe(entity), "Delete")) return;
                    var confirmGiven = MyInvocation.BoundParameters.ContainsKey("Confirm");
                    if (!Force && !confirmGiven && !ShouldContinue("Delete " + Describe(entity) + " (and, for a project or other context, everything below it)?",
                            "Remove-FtrackEntity", ref _yesToAll, ref _noToAll))
                        return;
                    Send(session, delete);
                });
            }
        }
    }
}
