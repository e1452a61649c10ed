using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Ftrack.Core;
using Ftrack.Core.Publishing;
using Ftrack.PipeBinds;
using Ftrack.Publishing;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Save-FtrackComponent: downloads a component's bytes from the ftrack.server location into a
    /// folder — a file as 'name.ext', a sequence frame by frame as 'name.1001.ext' — streamed, with
    /// a progress bar, through the server's signed URLs (no API key in them). Each file is written
    /// beside its target and moved into place only when complete. Returns the files.
    /// </summary>
    [Cmdlet(VerbsData.Save, "FtrackComponent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveFtrackComponentCommand : FtrackCmdlet
    {
        /// <summary>The component: a FileComponent or SequenceComponent, or an object naming one (an id is read as a Component's).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public EntityPipeBind? InputObject { get; set; }

        /// <summary>The folder to save into (created when missing); the current location when omitted.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string? Destination { get; set; }

        /// <summary>Replace files that exist; without it, an existing file is an error and nothing of that component is downloaded.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            var session = ResolveSession();
            ForItem(InputObject, () =>
            {
                var component = InputObject!.Resolve(session.GetSchemas(NewCallOptions()), "Component");
                var files = ComponentFiles.Of(session, component, NewCallOptions());
                var missing = files.Where(f => f.Url is null).ToList();
                if (missing.Count > 0)
                    throw new FtrackUsageException(FtrackErrorIds.ComponentNotAvailable, component + ": " + missing.Count + " of " + files.Count
                        + " file(s) have no data in the ftrack.server location (e.g. '" + missing[0].FileName + "'); only components uploaded there can be downloaded.", UsageErrorKind.NotFound);
                var folder = System.IO.Path.GetFullPath(System.IO.Path.Combine(SessionState.Path.CurrentFileSystemLocation.ProviderPath, Destination ?? "."));
                if (File.Exists(folder))
                    throw new FtrackUsageException(FtrackErrorIds.DestinationExists, "-Destination '" + folder + "' is a file: give a folder to save into.");
                var targets = files.Select(f => (File: f, Path: System.IO.Path.Combine(folder, f.FileName))).ToList();
                if (!Force && targets.FirstOrDefault(t => File.Exists(t.Path)) is { Path: { } existing })
                    throw new FtrackUsageException(FtrackErrorIds.DestinationExists, "'" + existing + "' exists: pass -Force to replace it. Nothing was downloaded.", UsageErrorKind.InvalidOperation);
                var total = files.Sum(f => f.Size ?? 0);
                if (!ShouldProcess(folder, "Download " + component + " (" + files.Count + " file(s), " + ComponentPublisher.SizeText(total) + ")")) return;
                Directory.CreateDirectory(folder);
                var progress = new TransferProgress(total);
                using var transfer = new ByteTransfer(session);
                var force = Force.IsPresent;
                var saved = TransferRunner.Run(this, "Downloading " + component, progress, async () =>
                {
                    var written = new List<string>();
                    foreach (var (file, path) in targets)
                    {
                        Cancellation.ThrowIfCancellationRequested();
                        await transfer.DownloadAsync(file.Url!, path, force, progress, Cancellation).ConfigureAwait(false);
                        written.Add(path);
                    }
                    return written;
                });
                WriteVerbose("Downloaded " + TransferRunner.Summary(progress) + ".");
                foreach (var path in saved) WriteObject(new FileInfo(path));
            });
        }
    }
}
