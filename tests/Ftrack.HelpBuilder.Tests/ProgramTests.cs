using System.Xml.Linq;
using Xunit;

namespace Ftrack.HelpBuilder.Tests;

public sealed class ProgramTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "helpbuilder-" + Guid.NewGuid().ToString("N"));

    public ProgramTests() => Directory.CreateDirectory(Path.Combine(_dir, "docs"));
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Docs => Path.Combine(_dir, "docs");
    private string Output => Path.Combine(_dir, "en-US", "Ftrack.dll-Help.xml");

    [Fact]
    public void Writes_the_maml_file_and_exits_zero()
    {
        File.WriteAllText(Path.Combine(Docs, "Get-FtrackThing.md"), SamplePages.Valid);
        var (code, stdout, _) = Run("--docs", Docs, "--output", Output);
        Assert.Equal(0, code);
        Assert.Contains("1 cmdlet page(s)", stdout);
        var doc = XDocument.Load(Output);
        Assert.Single(doc.Root!.Elements(MamlWriter.Command + "command"));
    }

    [Fact]
    public void A_malformed_page_exits_one_with_file_and_line_and_writes_nothing()
    {
        File.WriteAllText(Path.Combine(Docs, "Get-FtrackThing.md"), SamplePages.Replace("Parameter Sets: ById\n", ""));
        var (code, _, stderr) = Run("--docs", Docs, "--output", Output);
        Assert.Equal(1, code);
        Assert.Contains("Get-FtrackThing.md:", stderr);
        Assert.Contains("lacks 'Parameter Sets:'", stderr);
        Assert.Contains("nothing written", stderr);
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public void Two_pages_for_one_cmdlet_are_an_error()
    {
        File.WriteAllText(Path.Combine(Docs, "Get-FtrackThing.md"), SamplePages.Valid);
        // A second spelling of the same name (case-sensitive file systems allow both).
        File.WriteAllText(Path.Combine(Docs, "get-ftrackthing.md"), SamplePages.Valid);
        var (code, _, stderr) = Run("--docs", Docs, "--output", Output);
        Assert.Equal(1, code);
        Assert.Contains("Get-FtrackThing is documented by more than one page", stderr);
    }

    [Fact]
    public void An_unchanged_file_is_not_rewritten()
    {
        File.WriteAllText(Path.Combine(Docs, "Get-FtrackThing.md"), SamplePages.Valid);
        Assert.Equal(0, Run("--docs", Docs, "--output", Output).Code);
        var stamp = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Output, stamp);
        Assert.Equal(0, Run("--docs", Docs, "--output", Output).Code);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Output));
    }

    [Theory]
    [InlineData("")]
    [InlineData("--docs")]
    [InlineData("--bogus x")]
    public void Bad_usage_exits_two(string commandLine)
    {
        var (code, _, stderr) = Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, code);
        Assert.Contains("usage:", stderr);
    }

    [Fact]
    public void A_missing_docs_folder_exits_two() =>
        Assert.Equal(2, Run("--docs", Path.Combine(_dir, "nope"), "--output", Output).Code);

    [Fact]
    public void An_empty_docs_folder_exits_one() =>
        Assert.Equal(1, Run("--docs", Docs, "--output", Output).Code);

    [Fact]
    public void The_repository_pages_all_convert()
    {
        // The real docs/ of this repository: found from the test assembly upwards.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Ftrack.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var docs = Path.Combine(dir!.FullName, "docs");
        var (code, _, stderr) = Run("--docs", docs, "--output", Output);
        Assert.True(code == 0, stderr);
        var names = XDocument.Load(Output).Root!.Elements(MamlWriter.Command + "command")
            .Select(c => c.Element(MamlWriter.Command + "details")!.Element(MamlWriter.Command + "name")!.Value).ToList();
        Assert.Equal(Directory.GetFiles(docs, "*.md").Length, names.Count);
    }
}
