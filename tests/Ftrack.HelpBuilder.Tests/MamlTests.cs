using System.Xml.Linq;
using Xunit;

namespace Ftrack.HelpBuilder.Tests;

public class MamlTests
{
    private static readonly XNamespace Maml = MamlWriter.Maml;
    private static readonly XNamespace Command = MamlWriter.Command;
    private static readonly XNamespace Dev = MamlWriter.Dev;

    private static XElement Convert(string page = SamplePages.Valid)
    {
        var help = new MarkdownHelpParser().Parse(page, "Get-FtrackThing.md");
        // Through text and back: what Get-Help reads is the serialized document.
        var text = MamlWriter.ToText(MamlWriter.ToDocument(new[] { help }));
        return XDocument.Parse(text).Root!;
    }

    private static XElement Single(XElement root) => Assert.Single(root.Elements(Command + "command"));

    private static string[] Paras(XElement? element) =>
        element == null ? Array.Empty<string>() : element.Elements(Maml + "para").Select(p => p.Value).ToArray();

    [Fact]
    public void Root_is_helpItems_with_the_maml_schema()
    {
        var root = Convert();
        Assert.Equal(XName.Get("helpItems", "http://msh"), root.Name);
        Assert.Equal("maml", (string?)root.Attribute("schema"));
    }

    [Fact]
    public void Details_carry_name_verb_noun_and_synopsis()
    {
        var details = Single(Convert()).Element(Command + "details")!;
        Assert.Equal("Get-FtrackThing", details.Element(Command + "name")!.Value);
        Assert.Equal("Get", details.Element(Command + "verb")!.Value);
        Assert.Equal("FtrackThing", details.Element(Command + "noun")!.Value);
        Assert.Equal(new[] { "Gets things from an ftrack server." }, Paras(details.Element(Maml + "description")));
    }

    [Fact]
    public void Description_has_one_para_per_paragraph_and_list_item_with_text_escaped_by_xml_not_by_hand()
    {
        var command = Single(Convert());
        var paras = Paras(command.Element(Maml + "description"));
        Assert.Equal(new[]
        {
            "Get-FtrackThing gets things. It has a second line in the same paragraph.",
            "A second paragraph with code & <angle brackets>.",
            "- first item",
            "- second item",
        }, paras);
    }

    [Fact]
    public void One_syntax_item_per_parameter_set_in_syntax_line_order_with_set_specific_metadata()
    {
        var items = Single(Convert()).Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal("Get-FtrackThing", i.Element(Maml + "name")!.Value));

