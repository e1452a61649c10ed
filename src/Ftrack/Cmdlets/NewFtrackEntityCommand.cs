using System.Management.Automation;
using Ftrack.Completers;
using Ftrack.Core.Entities;
using Ftrack.Core.Writes;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// New-FtrackEntity: creates an entity (one per pipeline input: a hashtable or a CSV row) and
    /// returns it as the same kind of object queries return, its id known before the server answers.
    /// With -IdentifyingProperty it finds the one matching entity first and creates only when there
    /// is none, updating the other given properties only where they differ.
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
                    if (ShouldProcess(Describe(create.Entity), "Create with " + create.ValuesText())) WriteObject(Send(session, create));
                    return;
                }
                var plan = GetOrCreate.Plan(session, EntityType, pairs, IdentifyingProperty, NewCallOptions(), NamesFor(session));
                WriteVerbose("Looked for an existing " + plan.Entity.GetEntityType() + ": " + plan.Query);
                switch (plan.Write)
                {
                    case null:
                        WriteVerbose("Found " + Describe(plan.Entity) + ": nothing to change.");
                        WriteObject(plan.Entity);
                        break;
                    case Core.Operations.CreateOperation create:
                        if (ShouldProcess(Describe(create.Entity), "Create with " + create.ValuesText())) WriteObject(Send(session, create));
                        break;
                    case Core.Operations.UpdateOperation update:
                        if (ShouldProcess(Describe(plan.Entity), "Update " + update.ValuesText())) WriteObject(Send(session, update));
                        else WriteObject(plan.Entity);
                        break;
                }
            });
        }
    }
}
