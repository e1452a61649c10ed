using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Ftrack.Completers;
using Ftrack.Core;
using Ftrack.Core.Entities;
using Ftrack.Core.Operations;
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

        protected override void ProcessRecord()
        {
            var session = ResolveSession();
            try
            {
                var pairs = PowerShellValues.ToPairs(Property);
                if (IdentifyingProperty != null) { GetOrCreate(session, pairs); return; }
                var create = WritePlanner.PlanCreate(session, EntityType, pairs);
                if (!ShouldProcess(Describe(create.Entity), "Create")) return;
                WriteObject(Send(session, create));
            }
            catch (Exception e) when (IsFtrackFailure(e))
            {
                WriteFtrackError(e, Property);
            }
        }

        private void GetOrCreate(Core.Transport.FtrackSession session, List<KeyValuePair<string, object?>> pairs)
        {
            var schema = WritePlanner.SchemaFor(session, EntityType);
            var given = pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
            var missing = IdentifyingProperty!.Where(p => !given.ContainsKey(p)).ToArray();
            if (missing.Length > 0)
                throw new FtrackSchemaException("Ftrack.MissingIdentifyingProperty", "-Property has no value for the identifying propert" + (missing.Length == 1 ? "y " : "ies ") + string.Join(", ", missing) + ".");

            var expression = IdentityQuery.Build(schema, given, IdentifyingProperty!);
            WriteVerbose("Looking for an existing " + schema.Id + ": " + expression);
            var found = session.Call(new FtrackOperation[] { new QueryOperation(expression) }, NewCallOptions());
            var matches = ((QueryResult)found[0]!).Data;
            if (matches.Count > 1)
                throw new FtrackSchemaException("Ftrack.AmbiguousMatch", "More than one " + schema.Id + " matches " + string.Join(", ", IdentifyingProperty!.Select(p => p + "=" + IdentityQuery.Show(given[p]))) + ": the identifying properties must pick one entity.");
            if (matches.Count == 0)
            {
                var create = WritePlanner.PlanCreate(session, schema.Id, pairs);
                if (ShouldProcess(Describe(create.Entity), "Create")) WriteObject(Send(session, create));
                return;
            }
            var existing = (FtrackEntity)matches[0]!;
            var changes = pairs.Where(p => !IdentifyingProperty!.Contains(p.Key, StringComparer.OrdinalIgnoreCase)
                                            && !(existing.TryGetValue(p.Key, true, out var current) && IdentityQuery.SameValue(current, p.Value))).ToList();
            if (changes.Count == 0)
            {
                WriteVerbose("Found " + Describe(existing) + ": nothing to change.");
                WriteObject(existing);
                return;
            }
            var update = WritePlanner.PlanUpdate(session, existing, changes);
            if (ShouldProcess(Describe(existing), "Update " + string.Join(", ", update.Data.Keys))) WriteObject(Send(session, update));
            else WriteObject(existing);
        }
    }
}
