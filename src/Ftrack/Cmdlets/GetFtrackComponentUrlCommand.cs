using System.Management.Automation;
using Ftrack.Core;
using Ftrack.Core.Publishing;
using Ftrack.PipeBinds;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Get-FtrackComponentUrl: the URL a component's bytes download from, as the server signs it
    /// (ComponentLocation.url in ftrack.server): time-limited, with no API key in it, so it can be
    /// handed to a browser, a player or curl. A sequence gives one URL per frame, in frame order.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FtrackComponentUrl")]
    [OutputType(typeof(string))]
    public sealed class GetFtrackComponentUrlCommand : FtrackCmdlet
    {
        /// <summary>The component: a FileComponent or SequenceComponent, or an object naming one.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public EntityPipeBind? InputObject { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            var session = ResolveSession();
            ForItem(InputObject, () =>
            {
                var component = InputObject!.Resolve(session.GetSchemas(NewCallOptions()), "Component");
                foreach (var file in ComponentFiles.Of(session, component, NewCallOptions()))
                {
                    if (file.Url is null)
                        throw new FtrackUsageException(FtrackErrorIds.ComponentNotAvailable, component + ": '" + file.FileName + "' has no data in the ftrack.server location, so it has no download URL.", UsageErrorKind.NotFound);
                    WriteObject(file.Url.AbsoluteUri);
                }
            });
        }
    }
}
