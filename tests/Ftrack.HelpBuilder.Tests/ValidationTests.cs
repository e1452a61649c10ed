using Xunit;

namespace Ftrack.HelpBuilder.Tests;

public class ValidationTests
{
    private static HelpFormatException Fails(string page, string file = "Get-FtrackThing.md") =>
        Assert.Throws<HelpFormatException>(() => new MarkdownHelpParser().Parse(page, file));

    private static void FailsWith(string page, string expected)
    {
        var e = Fails(page);
        Assert.Contains(e.Errors, error => error.Message.Contains(expected, StringComparison.Ordinal));
        Assert.All(e.Errors, error => Assert.Equal("Get-FtrackThing.md", error.File));
    }

    [Fact]
    public void The_sample_page_is_valid() => new MarkdownHelpParser().Parse(SamplePages.Valid, "Get-FtrackThing.md");

    [Theory]
    [InlineData("## SYNOPSIS\nGets things from an ftrack server.\n", "'## SYNOPSIS' is missing")]
    [InlineData("## DESCRIPTION\n", "'## DESCRIPTION' is missing")]
    [InlineData("## PARAMETERS\n", "'## PARAMETERS' is missing")]
    public void A_missing_required_section_is_named(string remove, string expected) =>
        FailsWith(SamplePages.Replace(remove, ""), expected);

    [Fact]
    public void An_empty_synopsis_is_an_error() =>
        FailsWith(SamplePages.Replace("Gets things from an ftrack server.\n", ""), "'## SYNOPSIS' is empty");

    [Fact]
    public void A_misspelt_section_is_an_error() =>
        FailsWith(SamplePages.Replace("## NOTES", "## NOTE"), "unknown section '## NOTE'");

    [Fact]
    public void A_parameter_without_a_yaml_block_is_an_error_with_its_line()
    {
        var page = SamplePages.Replace("The id.\n\n```yaml\nType: String\nParameter Sets: ById\nAliases:\n\nRequired: True\nPosition: Named\nDefault value: None\nAccept pipeline input: True (ByPropertyName)\nAccept wildcard characters: False\n```\n", "The id.\n");
        var e = Fails(page);
        var error = Assert.Single(e.Errors, x => x.Message.Contains("-Id has no ```yaml block", StringComparison.Ordinal));
        var lines = page.Split('\n');
        Assert.Equal("### -Id", lines[error.Line - 1]);
        Assert.Contains("Get-FtrackThing.md:" + error.Line + ":", e.Message);
    }

    [Fact]
    public void A_yaml_block_without_a_key_is_an_error() =>
        FailsWith(SamplePages.Replace("Parameter Sets: ById\n", ""), "-Id: the yaml block lacks 'Parameter Sets:'");

    [Fact]
    public void An_unknown_yaml_key_is_an_error() =>
        FailsWith(SamplePages.Replace("Parameter Sets: ById\n", "Parameter Sets: ById\nMandatory: True\n"), "unknown yaml key 'Mandatory'");

    [Theory]
    [InlineData("Required: True\nPosition: Named\nDefault value: None\nAccept pipeline input: True (ByPropertyName)", "Required: Yes\nPosition: Named\nDefault value: None\nAccept pipeline input: True (ByPropertyName)", "'Required: Yes' must be True or False")]
    [InlineData("Required: True\nPosition: Named\nDefault value: None\nAccept pipeline input: True (ByPropertyName)", "Required: True\nPosition: first\nDefault value: None\nAccept pipeline input: True (ByPropertyName)", "'Position: first' must be Named or a number")]
    [InlineData("Accept pipeline input: True (ByPropertyName)", "Accept pipeline input: Yes", "'Accept pipeline input: Yes' must be False")]
    public void Bad_yaml_values_are_errors(string oldText, string newText, string expected) =>
        FailsWith(SamplePages.Replace(oldText, newText), expected);

    [Fact]
    public void A_syntax_parameter_that_is_not_documented_is_an_error() =>
        FailsWith(SamplePages.Replace("[-Session <FtrackSession>] [-WhatIf] [-Confirm] [<CommonParameters>]\n```\n\n### ById",
            "[-Session <FtrackSession>] [-Force] [-WhatIf] [-Confirm] [<CommonParameters>]\n```\n\n### ById"), "names -Force, which '## PARAMETERS' does not document");

