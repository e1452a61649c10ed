using Ftrack.Core.CustomAttributes;
using Ftrack.Core.Entities;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>A custom attribute value checked against its configuration before it is sent, as the server would check it.</summary>
public class CustomAttributeValueTests
{
    private static CustomAttributeConfiguration Configuration(string type, string config = "{}")
    {
        var typeRow = new FtrackEntity("CustomAttributeType");
        typeRow.Set("name", type);
        var row = new FtrackEntity("CustomAttributeConfiguration");
        row.Set("id", "c1");
        row.Set("key", "k");
        row.Set("type", typeRow);
        row.Set("entity_type", "task");
        row.Set("config", config);
        return CustomAttributeConfiguration.From(new object?[] { row })[0];
    }

    // ftrack's clients keep an enumerator's choices as a JSON text inside the config.
    private const string Formats = "{\"multiSelect\": false, \"data\": \"[{\\\"menu\\\": \\\"OpenEXR\\\", \\\"value\\\": \\\"exr\\\"}, {\\\"menu\\\": \\\"DPX\\\", \\\"value\\\": \\\"dpx\\\"}]\"}";

    [Theory]
    [InlineData("number", 25, 25)]
    [InlineData("number", "1001", 1001)]
    [InlineData("number", "23.976", 23.976)]
    [InlineData("number", " ", null)]
    [InlineData("boolean", "1", true)]
    [InlineData("boolean", "false", false)]
    [InlineData("text", "soft edges", "soft edges")]
    public void Takes_values_of_its_type_and_CSV_text(string type, object given, object? sent) =>
        Assert.Equal(sent, Configuration(type).Check(given, "Shot 'SH010'"));

    [Fact]
    public void Takes_an_enumerator_choice_as_the_list_ftrack_keeps_in_its_own_spelling()
    {
        var formats = Configuration("enumerator", Formats);
        Assert.Equal(new[] { "exr", "dpx" }, formats.Choices);
        Assert.Equal(new object?[] { "dpx" }, (System.Collections.Generic.List<object?>)formats.Check("DPX", "Shot 'SH010'")!);
    }

    [Theory]
    [InlineData("number", "soon", "takes a number; 'soon' (text) is not one")]
    [InlineData("number", true, "takes a number; True (boolean) is not one")]
    [InlineData("text", 5, "takes text; 5 (number) is not one")]
    [InlineData("date", "2027-03-01", "takes a date: give a [datetime]")]
    [InlineData("expression", 1, "is an expression: its value is computed by ftrack")]
    public void Refuses_what_is_not_of_its_type_naming_the_type(string type, object given, string message)
    {
        var error = Assert.Throws<FtrackUsageException>(() => Configuration(type).Check(given, "Shot 'SH010'"));
        Assert.Equal(FtrackErrorIds.InvalidCustomAttributeValue, error.ErrorId);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Refuses_a_choice_it_lacks_and_two_of_a_single_choice()
    {
        var formats = Configuration("enumerator", Formats);
        Assert.Contains("takes one of exr, dpx; 'tiff' (text) is not one", Assert.Throws<FtrackUsageException>(() => formats.Check("tiff", "Shot 'SH010'")).Message);
        Assert.Contains("(a single choice)", Assert.Throws<FtrackUsageException>(() => formats.Check(new[] { "exr", "dpx" }, "Shot 'SH010'")).Message);
    }
}
