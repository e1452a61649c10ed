using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Ftrack.Core.Schema;

namespace Ftrack.Completers
{
    /// <summary>
    /// Attribute names (and dotted paths through references: status.na → status.name) of the
    /// command's -EntityType, for -Property and -IdentifyingProperty.
    /// </summary>
    public sealed class AttributeCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var entityType = fakeBoundParameters?["EntityType"] as string;
            var schemas = CompletionSchemas.For(fakeBoundParameters);
            if (schemas is null || string.IsNullOrEmpty(entityType) || schemas.Find(entityType!, ignoreCase: true) is not { } schema) return Array.Empty<CompletionResult>();
            var word = (wordToComplete ?? "").Trim('\'', '"');
            return AttributePaths.Complete(schemas, schema, word)
                .Select(path => new CompletionResult(path, path, CompletionResultType.ParameterValue, path));
        }
    }
}
