using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Ftrack.HelpBuilder
{
    /// <summary>
    /// Writes cmdlet help as MAML, the XML that Get-Help reads from &lt;Assembly&gt;.dll-Help.xml.
    /// The element layout is the one PowerShell's help provider expects (and PlatyPS writes).
    /// </summary>
    public static class MamlWriter
    {
        public static readonly XNamespace Msh = "http://msh";
        public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        public static readonly XNamespace MsHelp = "http://msdn.microsoft.com/mshelp";

        public static XDocument ToDocument(IEnumerable<CommandHelp> commands) =>
            new(new XDeclaration("1.0", "utf-8", null),
                new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                    commands.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Select(CommandElement)));

        /// <summary>The document as text: UTF-8, indented, "\n" line ends, no timestamps, so rebuilding unchanged pages changes no byte.</summary>
        public static string ToText(XDocument document)
        {
            var settings = new XmlWriterSettings
            {
                Indent = true,
                IndentChars = "  ",
                NewLineChars = "\n",
                NewLineHandling = NewLineHandling.Replace,
                Encoding = new UTF8Encoding(false),
                OmitXmlDeclaration = false,
            };
            using var stream = new MemoryStream();
            using (var writer = XmlWriter.Create(stream, settings)) document.Save(writer);
            return new UTF8Encoding(false).GetString(stream.ToArray()) + "\n";
        }

        public static XElement CommandElement(CommandHelp help) =>
            new(Command + "command",
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XAttribute(XNamespace.Xmlns + "MSHelp", MsHelp),
                new XElement(Command + "details",
                    new XElement(Command + "name", help.Name),
                    new XElement(Command + "verb", help.Verb),
                    new XElement(Command + "noun", help.Noun),
                    new XElement(Maml + "description", Paras(help.Synopsis))),
                new XElement(Maml + "description", Paras(help.Description)),
                new XElement(Command + "syntax", help.Syntax.Select(set => SyntaxItem(help, set))),
                new XElement(Command + "parameters", help.Parameters.Where(p => p.Metadata.Count > 0).Select(p => Parameter(p, p.Metadata[0], inSyntax: false))),
                new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeElement("inputType", t))),
                new XElement(Command + "returnValues", help.Outputs.Select(t => TypeElement("returnValue", t))),
                new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(help.Notes))),
                new XElement(Command + "examples", help.Examples.Select((e, i) => Example(e))),
                new XElement(Command + "relatedLinks", Links(help)));

        private static XElement SyntaxItem(CommandHelp help, SyntaxSet set)
        {
            var single = help.Syntax.Count == 1;
            var parameters = new List<XElement>();
            foreach (var name in set.ParameterNames)
            {
                var parameter = help.Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                if (parameter == null || parameter.Metadata.Count == 0) continue;
                var metadata = parameter.For(set.Name) ?? (single ? parameter.Metadata[0] : null);
                if (metadata != null) parameters.Add(Parameter(parameter, metadata, inSyntax: true));
            }
            return new XElement(Command + "syntaxItem", new XElement(Maml + "name", help.Name), parameters);
        }

        private static XElement Parameter(ParameterHelp parameter, ParameterMetadata m, bool inSyntax)
        {
            var type = m.IsSwitch ? "SwitchParameter" : m.Type;
            return new XElement(Command + "parameter",
                new XAttribute("required", Bool(m.Required)),
                new XAttribute("variableLength", Bool(type.EndsWith("[]", StringComparison.Ordinal))),
                new XAttribute("globbing", Bool(m.Globbing)),
                new XAttribute("pipelineInput", m.PipelineInput),
                new XAttribute("position", m.Position),
                new XAttribute("aliases", m.Aliases.Count > 0 ? string.Join(", ", m.Aliases) : "none"),
                new XElement(Maml + "name", parameter.Name),
                new XElement(Maml + "description", Paras(parameter.Description)),
                inSyntax && m.AcceptedValues.Count > 0
                    ? new XElement(Command + "parameterValueGroup", m.AcceptedValues.Select(v =>
                        new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v)))
                    : null,
                // In a syntax item a switch shows as [-Name], without a value placeholder.
                inSyntax && m.IsSwitch
                    ? null
                    : new XElement(Command + "parameterValue", new XAttribute("required", Bool(!m.IsSwitch)), new XAttribute("variableLength", "false"), type),
                new XElement(Dev + "type", new XElement(Maml + "name", type), new XElement(Maml + "uri")),
                new XElement(Dev + "defaultValue", m.IsSwitch && m.DefaultValue == "None" ? "False" : m.DefaultValue));
        }

        private static XElement TypeElement(string element, TypeHelp type) =>
            new(Command + element,
                new XElement(Dev + "type", new XElement(Maml + "name", type.TypeName)),
                new XElement(Maml + "description", Paras(type.Description)));

        private static XElement Example(ExampleHelp example) =>
            new(Command + "example",
                new XElement(Maml + "title", PadTitle(example.Title)),
                new XElement(Dev + "code", string.Join("\n\n", example.Code)),
                new XElement(Dev + "remarks", Paras(example.Remarks)));

        private static IEnumerable<XElement> Links(CommandHelp help)
        {
            if (help.OnlineVersion != null)
                yield return new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", "Online Version:"), new XElement(Maml + "uri", help.OnlineVersion));
            foreach (var link in help.Links)
            {
                // Get-Help -Online and the help engine want absolute URIs; topic links ([about_X]()) carry none.
                var uri = Uri.TryCreate(link.Uri, UriKind.Absolute, out _) ? link.Uri : "";
                yield return new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", link.Text), new XElement(Maml + "uri", uri));
            }
        }

        private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs) =>
            paragraphs.Select(p => new XElement(Maml + "para", p));

        /// <summary>"Example 1: x" → "--------- Example 1: x ---------", as Get-Help shows built-in examples.</summary>
        private static string PadTitle(string title)
        {
            if (title.Length == 0 || title.Length >= 60 || title.StartsWith("-", StringComparison.Ordinal)) return title;
            var dashes = new string('-', (64 - title.Length - 2) / 2);
            return dashes + " " + title + " " + dashes;
        }

        private static string Bool(bool value) => value ? "true" : "false";
    }
}