    [Fact]
    public void A_documented_parameter_missing_from_its_sets_syntax_is_an_error() =>
        FailsWith(SamplePages.Replace("Get-FtrackThing -Id <String> [-Session <FtrackSession>] [-WhatIf] [-Confirm]", "Get-FtrackThing -Id <String> [-Session <FtrackSession>] [-Confirm]"),
            "-WhatIf belongs to parameter set 'ById' but its syntax line does not name it");

    [Fact]
    public void A_parameter_listing_an_unknown_set_is_an_error() =>
        FailsWith(SamplePages.Replace("Parameter Sets: ById", "Parameter Sets: ByKey"), "lists parameter set 'ByKey', which '## SYNTAX' does not have");

    [Fact]
    public void A_parameter_set_without_a_syntax_block_is_an_error() =>
        FailsWith(SamplePages.Replace("### ById\n```\nGet-FtrackThing -Id <String> [-Session <FtrackSession>] [-WhatIf] [-Confirm] [<CommonParameters>]\n```\n", "### ById\n"),
            "parameter set 'ById' has no fenced syntax line");

    [Fact]
    public void An_example_without_code_is_an_error() =>
        FailsWith(SamplePages.Replace("```powershell\nGet-FtrackThing -Name 'a*'\n```\n", ""), "example 'Example 1: By name' has no fenced code block");

    [Fact]
    public void A_parameter_without_description_is_an_error() =>
        FailsWith(SamplePages.Replace("### -Session\nThe session.\n", "### -Session\n"), "parameter -Session has no description");

    [Fact]
    public void A_parameter_heading_without_dash_is_an_error() =>
        FailsWith(SamplePages.Replace("### -Session\n", "### Session\n"), "'### Session' must be '### -Name'");

    [Fact]
    public void A_duplicate_parameter_is_an_error() =>
        FailsWith(SamplePages.Replace("### CommonParameters", "### -Session\nAgain.\n\n```yaml\nType: FtrackSession\nParameter Sets: (All)\nAliases:\nRequired: False\nPosition: Named\nDefault value: None\nAccept pipeline input: False\nAccept wildcard characters: False\n```\n\n### CommonParameters"),
            "parameter -Session is documented twice");

    [Fact]
    public void Missing_front_matter_is_an_error() =>
        FailsWith(SamplePages.Valid.Substring(SamplePages.Valid.IndexOf("# Get-FtrackThing", StringComparison.Ordinal)), "must start with the front matter");

    [Fact]
    public void A_wrong_schema_version_is_an_error() =>
        FailsWith(SamplePages.Replace("schema: 2.0.0", "schema: 1.0.0"), "'schema: 2.0.0'");

    [Fact]
    public void A_file_named_after_another_cmdlet_is_an_error()
    {
        var e = Fails(SamplePages.Valid, "Get-FtrackOther.md");
        Assert.Contains(e.Errors, x => x.Message.Contains("must be named Get-FtrackThing.md", StringComparison.Ordinal));
    }

    [Fact]
    public void Related_links_must_be_links() =>
        FailsWith(SamplePages.Replace("[about_Ftrack]()", "about_Ftrack"), "'## RELATED LINKS' holds only links");

    [Fact]
    public void An_unfilled_PlatyPS_placeholder_is_an_error() =>
        FailsWith(SamplePages.Replace("### -Session\nThe session.\n", "### -Session\n{{ Fill Session Description }}\n"), "an unfilled placeholder: {{ Fill Session Description }}");

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var page = SamplePages.Replace("## NOTES", "## NOTE").Replace("Parameter Sets: ById\n", "");
        Assert.True(Fails(page).Errors.Count >= 2);
    }

    [Fact]
    public void A_single_parameter_set_may_be_named_AllParameterSets_and_parameters_use_All()
    {
        var page = """
---
external help file: Ftrack.dll-Help.xml
Module Name: Ftrack
online version:
schema: 2.0.0
---

# Get-FtrackNothing

## SYNOPSIS
Nothing.

## SYNTAX

### __AllParameterSets
```
Get-FtrackNothing [<CommonParameters>]
```

## DESCRIPTION
Does nothing.

## EXAMPLES

### Example 1
```powershell
Get-FtrackNothing
```

## PARAMETERS

### CommonParameters
Common.
""";
        var help = new MarkdownHelpParser().Parse(page, "Get-FtrackNothing.md");
        Assert.Empty(help.Parameters);
        Assert.Equal("__AllParameterSets", Assert.Single(help.Syntax).Name);
        Assert.Null(help.OnlineVersion);
    }
}
