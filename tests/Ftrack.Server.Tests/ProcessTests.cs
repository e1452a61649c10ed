using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ftrack.Server.Tests;

/// <summary>The command-line contract and durability, against the server as a child process.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("ftrack-server-process");

    private string DatabasePath => Path.Combine(_directory.FullName, "studio.db");

    public void Dispose() => _directory.Delete(recursive: true);

    private static async Task<JsonNode> PostAsync(HttpClient client, object[] operations)
    {
        using var content = new StringContent(JsonSerializer.Serialize(operations), System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api", content);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static async Task<System.Net.HttpStatusCode> StatusWithKeyAsync(ServerProcess server, string key)
    {
        using var client = new HttpClient { BaseAddress = new Uri(server.Url) };
        client.DefaultRequestHeaders.Add("ftrack-user", server.User);
        client.DefaultRequestHeaders.Add("ftrack-api-key", key);
        using var content = new StringContent("[{\"action\":\"query_server_information\"}]", System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api", content);
        return response.StatusCode;
    }

    /// <summary>
    /// The database keeps only a hash of its key, so a restart without --api-key cannot show it:
    /// it announces a key for that run, and the stored key keeps working beside it.
    /// </summary>
    [Fact]
    public async Task TheFirstLineNamesAWorkingKeyAndTheDatabaseKeepsTheFirst()
    {
        string first, second;
        using (var server = await ServerProcess.StartAsync("--port", "0", "--database", DatabasePath, "--seed", "Empty"))
        {
            Assert.Matches(ServerProcess.ListeningLine(), server.FirstLine);
            Assert.Equal("admin", server.User);
            first = server.Key;
            using var client = server.Client();
            var answer = await PostAsync(client, [new { action = "query_server_information" }]);
            Assert.True((bool)answer[0]!["is_timezone_support_enabled"]!);
        }
        using (var restarted = await ServerProcess.StartAsync("--port", "0", "--database", DatabasePath, "--seed", "Empty"))
        {
            second = restarted.Key;
            Assert.NotEqual(first, second);
            Assert.Equal(System.Net.HttpStatusCode.OK, await StatusWithKeyAsync(restarted, first));
            Assert.Equal(System.Net.HttpStatusCode.OK, await StatusWithKeyAsync(restarted, second));
        }
        using (var third = await ServerProcess.StartAsync("--port", "0", "--database", DatabasePath))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, await StatusWithKeyAsync(third, first));
            Assert.Equal(System.Net.HttpStatusCode.OK, await StatusWithKeyAsync(third, third.Key));
            // A run's key ends with its run.
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await StatusWithKeyAsync(third, second));
        }
        using (var explicitKey = await ServerProcess.StartAsync("--port", "0", "--database", DatabasePath, "--api-user", "admin", "--api-key", "chosen-key"))
        {
            Assert.Equal("chosen-key", explicitKey.Key);
            Assert.Equal(System.Net.HttpStatusCode.OK, await StatusWithKeyAsync(explicitKey, "chosen-key"));
            // --api-key replaces the stored key.
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await StatusWithKeyAsync(explicitKey, first));
        }
        using var memory = await ServerProcess.StartAsync("--port", "0", "--seed", "Demo", "--api-user", "pipeline");
        Assert.Equal("pipeline", memory.User);
        Assert.NotEqual(first, memory.Key);
    }

    [Fact]
    public async Task BindingBeyondLoopbackNeedsTheOptionAndWarns()
    {
        using (var loopback = await ServerProcess.StartAsync("--port", "0", "--seed", "Empty"))
        {
            Assert.StartsWith("http://127.0.0.1:", loopback.Url);
            Assert.DoesNotContain(loopback.ErrorLines, l => l.Contains("WARNING"));
        }
        using var anyInterface = await ServerProcess.StartAsync("--port", "0", "--seed", "Empty", "--bind", "0.0.0.0");
        Assert.Matches(ServerProcess.ListeningLine(), anyInterface.FirstLine);
        await Task.Delay(200);
        Assert.Contains(anyInterface.ErrorLines, l => l.Contains("WARNING") && l.Contains("0.0.0.0"));
        using var client = anyInterface.Client();
        var answer = await PostAsync(client, [new { action = "query_server_information" }]);
        Assert.True((bool)answer[0]!["local_server"]!);
    }

    [Fact]
    public async Task ADatabaseFromAnOlderLayoutGainsMissingColumns()
    {
        using (var server = await ServerProcess.StartAsync("--port", "0", "--database", DatabasePath, "--seed", "Empty", "--api-key", "k"))
        {
        }
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + DatabasePath + ";Pooling=False"))
        {
            connection.Open();
            using var drop = connection.CreateCommand();
            drop.CommandText = "ALTER TABLE priority DROP COLUMN color";
            drop.ExecuteNonQuery();
        }
        using var restarted = await ServerProcess.StartAsync("--port", "0", "--database", DatabasePath, "--api-key", "k");
        using var client = restarted.Client();
        var answer = await PostAsync(client, [new { action = "query", expression = "select name, color from Priority" }]);
        Assert.All(answer[0]!["data"]!.AsArray(), p => Assert.Null(p!["color"]));
        Assert.Equal(5, answer[0]!["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task BadArgumentsExitWithUsageOnStderr()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ServerProcess.ServerDll);
        start.ArgumentList.Add("--seed");
        start.ArgumentList.Add("Huge");
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("Usage", error);
        Assert.Equal("", await process.StandardOutput.ReadToEndAsync());
    }

    [Fact]
    public async Task TheServerEndsWithItsParentProcess()
    {
        using var parent = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        using var server = await ServerProcess.StartAsync("--port", "0", "--seed", "Empty", "--parent-pid", parent.Id.ToString());
        Assert.False(server.Process.HasExited);
        parent.Kill();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await server.Process.WaitForExitAsync(timeout.Token);
        Assert.True(server.Process.HasExited);
    }

    [Fact]
    public async Task SigtermStopsTheServerProcess()
    {
        using var server = await ServerProcess.StartAsync("--port", "0", "--seed", "Empty");
        using (var kill = Process.Start("kill", ["-TERM", server.Process.Id.ToString()]))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await server.Process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, server.Process.ExitCode);
    }

    /// <summary>SIGKILL during a large batch: after a restart the batch is either fully there or not at all.</summary>
    [Fact]
    public async Task AKilledServerKeepsBatchesAllOrNone()
    {
        var project = Guid.NewGuid().ToString();
        var shot = Guid.NewGuid().ToString();
        const int tasks = 50000;
        using (var server = await ServerProcess.StartAsync("--port", "0", "--database", DatabasePath, "--seed", "Empty", "--api-key", "k"))
        {
            using var client = server.Client();
            await PostAsync(client, [
                TestServer.Create("Project", new { id = project, name = "durable", project_schema_id = TestServer.ProjectSchemaId }),
                TestServer.Create("Shot", new { id = shot, name = "SH010", parent_id = project }),
            ]);
            var batch = Enumerable.Range(0, tasks)
                .Select(i => TestServer.Create("Task", new { name = "t" + i, parent_id = shot, type_id = TestServer.TaskTypeId("Generic") }))
                .ToArray();
            // Kill once the whole body has reached the server, so the kill lands while it works on the batch.
            var sent = new TaskCompletionSource();
            using var content = new SentSignallingContent(JsonSerializer.Serialize(batch), sent);
            var pending = client.PostAsync("/api", content);
            await sent.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(200);
            server.Process.Kill(); // SIGKILL: no chance to finish or clean up.
            await server.Process.WaitForExitAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => pending);
        }
        using (var restarted = await ServerProcess.StartAsync("--port", "0", "--database", DatabasePath, "--api-key", "k"))
        {
            using var client = restarted.Client();
            var answer = await PostAsync(client, [new { action = "query", expression = $"select id from Task where parent_id is \"{shot}\"" }]);
            var count = answer[0]!["data"]!.AsArray().Count;
            Assert.True(count == 0 || count == tasks, $"found {count} of {tasks} tasks: a partial batch survived");
            var closure = await PostAsync(client, [new { action = "query", expression = $"select id from Task where ancestors any (id is \"{shot}\")" }]);
            Assert.Equal(count, closure[0]!["data"]!.AsArray().Count);
            // What was committed before the kill is all still there.
            var earlier = await PostAsync(client, [new { action = "query", expression = $"select id from Context where id in (\"{project}\", \"{shot}\")" }]);
            Assert.Equal(2, earlier[0]!["data"]!.AsArray().Count);
        }
    }

    /// <summary>A JSON body that reports when it has been written to the connection.</summary>
    private sealed class SentSignallingContent(string json, TaskCompletionSource sent) : HttpContent
    {
        private readonly byte[] _bytes = System.Text.Encoding.UTF8.GetBytes(json);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(_bytes);
            await stream.FlushAsync();
            sent.TrySetResult();
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }
}
