using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Ftrack.Completers
{
    /// <summary>
    /// Tab completion of entity type names from the default session's cached schemas. It never
    /// goes to the network: without cached schemas it offers ftrack's common types.
    /// </summary>
    public sealed class EntityTypeCompleter : IArgumentCompleter
    {
        internal static readonly string[] CommonTypes =
        {
            "Appointment", "Asset", "AssetBuild", "AssetType", "AssetVersion", "Component", "ComponentLocation", "Context",
            "Episode", "FileComponent", "Folder", "Location", "Metadata", "Milestone", "Note", "NoteCategory", "NoteLabel",
            "ObjectType", "Priority", "Project", "ProjectSchema", "Sequence", "Shot", "State", "Status", "Task",
            "TaskTypeSchema", "Timelog", "Type", "TypedContext", "User", "WorkflowSchema",
        };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? "").Trim('\'', '"');
            IEnumerable<string> names = FtrackSessionState.Default?.CachedSchemas?.EntityTypeNames ?? (IEnumerable<string>)CommonTypes;
            return names
                .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
        }
    }
}
