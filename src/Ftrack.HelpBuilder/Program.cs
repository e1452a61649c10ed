using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace Ftrack.HelpBuilder
{
    /// <summary>
    /// Ftrack.HelpBuilder --docs &lt;folder of Cmdlet-Name.md pages&gt; --output &lt;path of Ftrack.dll-Help.xml&gt;
    /// Exit codes: 0 written, 1 a page is malformed (every problem printed as file:line: message), 2 bad usage.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

        public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        {
            string? docs = null, output = null;
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--docs" when i + 1 < args.Length: docs = args[++i]; break;
                    case "--output" when i + 1 < args.Length: output = args[++i]; break;
                    case "-h" or "--help":
                        stdout.WriteLine(Usage);
                        return 0;
                    default:
                        stderr.WriteLine("Ftrack.HelpBuilder: unexpected argument '" + args[i] + "'.");
                        stderr.WriteLine(Usage);
                        return 2;
                }
            }
            if (docs == null || output == null)
            {
                stderr.WriteLine("Ftrack.HelpBuilder: both --docs and --output are required.");
                stderr.WriteLine(Usage);
                return 2;
            }
            if (!Directory.Exists(docs))
            {
                stderr.WriteLine("Ftrack.HelpBuilder: the docs folder '" + docs + "' does not exist.");
                return 2;
            }
            var pages = Directory.GetFiles(docs, "*.md").OrderBy(p => p, StringComparer.Ordinal).ToList();
            if (pages.Count == 0)
            {
                stderr.WriteLine("Ftrack.HelpBuilder: no *.md pages in '" + docs + "'.");
                return 1;
            }

            var commands = new List<CommandHelp>();
            var errors = new List<HelpError>();
            foreach (var page in pages)
            {
                try { commands.Add(MarkdownHelpParser.ParseFile(page)); }
                catch (HelpFormatException e) { errors.AddRange(e.Errors); }
            }
            foreach (var duplicate in commands.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
                errors.Add(new HelpError(duplicate.Last().SourcePath, 0, duplicate.Key + " is documented by more than one page: " + string.Join(", ", duplicate.Select(c => Path.GetFileName(c.SourcePath)))));
            if (errors.Count > 0)
            {
                stderr.WriteLine("Ftrack.HelpBuilder: " + errors.Count + " problem(s) in the help pages; nothing written:");
                foreach (var error in errors) stderr.WriteLine("  " + error);
                return 1;
            }

            var text = MamlWriter.ToText(MamlWriter.ToDocument(commands));
            var folder = Path.GetDirectoryName(Path.GetFullPath(output));
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            if (!File.Exists(output) || File.ReadAllText(output, Encoding.UTF8) != text)
                File.WriteAllText(output, text, new UTF8Encoding(false));
            stdout.WriteLine("Ftrack.HelpBuilder: " + commands.Count + " cmdlet page(s) -> " + output);
            return 0;
        }

        private const string Usage = "usage: Ftrack.HelpBuilder --docs <folder with Cmdlet-Name.md pages> --output <path>/Ftrack.dll-Help.xml";
    }
}
