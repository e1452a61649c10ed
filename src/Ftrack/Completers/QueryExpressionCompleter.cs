using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;

namespace Ftrack.Completers
{
    /// <summary>
    /// Completion inside a query expression: the entity type after "from", and attribute paths of
    /// that type anywhere else ('select name from Task where sta' → '... where status').
    /// </summary>
    public sealed class QueryExpressionCompleter : IArgumentCompleter
    {
        private static readonly Regex FromType = new(@"\bfrom\s+(\w+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var text = wordToComplete ?? "";
            var quote = text.Length > 0 && (text[0] == '\'' || text[0] == '"') ? text[0].ToString() : "'";
            var body = text.TrimStart('\'', '"').TrimEnd('\'', '"');
            var split = body.LastIndexOfAny(new[] { ' ', '(', ',' }) + 1;
            var head = body.Substring(0, split);
            var partial = body.Substring(split);
            var before = head.TrimEnd();

            IEnumerable<string> candidates;
            if (before.EndsWith("from", StringComparison.OrdinalIgnoreCase) || before.Length == 0)
            {
                var schemas = CompletionSchemas.For(fakeBoundParameters);
                IEnumerable<string> types = schemas?.EntityTypeNames ?? (IEnumerable<string>)EntityTypeCompleter.CommonTypes;
                candidates = types.Where(t => t.StartsWith(partial, StringComparison.OrdinalIgnoreCase));
            }
            else
            {
                var match = FromType.Match(body);
                var schemas = match.Success ? CompletionSchemas.For(fakeBoundParameters) : null;
                if (schemas is null) return Array.Empty<CompletionResult>();
                candidates = AttributePaths.Complete(schemas, match.Groups[1].Value, partial);
            }
            return candidates.Select(c =>
            {
                var completed = quote + head + c + quote;
                return new CompletionResult(completed, c, CompletionResultType.ParameterValue, c);
            });
        }
    }
}
