using System;
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

        protected override void BeginProcessing()
        {
            var session = ResolveSession();
            try { _schemas = session.GetSchemas(NewCallOptions()); }
            catch (Exception e) when (IsFtrackFailure(e)) { ThrowFtrackError(e, "query_schemas"); }
        }

        protected override void ProcessRecord()
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
                else WriteError(new ErrorRecord(
                    new ArgumentException("The server has no entity type '" + requested + "'. Get-FtrackSchema lists them all."),
                    "Ftrack.UnknownEntityType", ErrorCategory.ObjectNotFound, requested));
            }
        }
    }
}
