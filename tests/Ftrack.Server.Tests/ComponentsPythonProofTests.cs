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
        // A store of the test's own: the server process is killed at the end, which leaves no time to delete a temporary one.
        var storage = Directory.CreateTempSubdirectory("ftrack-python-store-").FullName;
        try
        {
            await PythonClientProofTests.RunProofAsync("components_proof.py", "Python components proof passed", TimeSpan.FromMinutes(4), "--storage", storage);
        }
        finally
        {
            Directory.Delete(storage, recursive: true);
        }
    }
}
