namespace Ftrack.Server.Tests;

/// <summary>
/// Runs tests/python/components_proof.py: the official Python client publishes to the ftrack.server
/// location of a standalone Demo server (create_component of a file and of a sequence,
/// get_upload_metadata, component and thumbnail URLs, encode_media), as a publish script does.
/// Shares the interpreter and the install hint with <see cref="PythonClientProofTests"/>.
/// </summary>
public sealed class ComponentsPythonProofTests
{
    [Fact]
    public async Task TheOfficialPythonClientPublishesComponentsToTheServerLocation()
    {
        var proof = PythonClientProofTests.FindUp(Path.Combine("tests", "python", "components_proof.py"))
            ?? throw new Xunit.Sdk.XunitException("tests/python/components_proof.py is missing from the clone.");
        var client = PythonClientProofTests.FindUp(Path.Combine("shared", "clients", "python"))
            ?? throw new Xunit.Sdk.XunitException("The official Python client lives in shared/clients/python next to the repository clone; check it out there.");
        var environment = new Dictionary<string, string>
        {
            ["PYTHONPATH"] = string.Join(Path.PathSeparator, Path.Combine(client, "ftrack-python-source"), Path.Combine(client, "clique-source")),
            ["PYTHONDONTWRITEBYTECODE"] = "1",
        };
        var (importCode, importOutput) = await PythonClientProofTests.RunAsync($"-c \"{PythonClientProofTests.Imports}\"", environment, TimeSpan.FromMinutes(1));
        Assert.True(importCode == 0, $"The official Python client needs Debian packages that are missing:\n{importOutput}\n{PythonClientProofTests.InstallHint}");

        // A store of the test's own: the server process is killed at the end, which leaves no time to delete a temporary one.
        var storage = Directory.CreateTempSubdirectory("ftrack-python-store-").FullName;
        try
        {
            using var server = await ServerProcess.StartAsync("--port", "0", "--seed", "Demo", "--storage", storage);
            Assert.True(server.Url.Length > 0, "the server did not start: " + server.FirstLine + string.Join('\n', server.ErrorLines));
            environment["FTRACK_SERVER"] = server.Url;
            environment["FTRACK_API_USER"] = server.User;
            environment["FTRACK_API_KEY"] = server.Key;
            var (exitCode, log) = await PythonClientProofTests.RunAsync($"\"{proof}\"", environment, TimeSpan.FromMinutes(4));
            Assert.True(exitCode == 0, "python3 components_proof.py failed:\n" + log);
            Assert.Contains("Python components proof passed", log);
        }
        finally
        {
            Directory.Delete(storage, recursive: true);
        }
    }
}
