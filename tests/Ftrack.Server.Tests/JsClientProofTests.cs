using System.Diagnostics;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Tests;

/// <summary>Skips (with the reason) when tests/js has not been installed with npm ci.</summary>
public sealed class NodeProofFactAttribute : FactAttribute
{
    public NodeProofFactAttribute()
    {
        if (JsClientProofTests.JsDirectory is not { } directory || !Directory.Exists(Path.Combine(directory, "node_modules", "@ftrack", "api")))
            Skip = "tests/js/node_modules is missing: run `npm ci` in tests/js to install @ftrack/api 1.11.2 for the JS client proof.";
    }
}

public sealed class JsClientProofTests
{
    /// <summary>tests/js of the repository, found by walking up from the test output directory.</summary>
    public static string? JsDirectory
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "tests", "js", "proof.mjs");
                if (File.Exists(candidate))
                    return Path.GetDirectoryName(candidate);
            }
            return null;
        }
    }

    [NodeProofFact]
    public Task TheOfficialJavaScriptClientWorksAgainstTheServer() => RunProofAsync("proof.mjs", "JS proof passed");

    /// <summary>tests/js/events_proof.mjs: the JS client's event hub (subscribe, publish, reply, ftrack.update) against the server.</summary>
    [NodeProofFact]
    public async Task TheOfficialJavaScriptClientsEventHubWorksAgainstTheServer() =>
        // Node 22 has WebSocket; Node 20 has it behind a flag.
        await RunProofAsync("events_proof.mjs", "JS events proof passed", await NodeHasWebSocketAsync() ? null : "--experimental-websocket");

    /// <summary>Runs tests/js/<paramref name="script"/> with node against a Demo server; passes when it exits 0 having printed <paramref name="passed"/>.</summary>
    private static async Task RunProofAsync(string script, string passed, string? nodeOption = null)
    {
        await using var server = await TestServer.StartAsync(SeedKind.Demo);
        var start = new ProcessStartInfo("node", nodeOption is null ? script : nodeOption + " " + script)
        {
            WorkingDirectory = JsDirectory!, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["FTRACK_SERVER"] = server.Server.Url;
        start.Environment["FTRACK_API_USER"] = server.Server.ApiUser;
        start.Environment["FTRACK_API_KEY"] = server.Server.ApiKey;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var log = await output + await errors;
        Assert.True(process.ExitCode == 0, $"node {script} failed:\n" + log);
        Assert.Contains(passed, log);
    }

    private static async Task<bool> NodeHasWebSocketAsync()
    {
        using var probe = Process.Start(new ProcessStartInfo("node", "-e \"process.exit(typeof WebSocket === 'function' ? 0 : 1)\"") { UseShellExecute = false })!;
        await probe.WaitForExitAsync();
        return probe.ExitCode == 0;
    }
}
