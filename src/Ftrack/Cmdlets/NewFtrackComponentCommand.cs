using System.Management.Automation;
using Ftrack.Core.Entities;
using Ftrack.Core.Publishing;
using Ftrack.PipeBinds;
using Ftrack.Publishing;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// New-FtrackComponent: publishes a file, or an image sequence ('render.%04d.exr [1001-1100]'), on
    /// an AssetVersion, as the Python client's create_component does: a FileComponent, or a
    /// SequenceComponent with a member per frame. By default the bytes are uploaded to the
    /// ftrack.server location (streamed, with a progress bar) and the components created once every
    /// file arrived; -Location 'ftrack.unmanaged' (or another location) registers the files where
    /// they are. Every file is checked before anything is sent; a failed upload registers nothing.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "FtrackComponent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FtrackEntity))]
    public sealed class NewFtrackComponentCommand : FtrackWriteCmdlet
    {
        /// <summary>A file, or an image sequence in ftrack's notation: 'render.%04d.exr [1001-1100]' (relative to the current location).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>The AssetVersion the component belongs to: an entity, or an object naming one.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNull]
        public EntityPipeBind? Version { get; set; }

        /// <summary>The component's name ('main', 'exr', ...); the file's name without its extension (or the sequence's head) when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>Where the files go: a Location, or its name or id. ftrack.server (upload) when omitted; any other location records the files where they are.</summary>
        [Parameter]
        [ValidateNotNull]
        public object? Location { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            var session = ResolveSession();
            ForItem(Path, () =>
            {
                var source = ComponentSource.Read(Path, SessionState.Path.CurrentFileSystemLocation.ProviderPath);
                var version = Version!.Resolve(session.GetSchemas(NewCallOptions()), "AssetVersion");
                var location = LocationChoice.Resolve(session, Location, NewCallOptions());
                var plan = ComponentPublisher.Plan(session, source, Name, version, location, names: NamesFor(session));
                var what = (source.IsSequence ? "SequenceComponent '" : "FileComponent '") + plan.Component.GetValue("name") + "' from " + source.Display + " ("
                    + (source.IsSequence ? source.Files.Count + " frames, " : "") + ComponentPublisher.SizeText(source.TotalSize) + ")"
                    + (location.IsServer ? ", uploaded to ftrack.server" : ", registered in " + location.Name + " where the files are");
                if (!ShouldProcess(version.ToString(), "Create " + what)) return;
                if (location.IsServer)
                    TransferRunner.Upload(this, session, plan, source.TotalSize, "Uploading " + source.Display + " to ftrack.server", Cancellation);
                Send(session, plan.Operations);
                WriteObject(plan.Component);
            });
        }
    }
}
