using Ftrack.Core;
using System.Management.Automation;
using Ftrack.Completers;
using Ftrack.Core.Schema;

namespace Ftrack.Cmdlets
{
    /// <summary>Get-FtrackSchema: the server's entity schemas (attributes, keys, projections), from the session's cache.</summary>
    [Cmdlet(VerbsCommon.Get, "FtrackSchema")]
    [OutputType(typeof(EntitySchema))]
    public sealed class GetFtrackSchemaCommand : FtrackCmdlet
    {
        /// <summary>Entity type names; wildcards allowed. All types when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(EntityTypeCompleter))]
        [SupportsWildcards]
        [Alias("Id")]
        public string[]? EntityType { get; set; }

        private SchemaRegistry? _schemas;

        /// <inheritdoc />
        protected override void Begin() => _schemas = ResolveSession().GetSchemas(NewCallOptions());

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            if (EntityType is null || EntityType.Length == 0)
            {
                foreach (var name in _schemas!.EntityTypeNames) WriteObject(_schemas.Find(name));
                return;
            }
            foreach (var requested in EntityType)
            {
                if (WildcardPattern.ContainsWildcardCharacters(requested))
                {
                    var pattern = new WildcardPattern(requested, WildcardOptions.IgnoreCase);
                    foreach (var name in _schemas!.EntityTypeNames) if (pattern.IsMatch(name)) WriteObject(_schemas.Find(name));
                    continue;
                }
                var schema = _schemas!.Find(requested, ignoreCase: true);
                if (schema != null) WriteObject(schema);
                else WriteFailure(FtrackErrorRecords.Usage(FtrackErrorIds.UnknownEntityType, "The server has no entity type '" + requested + "'. "
                    + Suggestions.DidYouMean(requested, _schemas.EntityTypeNames) + "Get-FtrackSchema lists them all.", requested, UsageErrorKind.NotFound));
            }
        }
    }
}
