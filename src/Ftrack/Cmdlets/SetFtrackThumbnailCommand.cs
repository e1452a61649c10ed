using System.Collections.Generic;
using System.Management.Automation;
using Ftrack.Core;
using Ftrack.Core.Entities;
using Ftrack.Core.Operations;
using Ftrack.Core.Publishing;
using Ftrack.Core.Writes;
using Ftrack.PipeBinds;
using Ftrack.Publishing;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Set-FtrackThumbnail: makes an image the thumbnail of an entity (a version, shot, task,
    /// project, user...), as the Python client's create_thumbnail does: the image is uploaded to
    /// ftrack.server as a FileComponent named 'thumbnail', then the component, its location entry
    /// and the entity's thumbnail_id are written in one request (or into the open batch).
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "FtrackThumbnail", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FtrackEntity))]
    public sealed class SetFtrackThumbnailCommand : FtrackWriteCmdlet
    {
        /// <summary>The entity to set the thumbnail of: an entity, or an object naming one.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public EntityPipeBind? InputObject { get; set; }

        /// <summary>The image file (.jpg, .png, ...).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>Output the entity, its thumbnail_id set.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            var session = ResolveSession();
            ForItem(InputObject, () =>
            {
                var schemas = session.GetSchemas(NewCallOptions());
                var entity = InputObject!.Resolve(schemas, null);
                if (!schemas.Require(entity.EntityType).Attributes.ContainsKey("thumbnail_id"))
                    throw new FtrackUsageException(FtrackErrorIds.UnknownAttribute, "A " + entity.EntityType + " has no thumbnail (no thumbnail_id attribute).");
                var source = ComponentSource.Read(Path, SessionState.Path.CurrentFileSystemLocation.ProviderPath);
                if (source.IsSequence)
                    throw new FtrackUsageException(FtrackErrorIds.InvalidComponentPath, "A thumbnail is one image, not a sequence: give a single file.");
                var plan = ComponentPublisher.Plan(session, source, "thumbnail", null, PublishLocation.Server, names: NamesFor(session));
                var update = WritePlanner.PlanUpdate(session, entity, new KeyValuePair<string, object?>[] { new("thumbnail_id", plan.Component.GetValue("id")) }, NamesFor(session));
                if (!ShouldProcess(Describe(entity), "Set the thumbnail to " + source.Display + " (" + ComponentPublisher.SizeText(source.TotalSize) + ", uploaded to ftrack.server)")) return;
                TransferRunner.Upload(this, session, plan, source.TotalSize, "Uploading the thumbnail " + source.Display, Cancellation);
                var writes = new List<FtrackOperation>(plan.Operations) { update };
                Send(session, writes);
                if (PassThru) WriteObject(entity);
            });
        }
    }
}
