using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using Ftrack.Core.Query;
using Ftrack.Core.Schema;

namespace Ftrack.Completers
{
    /// <summary>
    /// Completion inside a query expression, wherever the cursor is: the entity type after "from"
    /// (and in a cast, parent[Sh → parent[Shot]), and attribute paths in select, where and order by,
    /// relative to what they belong to ('... where status has (na' completes Status attributes).
    /// PowerShell hands a completer the whole string, not the cursor: the cursor comes from the
    /// variables of the TabExpansion2 call that asked ($cursorColumn, or $positionOfCursor), found
    /// on the call stack (PSReadLine and the console go through TabExpansion2); without one the
    /// cursor is taken to be at the end of the string.
    /// </summary>
    public sealed class QueryExpressionCompleter : IArgumentCompleter
    {
        // Stands in for the word being typed when the cursor is between words, so the outline sees a path or type there.
        private const string Placeholder = "ftrack_completion_placeholder";

        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = wordToComplete ?? "";
            var quote = word.Length > 0 && word[0] is '\'' or '"' ? word[0].ToString() : "";
            var body = word.Substring(quote.Length);
            if (quote.Length > 0 && body.EndsWith(quote, StringComparison.Ordinal)) body = body.Substring(0, body.Length - 1);
            var cursor = CursorIn(commandAst, word, quote.Length) is { } at && at <= body.Length ? at : body.Length;

            var schemas = CompletionSchemas.For(fakeBoundParameters);
            var completions = Complete(schemas, body, cursor);
            return completions.Select(c =>
            {
                var text = quote.Length > 0 || c.Body.Any(char.IsWhiteSpace) ? (quote.Length > 0 ? quote : "'") + c.Body + (quote.Length > 0 ? quote : "'") : c.Body;
                return new CompletionResult(text, c.Item, CompletionResultType.ParameterValue, c.Item);
            });
        }

        /// <summary>The completions at <paramref name="cursor"/> of <paramref name="body"/>: the whole new body and the completed item.</summary>
        internal static IEnumerable<(string Body, string Item)> Complete(SchemaRegistry? schemas, string body, int cursor)
        {
            var wordStart = cursor;
            while (wordStart > 0 && QueryTokenizer.IsWordChar(body[wordStart - 1])) wordStart--;
            var wordEnd = cursor;
            while (wordEnd < body.Length && QueryTokenizer.IsWordChar(body[wordEnd])) wordEnd++;
            if (InsideString(body, cursor)) return Array.Empty<(string, string)>();
            var partial = body.Substring(wordStart, cursor - wordStart);
            var probe = wordStart == wordEnd ? body.Substring(0, cursor) + Placeholder + body.Substring(cursor) : body;
            var outline = QueryOutline.Parse(probe);

            // A cast being typed: parent[Sh
            var bracket = partial.LastIndexOf('[');
            if (bracket >= 0 && partial.IndexOf(']', bracket) < 0)
            {
                var typed = partial.Substring(bracket + 1);
                var castEnd = cursor;
                while (castEnd < wordEnd && body[castEnd] != ']' && body[castEnd] != '.') castEnd++;
                var rest = castEnd < body.Length && body[castEnd] == ']' ? body.Substring(castEnd + 1) : body.Substring(castEnd);
                return TypeNames(schemas, typed).Select(t => (body.Substring(0, wordStart + bracket + 1) + t + "]" + rest, t)).ToList();
            }

            if (outline.Queries.FirstOrDefault(q => q.EntityTypeStart == wordStart) is not null)
                return TypeNames(schemas, partial).Select(t => (body.Substring(0, wordStart) + t + body.Substring(wordEnd), t)).ToList();

            var path = outline.Paths.FirstOrDefault(p => p.Start == wordStart);
            if (schemas is null || path is null || QueryCheck.StartOf(schemas, path) is not { } start) return Array.Empty<(string, string)>();
            // The segment under the cursor is replaced; what follows it (.name after status) stays.
            var segmentEnd = cursor;
            while (segmentEnd < wordEnd && body[segmentEnd] != '.' && body[segmentEnd] != '[') segmentEnd++;
            return AttributePaths.Complete(schemas, start, partial)
                .Select(p => (body.Substring(0, wordStart) + p + body.Substring(segmentEnd), p)).ToList();
        }

        private static IEnumerable<string> TypeNames(SchemaRegistry? schemas, string prefix) =>
            (schemas?.EntityTypeNames ?? (IEnumerable<string>)EntityTypeCompleter.CommonTypes).Where(t => t.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

        /// <summary>Whether the cursor is in a quoted value (an unclosed one runs to the end): nothing to complete there.</summary>
        private static bool InsideString(string body, int cursor) =>
            QueryTokenizer.Tokenize(body).Any(t => t.Kind == QueryTokenKind.String && t.Start < cursor && (cursor < t.End || !IsClosed(t)));

        private static bool IsClosed(QueryToken token) => token.Text.Length >= 2 && token.Text[token.Text.Length - 1] == token.Text[0];

        /// <summary>The cursor's offset in the string's text (after its opening quote), when TabExpansion2 says where it is.</summary>
        private static int? CursorIn(CommandAst commandAst, string word, int quoteLength)
        {
            if (CursorOfTabExpansion() is not { } offset) return null;
            var argument = commandAst?.CommandElements.FirstOrDefault(e => e.Extent.Text == word && e.Extent.StartOffset < offset && offset <= e.Extent.EndOffset);
            return argument is null ? null : offset - argument.Extent.StartOffset - quoteLength;
        }

        /// <summary>The cursor offset TabExpansion2 was called with, from its frame on the call stack.</summary>
        private static int? CursorOfTabExpansion()
        {
            var debugger = Runspace.DefaultRunspace?.Debugger;
            if (debugger is null) return null;
            foreach (var frame in debugger.GetCallStack())
            {
                var variables = frame.GetFrameVariables();
                if (variables.TryGetValue("positionOfCursor", out var position) && position.Value is IScriptPosition p) return p.Offset;
                if (variables.ContainsKey("inputScript") && variables.TryGetValue("cursorColumn", out var column) && column.Value is int c) return c;
            }
            return null;
        }
    }
}
