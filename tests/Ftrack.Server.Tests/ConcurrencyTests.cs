using System.Text.Json.Nodes;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task EightConcurrentClientsMixingReadsAndWritesLoseNoWrite()
    {
        var directory = Directory.CreateTempSubdirectory("ftrack-server-concurrency");
        try
        {
            await using var server = await TestServer.StartAsync(SeedKind.Empty, Path.Combine(directory.FullName, "studio.db"));
            var project = Guid.NewGuid().ToString();
            var shot = Guid.NewGuid().ToString();
            await server.CallAsync(
                TestServer.Create("Project", new { id = project, name = "load", project_schema_id = TestServer.ProjectSchemaId }),
                TestServer.Create("Shot", new { id = shot, name = "SH010", parent_id = project }));
            const int clients = 8, writesPerClient = 25;
            var workers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
            {
                for (var i = 0; i < writesPerClient; i++)
                {
                    var answer = await server.CallAsync(
                        TestServer.Create("Task", new { name = $"c{client}-t{i}", parent_id = shot, type_id = TestServer.TaskTypeId("Generic") }),
                        new { action = "query", expression = $"select name from Task where parent_id is \"{shot}\" limit 5" });
                    Assert.IsType<JsonArray>(answer.Body);
                    var read = await server.QueryAsync($"select name, parent.name from Task where name like \"c{client}-%\"");
                    Assert.Equal(i + 1, read.Count);
                }
            })).ToArray();
            await Task.WhenAll(workers);
            var names = (await server.QueryAsync($"select name from Task where parent_id is \"{shot}\"")).Select(t => (string)t!["name"]!).ToHashSet();
            Assert.Equal(clients * writesPerClient, names.Count);
            Assert.Equal(clients * writesPerClient, (await server.QueryAsync($"Task where ancestors any (id is \"{shot}\") and project_id is \"{project}\"")).Count);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }
}
