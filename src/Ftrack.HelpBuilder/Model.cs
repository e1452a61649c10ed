using System.Collections.Generic;

namespace Ftrack.HelpBuilder
{
    /// <summary>One cmdlet's help page, as read from a PlatyPS-format markdown file.</summary>
    public sealed class CommandHelp
    {
        public string Name { get; set; } = "";
        public string Verb => Name.Split('-')[0];
        public string Noun => Name.Length > Verb.Length ? Name.Substring(Verb.Length + 1) : "";
        public string? OnlineVersion { get; set; }
        public string? ModuleName { get; set; }
        public List<string> Synopsis { get; } = new();
        public List<string> Description { get; } = new();
        public List<SyntaxSet> Syntax { get; } = new();
        public List<ParameterHelp> Parameters { get; } = new();
        public List<ExampleHelp> Examples { get; } = new();
        public List<TypeHelp> Inputs { get; } = new();
        public List<TypeHelp> Outputs { get; } = new();
        public List<string> Notes { get; } = new();
        public List<LinkHelp> Links { get; } = new();
        public string SourcePath { get; set; } = "";
    }

    /// <summary>A parameter set: its name and the parameters of its syntax line, in order.</summary>
    public sealed class SyntaxSet
    {
        public string Name { get; set; } = "";
        public bool IsDefault { get; set; }
        public string SyntaxLine { get; set; } = "";
        public List<string> ParameterNames { get; } = new();
        public int Line { get; set; }
    }

    public sealed class ParameterHelp
    {
        public string Name { get; set; } = "";
        public List<string> Description { get; } = new();
        /// <summary>One metadata block per group of parameter sets that share the same metadata.</summary>
        public List<ParameterMetadata> Metadata { get; } = new();
        public int Line { get; set; }

        /// <summary>The metadata that applies in a parameter set, or null when the parameter is not in it.</summary>
        public ParameterMetadata? For(string setName)
        {
            foreach (var m in Metadata) if (m.AppliesTo(setName)) return m;
            return null;
        }
    }

    public sealed class ParameterMetadata
    {
        public const string AllSets = "(All)";
        public string Type { get; set; } = "";
        public List<string> ParameterSets { get; } = new();
        public List<string> Aliases { get; } = new();
        public bool Required { get; set; }
        /// <summary>"named" or a number.</summary>
        public string Position { get; set; } = "named";
        public string DefaultValue { get; set; } = "None";
        /// <summary>"False" or e.g. "True (ByValue, ByPropertyName)".</summary>
        public string PipelineInput { get; set; } = "False";
        public bool Globbing { get; set; }
        public List<string> AcceptedValues { get; } = new();

        public bool AppliesTo(string setName)
        {
            foreach (var s in ParameterSets)
                if (s == AllSets || string.Equals(s, setName, System.StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }

        public bool IsSwitch => Type is "SwitchParameter" or "System.Management.Automation.SwitchParameter" or "switch" or "Switch";
    }

    public sealed class ExampleHelp
    {
        public string Title { get; set; } = "";
        public List<string> Code { get; } = new();
        public List<string> Remarks { get; } = new();
    }

    public sealed class TypeHelp
    {
        public string TypeName { get; set; } = "";
        public List<string> Description { get; } = new();
    }

    public sealed class LinkHelp
    {
        public string Text { get; set; } = "";
        public string Uri { get; set; } = "";
    }
}
