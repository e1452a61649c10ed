using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Ftrack.Batches;
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
    /// Publish-FtrackReviewMedia: makes a movie or an image reviewable on an AssetVersion, as the
    /// Python client's encode_media does with a path: the file is uploaded to ftrack.server as a
    /// FileComponent, the server is asked to encode it (encode_media), and the Job that does the
    /// encoding is returned. Its review components (ftrackreview-mp4, ftrackreview-webm,
    /// ftrackreview-image) join the version when the Job is done. The source component is deleted
    /// once encoded unless -KeepOriginal. Not inside an open batch: the server must have the
    /// component before it can encode it.
    /// </summary>
    [Cmdlet(VerbsData.Publish, "FtrackReviewMedia", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FtrackEntity))]
    public sealed class PublishFtrackReviewMediaCommand : FtrackWriteCmdlet
    {
        /// <summary>The movie (.mov, .mp4, ...) or image (.jpg, .png, .exr, ...) to review.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>The AssetVersion the review media belongs to.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNull]
        public EntityPipeBind? Version { get; set; }

        /// <summary>Keep the uploaded source as a component of the version (by default it is deleted once encoded, as ftrack does for a path).</summary>
        [Parameter]
        public SwitchParameter KeepOriginal { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            var session = ResolveSession();
            ForItem(Path, () =>
            {
                if (RunspaceBatches.Current != null)
                    throw new FtrackUsageException(FtrackErrorIds.InvalidOperation, "Publish-FtrackReviewMedia cannot run inside an open batch: the server encodes a component it already has. Submit the batch first.", UsageErrorKind.InvalidOperation);
                var source = ComponentSource.Read(Path, SessionState.Path.CurrentFileSystemLocation.ProviderPath);
                if (source.IsSequence)
                    throw new FtrackUsageException(FtrackErrorIds.InvalidComponentPath, "Review media is one movie or image, not a sequence: encode the sequence to a movie first.");
                var version = Version!.Resolve(session.GetSchemas(NewCallOptions()), "AssetVersion");
                var versionId = version.GetValue("id") as string ?? throw new FtrackUsageException(FtrackErrorIds.MissingKey, version + " has no id: select it in the query that returned it.");
                // As encode_media with a path: the source belongs to the version only when it is kept.
                var plan = ComponentPublisher.Plan(session, source, null, KeepOriginal ? version : null, PublishLocation.Server, names: NamesFor(session));
                if (!ShouldProcess(version.ToString(), "Upload " + source.Display + " (" + ComponentPublisher.SizeText(source.TotalSize) + ") and encode it for review")) return;
                TransferRunner.Upload(this, session, plan, source.TotalSize, "Uploading " + source.Display + " for review", Cancellation);
                WriteExecutor.Execute(session, plan.Operations, NewCallOptions());
                var encode = new RawOperation(new Dictionary<string, object?>
                {
                    ["action"] = "encode_media",
                    ["component_id"] = plan.Component.GetValue("id"),
                    ["version_id"] = versionId,
                    ["keep_original"] = KeepOriginal.IsPresent,
                });
                var answer = WriteExecutor.Execute(session, new FtrackOperation[] { encode }, NewCallOptions())[0] as IDictionary<string, object?>;
                if (answer is null || !(answer.TryGetValue("job_id", out var id) && id is string jobId))
                    throw new FtrackUsageException(FtrackErrorIds.InvalidOperation, "The server's answer to encode_media names no job.");
                var job = session.Query("select id, type, status, data, created_at, finished_at, user_id, job_components.component_id from Job where id is \"" + jobId + "\"", NewCallOptions())
                    .Data.OfType<FtrackEntity>().FirstOrDefault();
                WriteObject(job ?? (object)jobId);
            });
        }
    }
}
