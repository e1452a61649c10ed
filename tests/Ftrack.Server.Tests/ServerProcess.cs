using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Ftrack.Server.Tests;

/// <summary>The server as a child <c>dotnet Ftrack.Server.dll</c> process: its standalone form, for other clients and CI.</summary>
internal sealed partial class ServerProcess : IDisposable
{
    [GeneratedRegex(@"^Ftrack local server listening url=(?<url>http://127\.0\.0\.1:\d+) api_user=(?<user>\S+) api_key=(?<key>\S+)$")]
    public static partial Regex ListeningLine();

    private ServerProcess(Process process, string firstLine)
    {
        Process = process;
        FirstLine = firstLine;
        var match = ListeningLine().Match(firstLine);
        Url = match.Success ? match.Groups["url"].Value : "";
        User = match.Groups["user"].Value;
        Key = match.Groups["key"].Value;
    }

    public Process Process { get; }
    public string FirstLine { get; }
    public string Url { get; }
    public string User { get; }
    public string Key { get; }

    /// <summary>What the server wrote to stderr so far.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> ErrorLines { get; private init; } = new();

    public static string ServerDll => Path.Combine(AppContext.BaseDirectory, "Ftrack.Server.dll");

    public static async Task<ServerProcess> StartAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ServerDll);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) errors.Enqueue(e.Data); };
        process.BeginErrorReadLine();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new ServerProcess(process, line ?? "") { ErrorLines = errors };
    }

    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("ftrack-user", User);
        client.DefaultRequestHeaders.Add("ftrack-api-key", Key);
        return client;
    }

    public void Dispose()
    {
        if (!Process.HasExited)
            Process.Kill(entireProcessTree: true);
        Process.WaitForExit(10000);
        Process.Dispose();
    }
}
