using System.Management.Automation;

namespace Ftrack.Cmdlets
{
    /// <summary>Get-FtrackServerInformation: version, schema hash, timezone support and the rest the server reports.</summary>
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
            var result = new PSObject();
            result.TypeNames.Insert(0, "Ftrack.ServerInformation");
            foreach (var pair in info.Values) result.Properties.Add(new PSNoteProperty(pair.Key, pair.Value));
            WriteObject(result);
        }
    }
}
