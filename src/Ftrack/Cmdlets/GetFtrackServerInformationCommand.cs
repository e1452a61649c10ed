using System.Management.Automation;
using Ftrack.Adapters;

namespace Ftrack.Cmdlets
{
    /// <summary>Get-FtrackServerInformation: version, schema hash, timezone support and the rest the server reports, as one object (nested values as objects too).</summary>
    [Cmdlet(VerbsCommon.Get, "FtrackServerInformation")]
    [OutputType(typeof(PSObject))]
    public sealed class GetFtrackServerInformationCommand : FtrackCmdlet
    {
        /// <summary>Ask the server again instead of using what the session already knows.</summary>
        [Parameter]
        public SwitchParameter Refresh { get; set; }

        /// <inheritdoc />
        protected override void End()
        {
            var session = ResolveSession();
            if (Refresh) session.ResetMetadata();
            var info = session.GetServerInformation(NewCallOptions());
            WriteObject(ResultObjects.From(info.Values, "Ftrack.ServerInformation"));
        }
    }
}