        string[] Names(XElement item) => item.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).ToArray();
        Assert.Equal(new[] { "Name", "Session", "WhatIf", "Confirm" }, Names(items[0]));
        Assert.Equal(new[] { "Id", "Session", "WhatIf", "Confirm" }, Names(items[1]));

        var name = items[0].Elements(Command + "parameter").First();
        Assert.Equal("false", (string?)name.Attribute("required"));
        Assert.Equal("0", (string?)name.Attribute("position"));
        Assert.Equal("true", (string?)name.Attribute("globbing"));
        Assert.Equal("true", (string?)name.Attribute("variableLength"));
        Assert.Equal("True (ByValue, ByPropertyName)", (string?)name.Attribute("pipelineInput"));
        Assert.Equal("ThingName, N", (string?)name.Attribute("aliases"));
        Assert.Equal("String[]", name.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal("String[]", name.Element(Command + "parameterValue")!.Value);
        Assert.Equal(new[] { "alpha", "beta" },
            name.Element(Command + "parameterValueGroup")!.Elements(Command + "parameterValue").Select(v => v.Value).ToArray());

        var id = items[1].Elements(Command + "parameter").First();
        Assert.Equal("true", (string?)id.Attribute("required"));
        Assert.Equal("named", (string?)id.Attribute("position"));
        Assert.Equal("none", (string?)id.Attribute("aliases"));
        Assert.Equal("True (ByPropertyName)", (string?)id.Attribute("pipelineInput"));
    }

    [Fact]
    public void Switches_in_syntax_have_no_value_placeholder_but_keep_their_type()
    {
        var item = Single(Convert()).Element(Command + "syntax")!.Elements(Command + "syntaxItem").First();
        var whatIf = item.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "WhatIf");
        Assert.Null(whatIf.Element(Command + "parameterValue"));
        Assert.Equal("SwitchParameter", whatIf.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal("wi", (string?)whatIf.Attribute("aliases"));
    }

    [Fact]
    public void Parameters_list_every_documented_parameter_once_with_description_and_default()
    {
        var parameters = Single(Convert()).Element(Command + "parameters")!.Elements(Command + "parameter").ToList();
        Assert.Equal(new[] { "Confirm", "Id", "Name", "Session", "WhatIf" }, parameters.Select(p => p.Element(Maml + "name")!.Value).ToArray());
        var name = parameters.Single(p => p.Element(Maml + "name")!.Value == "Name");
        Assert.Equal(new[] { "Names; wildcards allowed." }, Paras(name.Element(Maml + "description")));
        Assert.Equal("All", name.Element(Dev + "defaultValue")!.Value);
        var confirm = parameters.Single(p => p.Element(Maml + "name")!.Value == "Confirm");
        Assert.Equal("False", confirm.Element(Dev + "defaultValue")!.Value);
        Assert.NotNull(confirm.Element(Command + "parameterValue"));
    }

    [Fact]
    public void Inputs_outputs_and_notes()
    {
        var command = Single(Convert());
        var input = Assert.Single(command.Element(Command + "inputTypes")!.Elements(Command + "inputType"));
        Assert.Equal("System.String", input.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal(new[] { "Names." }, Paras(input.Element(Maml + "description")));
        var output = Assert.Single(command.Element(Command + "returnValues")!.Elements(Command + "returnValue"));
        Assert.Equal("Ftrack.Thing", output.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        var alert = command.Element(Maml + "alertSet")!.Element(Maml + "alert");
        Assert.Equal(new[] { "Nothing to note." }, Paras(alert));
    }

    [Fact]
    public void A_code_block_in_text_is_one_paragraph_with_its_lines()
    {
        var page = SamplePages.Replace("## NOTES\nNothing to note.\n", "## NOTES\nIn tests:\n\n```\nBeforeAll { Start }\n    AfterAll { Stop }\n```\n");
        var alert = Single(Convert(page)).Element(Maml + "alertSet")!.Element(Maml + "alert");
        Assert.Equal(new[] { "In tests:", "BeforeAll { Start }\n    AfterAll { Stop }" }, Paras(alert));
    }

    [Fact]
    public void Inline_marks_are_taken_out_of_text_and_code_stays_as_written()
    {
        var page = SamplePages.Replace("## NOTES\nNothing to note.\n",
            "## NOTES\nUse `Get-Thing -Name 'a*'` for **all** *of* them; see [about_Ftrack]() and [the docs](https://example.com/docs), with `a` \\* b.\n\n```\n$x = `\n    'kept `as` written'\n```\n");
        var alert = Single(Convert(page)).Element(Maml + "alertSet")!.Element(Maml + "alert");
        Assert.Equal(new[]
        {
            "Use Get-Thing -Name 'a*' for all of them; see about_Ftrack and the docs (https://example.com/docs), with a * b.",
            "$x = `\n    'kept `as` written'",
        }, Paras(alert));
    }

    [Fact]
    public void Examples_have_title_code_and_remarks()
    {
        var examples = Single(Convert()).Element(Command + "examples")!.Elements(Command + "example").ToList();
        Assert.Equal(2, examples.Count);
        Assert.Contains("Example 1: By name", examples[0].Element(Maml + "title")!.Value);
        Assert.Equal("Get-FtrackThing -Name 'a*'", examples[0].Element(Dev + "code")!.Value);
        Assert.Equal(new[] { "Gets the things whose names start with a." }, Paras(examples[0].Element(Dev + "remarks")));
        Assert.Equal("Get-FtrackThing -Id 42 |\n    Format-List", examples[1].Element(Dev + "code")!.Value);
        Assert.Empty(Paras(examples[1].Element(Dev + "remarks")));
    }

    [Fact]
    public void Related_links_start_with_the_online_version_and_keep_topic_links_without_uri()
    {
        var links = Single(Convert()).Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink")
            .Select(l => (Text: l.Element(Maml + "linkText")!.Value, Uri: l.Element(Maml + "uri")!.Value)).ToArray();
        Assert.Equal(new[]
        {
            ("Online Version:", "https://example.com/Get-FtrackThing"),
            ("Online docs", "https://example.com/things"),
            ("about_Ftrack", ""),
        }, links);
    }

    [Fact]
    public void Element_order_in_a_command_is_the_one_Get_Help_expects()
    {
        var order = Single(Convert()).Elements().Select(e => e.Name.LocalName).ToArray();
        Assert.Equal(new[] { "details", "description", "syntax", "parameters", "inputTypes", "returnValues", "alertSet", "examples", "relatedLinks" }, order);
    }

    [Fact]
    public void Output_is_deterministic_with_unix_newlines_and_no_bom()
    {
        var help = new MarkdownHelpParser().Parse(SamplePages.Valid, "Get-FtrackThing.md");
        var a = MamlWriter.ToText(MamlWriter.ToDocument(new[] { help }));
        var b = MamlWriter.ToText(MamlWriter.ToDocument(new[] { new MarkdownHelpParser().Parse(SamplePages.Valid.Replace("\n", "\r\n"), "Get-FtrackThing.md") }));
        Assert.Equal(a, b);
        Assert.DoesNotContain("\r", a);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", a);
    }

    [Fact]
    public void Commands_are_sorted_by_name()
    {
        var parser = new MarkdownHelpParser();
        var thing = parser.Parse(SamplePages.Valid, "Get-FtrackThing.md");
        var other = parser.Parse(SamplePages.Valid.Replace("Get-FtrackThing", "Add-FtrackThing"), "Add-FtrackThing.md");
        var root = MamlWriter.ToDocument(new[] { thing, other }).Root!;
        Assert.Equal(new[] { "Add-FtrackThing", "Get-FtrackThing" },
            root.Elements(Command + "command").Select(c => c.Element(Command + "details")!.Element(Command + "name")!.Value).ToArray());
    }
}
