using System;
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

        protected override void ProcessRecord()
        {
            var session = ResolveSession();
            try
            {
                var update = WritePlanner.PlanUpdate(session, InputObject, PowerShellValues.ToPairs(Property));
                if (!ShouldProcess(Describe(InputObject), "Set " + string.Join(", ", update.Data.Keys))) return;
                var entity = Send(session, update);
                if (PassThru) WriteObject(entity);
            }
            catch (Exception e) when (IsFtrackFailure(e))
            {
                WriteFtrackError(e, InputObject);
            }
        }
    }

    /// <summary>Remove-FtrackEntity: deletes entities (deleting a context deletes its descendants, as in ftrack).</summary>
    [Cmdlet(VerbsCommon.Remove, "FtrackEntity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveFtrackEntityCommand : FtrackWriteCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0)]
        [ValidateNotNull]
        public FtrackEntity InputObject { get; set; } = null!;

        /// <summary>Delete without asking for confirmation (-WhatIf still only reports).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            var session = ResolveSession();
            try
            {
                var delete = WritePlanner.PlanDelete(InputObject);
                // -Force skips the confirmation that ConfirmImpact=High asks for, unless -WhatIf or
                // an explicit -Confirm says otherwise.
                var asked = MyInvocation.BoundParameters.ContainsKey("WhatIf") || MyInvocation.BoundParameters.ContainsKey("Confirm");
                if (!(Force && !asked) && !ShouldProcess(Describe(InputObject), "Delete")) return;
                Send(session, delete);
            }
            catch (Exception e) when (IsFtrackFailure(e))
            {
                WriteFtrackError(e, InputObject);
            }
        }
    }
}
