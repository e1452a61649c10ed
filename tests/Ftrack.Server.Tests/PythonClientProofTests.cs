using System.ComponentModel;
using System.Diagnostics;

namespace Ftrack.Server.Tests;

/// <summary>
/// Runs tests/python/proof.py, the official Python client (ftrack_api, from
/// ../shared/clients/python) against a standalone Demo server, as a studio script would use it.
/// Without python3 or the client's Debian packages it fails saying what to install: the proof is
/// part of the suite, not optional.
/// </summary>
public sealed class PythonClientProofTests
{
    /// <summary>The Debian packages the client imports (../shared/clients/python/README.md); .ci/run installs them.</summary>
    internal static readonly string[] Packages =
        ["python3-requests", "python3-arrow", "python3-pyparsing", "python3-six", "python3-websocket", "python3-termcolor", "python3-platformdirs", "python3-future"];

    internal const string Imports = "import requests, arrow, pyparsing, six, websocket, termcolor, platformdirs, future";

    internal static string InstallHint =>
        $"Install them with: apt-get install -y --no-install-recommends python3 {string.Join(' ', Packages)} (Debian's python3; .ci/run does this on CI).";

    /// <summary>A file or folder found by walking up from the test binaries (the clone and shared/ sit side by side).</summary>
    internal static string? FindUp(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relative);
            if (File.Exists(candidate) || Directory.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>Debian's python3, for which the packages install; another python3 on PATH elsewhere.</summary>
    private static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    internal static async Task<(int ExitCode, string Output)> RunAsync(string arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Python, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception error)
        {
            throw new Xunit.Sdk.XunitException($"The Python client proof needs python3, which could not be started ({error.Message}). {InstallHint}");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new Xunit.Sdk.XunitException($"python3 {arguments} took longer than {timeout}:\n{await output}{await errors}");
            }
            return (process.ExitCode, await output + await errors);
        }
    }

    /// <summary>
    /// Runs tests/python/<paramref name="script"/> with the official client against a standalone Demo
    /// server started with <paramref name="serverArguments"/> besides its port and seed; passes when
    /// the script exits 0 having printed <paramref name="passed"/>.
    /// </summary>
    internal static async Task RunProofAsync(string script, string passed, TimeSpan timeout, params string[] serverArguments)
    {
        var proof = FindUp(Path.Combine("tests", "python", script)) ?? throw new Xunit.Sdk.XunitException($"tests/python/{script} is missing from the clone.");
        var client = FindUp(Path.Combine("shared", "clients", "python"))
            ?? throw new Xunit.Sdk.XunitException("The official Python client lives in shared/clients/python next to the repository clone; check it out there.");
        var environment = new Dictionary<string, string>
        {
            ["PYTHONPATH"] = string.Join(Path.PathSeparator, Path.Combine(client, "ftrack-python-source"), Path.Combine(client, "clique-source")),
            ["PYTHONDONTWRITEBYTECODE"] = "1",
        };
        var (importCode, importOutput) = await RunAsync($"-c \"{Imports}\"", environment, TimeSpan.FromMinutes(1));
        Assert.True(importCode == 0, $"The official Python client needs Debian packages that are missing:\n{importOutput}\n{InstallHint}");

        using var server = await ServerProcess.StartAsync(["--port", "0", "--seed", "Demo", .. serverArguments]);
        Assert.True(server.Url.Length > 0, "the server did not start: " + server.FirstLine + string.Join('\n', server.ErrorLines));
        environment["FTRACK_SERVER"] = server.Url;
        environment["FTRACK_API_USER"] = server.User;
        environment["FTRACK_API_KEY"] = server.Key;
        var (exitCode, log) = await RunAsync($"\"{proof}\"", environment, timeout);
        Assert.True(exitCode == 0, $"python3 {script} failed:\n" + log);
        Assert.Contains(passed, log);
    }

    [Fact]
    public Task TheOfficialPythonClientWorksAgainstTheServer() =>
        RunProofAsync("proof.py", "Python proof passed", TimeSpan.FromMinutes(4));

    /// <summary>tests/python/events_proof.py: the official client's event hub (subscribe, publish, replies, targets, ftrack.update) against the server.</summary>
    [Fact]
    public Task TheOfficialPythonClientsEventHubWorksAgainstTheServer() =>
        RunProofAsync("events_proof.py", "Python events proof passed", TimeSpan.FromMinutes(3));
}
