using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Ftrack.Completers
{
    /// <summary>
    /// Attribute names (and dotted paths through references: status.na → status.name) of the
    /// command's -EntityType, for -Property and -IdentifyingProperty.
    /// </summary>
    public sealed class AttributeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var entityType = fakeBoundParameters?["EntityType"] as string;
            var schemas = CompletionSchemas.For(fakeBoundParameters);
            if (schemas is null || string.IsNullOrEmpty(entityType)) return Array.Empty<CompletionResult>();
            var word = (wordToComplete ?? "").Trim('\'', '"');
            return AttributePaths.Complete(schemas, entityType!, word)
                .Select(path => new CompletionResult(path, path, CompletionResultType.ParameterValue, path));
        }
    }

    /// <summary>Completes a dotted attribute path against the schemas.</summary>
    internal static class AttributePaths
    {
        public static IEnumerable<string> Complete(Core.Schema.SchemaRegistry schemas, string entityType, string partialPath)
        {
            var schema = schemas.Find(entityType, ignoreCase: true);
            var parts = partialPath.Split('.');
            var prefix = "";
            for (var i = 0; i < parts.Length - 1 && schema != null; i++)
            {
                if (!schema.Attributes.TryGetValue(parts[i], out var attribute)) return Array.Empty<string>();
                var next = attribute.Reference ?? attribute.ItemsReference;
                schema = next is null ? null : schemas.Find(next);
                prefix += parts[i] + ".";
            }
            if (schema is null) return Array.Empty<string>();
            var last = parts[parts.Length - 1];
            return schema.Attributes.Keys
                .Where(n => n.StartsWith(last, StringComparison.OrdinalIgnoreCase))
                .OrderBy(n => n, StringComparer.Ordinal)
                .Select(n => prefix + n);
        }
    }
}
