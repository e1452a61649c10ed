using System.Collections;
using System.Management.Automation;
using Ftrack.Core.Entities;
using Ftrack.Core.Writes;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Set-FtrackEntity: updates entities (from the pipeline), sending only the given attributes.
    /// Immutable and unknown attributes are refused before anything is sent.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "FtrackEntity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FtrackEntity))]
    public sealed class SetFtrackEntityCommand : FtrackWriteCmdlet
    {
        /// <summary>The entity to update.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public FtrackEntity InputObject { get; set; } = null!;

        /// <summary>Attributes to change, e.g. @{ status = $approved; bid = 3600 }.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        public IDictionary Property { get; set; } = null!;

        /// <summary>Return the updated entity.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            var session = ResolveSession();
            ForItem(InputObject, () =>
            {
                var update = WritePlanner.PlanUpdate(session, InputObject, PowerShellValues.ToPairs(Property));
                if (!ShouldProcess(Describe(InputObject), "Set " + string.Join(", ", update.Data.Keys))) return;
                var entity = Send(session, update);
                if (PassThru) WriteObject(entity);
            });
        }
    }

    /// <summary>Remove-FtrackEntity: deletes entities (deleting a context deletes its descendants, as in ftrack).</summary>
    [Cmdlet(VerbsCommon.Remove, "FtrackEntity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    public sealed class RemoveFtrackEntityCommand : FtrackWriteCmdlet
    {
        private bool _yesToAll, _noToAll;

        /// <summary>The entity to delete.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0)]
        [ValidateNotNull]
        public FtrackEntity InputObject { get; set; } = null!;

        /// <summary>Delete without the "are you sure?" question. -WhatIf (or $WhatIfPreference) still only reports.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            var session = ResolveSession();
            ForItem(InputObject, () =>
            {
                var delete = WritePlanner.PlanDelete(InputObject);
                // ShouldProcess always (it honours -WhatIf, $WhatIfPreference and -Confirm); -Force only
                // skips the extra question a delete asks, as does an explicit -Confirm or -Confirm:$false.
                if (!ShouldProcess(Describe(InputObject), "Delete")) return;
                var confirmGiven = MyInvocation.BoundParameters.ContainsKey("Confirm");
                if (!Force && !confirmGiven && !ShouldContinue("Delete " + Describe(InputObject) + " (and, for a project or other context, everything below it)?",
                        "Remove-FtrackEntity", ref _yesToAll, ref _noToAll))
                    return;
                Send(session, delete);
            });
        }
    }
}
