using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Ftrack.HelpBuilder
{
    /// <summary>A problem in a markdown page, with the file and the line (1-based) where it is.</summary>
    public sealed class HelpError
    {
        public HelpError(string file, int line, string message) { File = file; Line = line; Message = message; }
        public string File { get; }
        public int Line { get; }
        public string Message { get; }
        public override string ToString() => Line > 0 ? File + ":" + Line + ": " + Message : File + ": " + Message;
    }

    /// <summary>Thrown when a page does not follow the PlatyPS format; carries every problem found.</summary>
    public sealed class HelpFormatException : Exception
    {
        public HelpFormatException(IReadOnlyList<HelpError> errors)
            : base(string.Join(Environment.NewLine, errors.Select(e => e.ToString()))) { Errors = errors; }
        public IReadOnlyList<HelpError> Errors { get; }
    }

    /// <summary>
    /// Reads one PlatyPS-format (schema 2.0.0) cmdlet page into a <see cref="CommandHelp"/>, checking
    /// that it is complete and self-consistent (the syntax lines against the parameter blocks).
    /// </summary>
    public sealed class MarkdownHelpParser
    {
        public static readonly string[] RequiredSections = { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS" };
        public static readonly string[] KnownSections = { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };
        public static readonly string[] RequiredYamlKeys = { "Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters" };
        private static readonly string[] OptionalYamlKeys = { "Accepted values", "Applicable" };
        private static readonly Regex SyntaxParameter = new(@"(?<=[\[\s])-(?<name>[A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant);
        private static readonly Regex PipelineInputValue = new(@"^(False|True \((ByValue|ByPropertyName|ByValue, ByPropertyName)\))$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

        private readonly List<HelpError> _errors = new();
        private string _file = "";
        private string _text = "";

        public static CommandHelp ParseFile(string path) =>
            new MarkdownHelpParser().Parse(File.ReadAllText(path, Encoding.UTF8), path);

        public CommandHelp Parse(string markdown, string fileName)
        {
            _errors.Clear();
            _file = fileName;
            _text = markdown.Replace("\r\n", "\n");
            var document = Markdown.Parse(_text, Pipeline);
            // PlatyPS's New-MarkdownHelp leaves "{{ Fill X Description }}" placeholders: never ship them.
            var lines = _text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
                if (Regex.IsMatch(lines[i], @"\{\{\s*Fill\b", RegexOptions.IgnoreCase))
                    Error(i + 1, "an unfilled placeholder: " + lines[i].Trim());
            var help = new CommandHelp { SourcePath = fileName };

            var blocks = document.ToList();
            var index = 0;
            if (blocks.Count > 0 && blocks[0] is YamlFrontMatterBlock front)
            {
                ReadFrontMatter(front, help);
                index = 1;
            }
            else Error(1, "the page must start with the front matter block (---, external help file: Ftrack.dll-Help.xml, Module Name, online version, schema: 2.0.0, ---)");

            string? section = null;
            var seenSections = new HashSet<string>(StringComparer.Ordinal);
            var sectionBlocks = new List<Block>();
            var sectionLine = 0;
            void Flush()
            {
                if (section != null) ReadSection(help, section, sectionLine, sectionBlocks);
                sectionBlocks.Clear();
            }

            for (; index < blocks.Count; index++)
            {
                var block = blocks[index];
                if (block is HeadingBlock { Level: 1 } h1)
                {
                    if (help.Name.Length > 0) Error(h1, "only one '# Cmdlet-Name' heading is allowed; found a second: '" + InlineText(h1) + "'");
                    else
                    {
                        help.Name = InlineText(h1).Trim();
                        if (!Regex.IsMatch(help.Name, @"^[A-Za-z]+-[A-Za-z0-9]+$")) Error(h1, "'# " + help.Name + "' is not a Verb-Noun cmdlet name");
                    }
                    if (section != null) Error(h1, "the '# Cmdlet-Name' heading must come before the ## sections");
                    continue;
                }
                if (block is HeadingBlock { Level: 2 } h2)
                {
                    Flush();
                    var name = InlineText(h2).Trim().ToUpperInvariant();
                    if (!KnownSections.Contains(name))
                    {
                        Error(h2, "unknown section '## " + InlineText(h2).Trim() + "'; the sections are " + string.Join(", ", KnownSections.Select(s => "## " + s)));
                        section = null;
                        continue;
                    }
                    if (!seenSections.Add(name)) Error(h2, "section '## " + name + "' appears twice");
                    if (help.Name.Length == 0) Error(h2, "the page needs a '# Cmdlet-Name' heading before '## " + name + "'");
                    section = name;
                    sectionLine = h2.Line + 1;
                    continue;
                }
                if (section == null)
                {
                    if (block is not (LinkReferenceDefinitionGroup or HtmlBlock or ThematicBreakBlock))
                        Error(block, "text outside any ## section");
                    continue;
                }
                sectionBlocks.Add(block);
            }
            Flush();

            if (help.Name.Length == 0) Error(1, "the page has no '# Cmdlet-Name' heading");
            foreach (var required in RequiredSections)
                if (!seenSections.Contains(required)) Error(0, "the required section '## " + required + "' is missing");
            if (seenSections.Contains("SYNOPSIS") && help.Synopsis.Count == 0) Error(0, "'## SYNOPSIS' is empty");
            if (seenSections.Contains("DESCRIPTION") && help.Description.Count == 0) Error(0, "'## DESCRIPTION' is empty");
            if (seenSections.Contains("EXAMPLES") && help.Examples.Count == 0) Error(0, "'## EXAMPLES' has no '### Example' with a code block");
            if (seenSections.Contains("SYNTAX") && help.Syntax.Count == 0) Error(0, "'## SYNTAX' has no '### <ParameterSet>' with a fenced syntax line");

            var expectedFile = help.Name + ".md";
            if (help.Name.Length > 0 && !string.Equals(Path.GetFileName(fileName), expectedFile, StringComparison.OrdinalIgnoreCase) && fileName.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
                Error(0, "the page documents '" + help.Name + "' and must be named " + expectedFile);

            CheckConsistency(help);
            if (_errors.Count > 0) throw new HelpFormatException(_errors.ToList());
            return help;
        }

        private void ReadFrontMatter(YamlFrontMatterBlock front, CommandHelp help)
        {
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in front.Lines.ToString().Split('\n'))
            {
                var trimmed = line.Trim();
                if (trimmed.Length == 0 || trimmed == "---") continue;
                var colon = trimmed.IndexOf(':');
                if (colon <= 0) { Error(front, "front matter line '" + trimmed + "' is not 'key: value'"); continue; }
                values[trimmed.Substring(0, colon).Trim()] = trimmed.Substring(colon + 1).Trim();
            }
            if (!values.TryGetValue("external help file", out var external) || external.Length == 0)
                Error(front, "front matter needs 'external help file: Ftrack.dll-Help.xml'");
            if (!values.TryGetValue("Module Name", out var module) || module.Length == 0)
                Error(front, "front matter needs 'Module Name: Ftrack'");
            else help.ModuleName = module;
            if (!values.TryGetValue("schema", out var schema) || schema != "2.0.0")
                Error(front, "front matter needs 'schema: 2.0.0' (the PlatyPS page format)");
            if (values.TryGetValue("online version", out var online) && online.Length > 0)
            {
                if (!Uri.TryCreate(online, UriKind.Absolute, out _)) Error(front, "'online version: " + online + "' is not an absolute URL");
                else help.OnlineVersion = online;
            }
        }

        private void ReadSection(CommandHelp help, string section, int line, List<Block> blocks)
        {
            switch (section)
            {
                case "SYNOPSIS":
                    help.Synopsis.AddRange(Paragraphs(blocks));
                    break;
                case "DESCRIPTION":
                    help.Description.AddRange(Paragraphs(blocks));
                    break;
                case "NOTES":
                    help.Notes.AddRange(Paragraphs(blocks));
                    break;
                case "SYNTAX":
                    foreach (var (heading, body) in SplitByH3(blocks, "## SYNTAX", allowText: false))
                        ReadSyntaxSet(help, heading, body);
                    break;
                case "EXAMPLES":
                    foreach (var (heading, body) in SplitByH3(blocks, "## EXAMPLES", allowText: false))
                        ReadExample(help, heading, body);
                    break;
                case "PARAMETERS":
                    foreach (var (heading, body) in SplitByH3(blocks, "## PARAMETERS", allowText: false))
                        ReadParameter(help, heading, body);
                    break;
                case "INPUTS":
                case "OUTPUTS":
                    foreach (var (heading, body) in SplitByH3(blocks, "## " + section, allowText: false))
                    {
                        var type = new TypeHelp { TypeName = InlineText(heading).Trim() };
                        type.Description.AddRange(Paragraphs(body));
                        (section == "INPUTS" ? help.Inputs : help.Outputs).Add(type);
                    }
                    break;
                case "RELATED LINKS":
                    ReadLinks(help, blocks);
                    break;
            }
        }

        private IEnumerable<(HeadingBlock Heading, List<Block> Body)> SplitByH3(List<Block> blocks, string section, bool allowText)
        {
            HeadingBlock? heading = null;
            var body = new List<Block>();
            foreach (var block in blocks)
            {
                if (block is HeadingBlock { Level: 3 } h3)
                {
                    if (heading != null) yield return (heading, body);
                    heading = h3;
                    body = new List<Block>();
                    continue;
                }
                if (heading == null)
                {
                    if (!allowText && block is not (HtmlBlock or ThematicBreakBlock or LinkReferenceDefinitionGroup))
                        Error(block, "text under '" + section + "' before its first ### heading");
                    continue;
                }
                body.Add(block);
            }
            if (heading != null) yield return (heading, body);
        }

        private void ReadSyntaxSet(CommandHelp help, HeadingBlock heading, List<Block> body)
        {
            var title = InlineText(heading).Trim();
            var set = new SyntaxSet { Line = heading.Line + 1 };
            if (title.EndsWith("(Default)", StringComparison.OrdinalIgnoreCase))
            {
                set.IsDefault = true;
                title = title.Substring(0, title.Length - "(Default)".Length).Trim();
            }
            set.Name = title;
            if (set.Name.Length == 0) Error(heading, "a parameter set heading under '## SYNTAX' has no name");
            var code = body.OfType<FencedCodeBlock>().ToList();
            if (code.Count == 0)
            {
                Error(heading, "parameter set '" + title + "' has no fenced syntax line (```\\n" + (help.Name.Length > 0 ? help.Name : "Verb-Noun") + " [-Parameter <Type>] [<CommonParameters>]\\n```)");
                return;
            }
            if (code.Count > 1) Error(code[1], "parameter set '" + title + "' has more than one syntax block");
            var line = string.Join(" ", CodeLines(code[0]).Select(l => l.Trim())).Trim();
            set.SyntaxLine = line;
            if (help.Name.Length > 0 && !line.StartsWith(help.Name, StringComparison.OrdinalIgnoreCase))
                Error(code[0], "the syntax line of '" + title + "' must start with " + help.Name);
            foreach (Match m in SyntaxParameter.Matches(line))
            {
                var name = m.Groups["name"].Value;
                if (set.ParameterNames.Contains(name, StringComparer.OrdinalIgnoreCase)) Error(code[0], "the syntax line of '" + title + "' names -" + name + " twice");
                else set.ParameterNames.Add(name);
            }
            if (help.Syntax.Any(s => string.Equals(s.Name, set.Name, StringComparison.OrdinalIgnoreCase)))
                Error(heading, "parameter set '" + set.Name + "' appears twice under '## SYNTAX'");
            help.Syntax.Add(set);
        }

        private void ReadExample(CommandHelp help, HeadingBlock heading, List<Block> body)
        {
            var example = new ExampleHelp { Title = InlineText(heading).Trim() };
            var code = body.OfType<FencedCodeBlock>().ToList();
            if (code.Count == 0)
            {
                Error(heading, "example '" + example.Title + "' has no fenced code block (```powershell ... ```)");
                return;
            }
            foreach (var block in code) example.Code.Add(string.Join("\n", CodeLines(block)).TrimEnd());
            example.Remarks.AddRange(Paragraphs(body.Where(b => b is not FencedCodeBlock)));
            help.Examples.Add(example);
        }

        private void ReadParameter(CommandHelp help, HeadingBlock heading, List<Block> body)
        {
            var title = InlineText(heading).Trim();
            if (title == "CommonParameters") return;
            if (!title.StartsWith("-", StringComparison.Ordinal) || !Regex.IsMatch(title, @"^-[A-Za-z_][A-Za-z0-9_]*$"))
            {
                Error(heading, "parameter heading '### " + title + "' must be '### -Name' (or '### CommonParameters')");
                return;
            }
            var parameter = new ParameterHelp { Name = title.Substring(1), Line = heading.Line + 1 };
            if (help.Parameters.Any(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)))
                Error(heading, "parameter -" + parameter.Name + " is documented twice");
            var yamlBlocks = body.OfType<FencedCodeBlock>().Where(b => string.Equals(b.Info, "yaml", StringComparison.OrdinalIgnoreCase)).ToList();
            if (yamlBlocks.Count == 0)
            {
                Error(heading, "parameter -" + parameter.Name + " has no ```yaml block (" + string.Join(", ", RequiredYamlKeys) + ")");
                return;
            }
            foreach (var yaml in yamlBlocks)
            {
                var metadata = ReadYaml(parameter.Name, yaml);
                if (metadata != null) parameter.Metadata.Add(metadata);
            }
            parameter.Description.AddRange(Paragraphs(body.Where(b => !yamlBlocks.Contains(b))));
            if (parameter.Description.Count == 0) Error(heading, "parameter -" + parameter.Name + " has no description");
            help.Parameters.Add(parameter);
        }

        private ParameterMetadata? ReadYaml(string parameter, FencedCodeBlock yaml)
        {
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var ok = true;
            foreach (var raw in CodeLines(yaml))
            {
                var line = raw.Trim();
                if (line.Length == 0) continue;
                var colon = line.IndexOf(':');
                if (colon <= 0) { Error(yaml, "-" + parameter + ": yaml line '" + line + "' is not 'Key: value'"); ok = false; continue; }
                var key = line.Substring(0, colon).Trim();
                if (!RequiredYamlKeys.Contains(key, StringComparer.OrdinalIgnoreCase) && !OptionalYamlKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
                { Error(yaml, "-" + parameter + ": unknown yaml key '" + key + "'"); ok = false; continue; }
                if (values.ContainsKey(key)) { Error(yaml, "-" + parameter + ": yaml key '" + key + "' appears twice"); ok = false; }
                values[key] = line.Substring(colon + 1).Trim();
            }
            foreach (var key in RequiredYamlKeys)
                if (!values.ContainsKey(key)) { Error(yaml, "-" + parameter + ": the yaml block lacks '" + key + ":'"); ok = false; }
            if (!ok) return null;

            var m = new ParameterMetadata { Type = values["Type"] };
            if (m.Type.Length == 0) Error(yaml, "-" + parameter + ": 'Type:' is empty");
            m.ParameterSets.AddRange(SplitList(values["Parameter Sets"]));
            if (m.ParameterSets.Count == 0) Error(yaml, "-" + parameter + ": 'Parameter Sets:' is empty; use (All) or set names");
            m.Aliases.AddRange(SplitList(values["Aliases"]));
            m.Required = ReadBool(yaml, parameter, "Required", values["Required"]);
            var position = values["Position"];
            if (string.Equals(position, "Named", StringComparison.OrdinalIgnoreCase)) m.Position = "named";
            else if (int.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out var p)) m.Position = p.ToString(CultureInfo.InvariantCulture);
            else Error(yaml, "-" + parameter + ": 'Position: " + position + "' must be Named or a number");
            m.DefaultValue = values["Default value"].Length == 0 ? "None" : values["Default value"];
            var pipeline = values["Accept pipeline input"];
            if (!PipelineInputValue.IsMatch(pipeline))
                Error(yaml, "-" + parameter + ": 'Accept pipeline input: " + pipeline + "' must be False, True (ByValue), True (ByPropertyName) or True (ByValue, ByPropertyName)");
            m.PipelineInput = pipeline;
            m.Globbing = ReadBool(yaml, parameter, "Accept wildcard characters", values["Accept wildcard characters"]);
            if (values.TryGetValue("Accepted values", out var accepted)) m.AcceptedValues.AddRange(SplitList(accepted));
            return m;
        }

        private bool ReadBool(Block block, string parameter, string key, string value)
        {
            if (string.Equals(value, "True", StringComparison.OrdinalIgnoreCase)) return true;
            if (string.Equals(value, "False", StringComparison.OrdinalIgnoreCase)) return false;
            Error(block, "-" + parameter + ": '" + key + ": " + value + "' must be True or False");
            return false;
        }

        private static List<string> SplitList(string value) =>
            value.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0 && !string.Equals(s, "None", StringComparison.OrdinalIgnoreCase)).ToList();

        private void ReadLinks(CommandHelp help, List<Block> blocks)
        {
            foreach (var block in blocks)
            {
                var found = false;
                foreach (var leaf in Leaves(block))
                {
                    if (leaf.Inline == null) continue;
                    foreach (var link in leaf.Inline.Descendants<LinkInline>())
                    {
                        found = true;
                        var text = string.Concat(link.Descendants<LiteralInline>().Select(l => l.Content.ToString()));
                        help.Links.Add(new LinkHelp { Text = text, Uri = link.Url ?? "" });
                    }
                }
                if (!found && block is not (HtmlBlock or ThematicBreakBlock or LinkReferenceDefinitionGroup))
                    Error(block, "'## RELATED LINKS' holds only links: [Text](https://...) or [about_Topic]()");
            }
        }

        private void CheckConsistency(CommandHelp help)
        {
            var sets = help.Syntax;
            var multiple = sets.Count > 1;
            foreach (var set in sets)
            {
                foreach (var name in set.ParameterNames)
                {
                    var parameter = help.Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                    if (parameter == null) { Error(set.Line, "the syntax of '" + set.Name + "' names -" + name + ", which '## PARAMETERS' does not document"); continue; }
                    if (parameter.Metadata.Count == 0) continue;
                    if (parameter.For(set.Name) == null && (multiple || !parameter.Metadata.Any(m => m.ParameterSets.Count > 0)))
                        Error(parameter.Line, "-" + name + " is in the syntax of '" + set.Name + "' but none of its yaml blocks lists that parameter set (or (All))");
                }
            }
            foreach (var parameter in help.Parameters)
            {
                foreach (var m in parameter.Metadata)
                {
                    foreach (var setName in m.ParameterSets)
                    {
                        if (setName == ParameterMetadata.AllSets) continue;
                        if (sets.Count > 0 && !sets.Any(s => string.Equals(s.Name, setName, StringComparison.OrdinalIgnoreCase)))
                            Error(parameter.Line, "-" + parameter.Name + " lists parameter set '" + setName + "', which '## SYNTAX' does not have");
                    }
                }
                if (parameter.Metadata.Count == 0) continue;
                foreach (var set in sets)
                {
                    var inSet = multiple ? parameter.For(set.Name) != null : true;
                    if (inSet && !set.ParameterNames.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase))
                        Error(parameter.Line, "-" + parameter.Name + " belongs to parameter set '" + set.Name + "' but its syntax line does not name it");
                }
            }
        }

        // ---- text ----

        /// <summary>Turns blocks into MAML paragraphs: one per markdown paragraph, list item or code block.</summary>
        private IEnumerable<string> Paragraphs(IEnumerable<Block> blocks)
        {
            foreach (var block in blocks)
            {
                switch (block)
                {
                    case ParagraphBlock p:
                        yield return JoinLines(PlainText(p.Inline));
                        break;
                    case HeadingBlock h:
                        yield return InlineText(h).Trim();
                        break;
                    case FencedCodeBlock or CodeBlock:
                        // One paragraph, lines as written: Get-Help trims the first line of a paragraph, so indenting would misalign it.
                        yield return string.Join("\n", CodeLines((LeafBlock)block).Select(l => l.TrimEnd()));
                        break;
                    case ListBlock list:
                        var number = 1;
                        if (list.IsOrdered && int.TryParse(list.OrderedStart, out var start)) number = start;
                        foreach (var item in list.OfType<ListItemBlock>())
                        {
                            var prefix = list.IsOrdered ? (number++).ToString(CultureInfo.InvariantCulture) + ". " : "- ";
                            var inner = Paragraphs(item).ToList();
                            for (var i = 0; i < inner.Count; i++) yield return (i == 0 ? prefix : "  ") + inner[i];
                        }
                        break;
                    case QuoteBlock quote:
                        foreach (var para in Paragraphs(quote)) yield return para;
                        break;
                    case Markdig.Extensions.Tables.Table:
                        yield return Raw(block).TrimEnd();
                        break;
                    case HtmlBlock or ThematicBreakBlock or LinkReferenceDefinitionGroup or BlankLineBlock:
                        break;
                    case ContainerBlock container:
                        foreach (var para in Paragraphs(container)) yield return para;
                        break;
                    default:
                        var raw = Raw(block).Trim();
                        if (raw.Length > 0) yield return raw;
                        break;
                }
            }
        }

        private static string JoinLines(string text) =>
            string.Join(" ", text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

        private static IEnumerable<string> CodeLines(LeafBlock block)
        {
            var lines = block.Lines.ToString().Replace("\r\n", "\n").Split('\n').ToList();
            while (lines.Count > 0 && lines[^1].Trim().Length == 0) lines.RemoveAt(lines.Count - 1);
            return lines;
        }

        private static IEnumerable<LeafBlock> Leaves(Block block)
        {
            if (block is LeafBlock leaf) { yield return leaf; yield break; }
            if (block is ContainerBlock container)
                foreach (var child in container)
                foreach (var l in Leaves(child)) yield return l;
        }

        private static string InlineText(HeadingBlock heading) =>
            heading.Inline == null ? JoinLines(heading.Lines.ToString()) : PlainText(heading.Inline);

        /// <summary>
        /// Inline markdown as console help shows it: the marks taken out (`code` → code, **bold** →
        /// bold, [text](url) → "text (url)", a topic link [about_X]() → about_X), the text kept.
        /// PlatyPS writes the marks into the MAML as they are, and Get-Help then prints the backticks.
        /// Code blocks never come here: they stay as written.
        /// </summary>
        private static string PlainText(ContainerInline? inlines)
        {
            var text = new StringBuilder();
            if (inlines != null) foreach (var inline in inlines) Append(text, inline);
            return text.ToString();
        }

        private static void Append(StringBuilder text, Inline inline)
        {
            switch (inline)
            {
                case LiteralInline literal: text.Append(literal.Content.ToString()); break;
                case CodeInline code: text.Append(code.Content); break;
                case LineBreakInline: text.Append('\n'); break;
                case LinkInline link:
                    var label = PlainText(link);
                    text.Append(label);
                    if (Uri.TryCreate(link.Url, UriKind.Absolute, out _) && link.Url != label) text.Append(" (").Append(link.Url).Append(')');
                    break;
                case AutolinkInline autolink: text.Append(autolink.Url); break;
                case HtmlEntityInline entity: text.Append(entity.Transcoded.ToString()); break;
                case HtmlInline html: text.Append(html.Tag); break;   // <Type> placeholders are text to a reader
                case ContainerInline container: foreach (var child in container) Append(text, child); break;
            }
        }

        private string Raw(Block block) =>
            block.Span.Start >= 0 && block.Span.End < _text.Length ? _text.Substring(block.Span.Start, block.Span.Length) : "";

        private void Error(Block block, string message) => Error(block.Line + 1, message);
        private void Error(int line, string message) => _errors.Add(new HelpError(_file, line, message));
    }
}
