using System.Net;
using Ftrack.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Ftrack.Server.Tests;

/// <summary>
/// The API key is kept only as a salted hash, in a file only its owner can read, and a database
/// written by an older server (plain-text key) is migrated (issue #10 item 14).
/// </summary>
public sealed class ApiKeyStorageTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("ftrack-server-key");

    private string DatabasePath => Path.Combine(_directory.FullName, "studio.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    private IEnumerable<string> DatabaseFiles() =>
        new[] { "", "-wal", "-shm", "-journal" }.Select(suffix => DatabasePath + suffix).Where(File.Exists);

    /// <summary>Whether any byte of the database file or its siblings spells the text.</summary>
    private bool FilesContain(string text)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(text);
        return DatabaseFiles().Any(file => File.ReadAllBytes(file).AsSpan().IndexOf(needle) >= 0);
    }

    private static async Task<HttpStatusCode> StatusWithKeyAsync(TestServer server, string key) =>
        (await server.PostRawAsync("[{\"action\":\"query_server_information\"}]", r =>
        {
            r.Headers.Add("ftrack-user", server.Server.ApiUser);
            r.Headers.Add("ftrack-api-key", key);
        }, authenticate: false)).Status;

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public async Task TheDatabaseHoldsOnlyASaltedHashOfTheKey()
    {
        const string key = "chosen-secret-key-4711";
        await using (var server = await TestServer.StartAsync(SeedKind.Empty, DatabasePath, apiKey: key))
            Assert.Equal(HttpStatusCode.OK, await StatusWithKeyAsync(server, key));
        SqliteConnection.ClearAllPools();
        Assert.False(FilesContain(key), "the key is in the database files in plain text");
        Assert.StartsWith("pbkdf2-sha256$", (string)Scalar("SELECT hash FROM api_key_hash WHERE username = 'admin'")!);

        // The same key on two databases hashes differently (salted).
        var first = (string)Scalar("SELECT hash FROM api_key_hash")!;
        File.Delete(DatabasePath);
        foreach (var sibling in DatabaseFiles())
            File.Delete(sibling);
        await using (var again = await TestServer.StartAsync(SeedKind.Empty, DatabasePath, apiKey: key))
        {
        }
        SqliteConnection.ClearAllPools();
        Assert.NotEqual(first, (string)Scalar("SELECT hash FROM api_key_hash")!);
    }

    [Fact]
    public async Task TheStoredKeyStillWorksAfterARestartWithoutOne()
    {
        const string key = "kept-key-0815";
        await using (var server = await TestServer.StartAsync(SeedKind.Empty, DatabasePath, apiKey: key))
        {
        }
        await using var restarted = await TestServer.StartAsync(SeedKind.Empty, DatabasePath);
        // The stored key works; so does the key this run announces (the stored one cannot be shown).
        Assert.NotEqual(key, restarted.Server.ApiKey);
        Assert.Equal(HttpStatusCode.OK, await StatusWithKeyAsync(restarted, key));
        Assert.Equal(HttpStatusCode.OK, await StatusWithKeyAsync(restarted, restarted.Server.ApiKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithKeyAsync(restarted, key + "x"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithKeyAsync(restarted, ""));
    }

    [Fact]
    public async Task APlainTextKeyOfAnOlderDatabaseIsHashedAndErased()
    {
        const string oldKey = "old-plain-text-key-1234";
        await using (var server = await TestServer.StartAsync(SeedKind.Empty, DatabasePath))
        {
        }
        SqliteConnection.ClearAllPools();
        // The layout the server used to write: the key in plain text, the file in WAL mode.
        using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE api_key_hash; CREATE TABLE api_credential (username TEXT PRIMARY KEY, api_key TEXT NOT NULL);"
                + $"INSERT INTO api_credential (username, api_key) VALUES ('admin', '{oldKey}');";
            command.ExecuteNonQuery();
        }
        Assert.True(FilesContain(oldKey));
        await using (var migrated = await TestServer.StartAsync(SeedKind.Empty, DatabasePath))
        {
            Assert.Equal(HttpStatusCode.OK, await StatusWithKeyAsync(migrated, oldKey));
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithKeyAsync(migrated, "not-" + oldKey));
        }
        SqliteConnection.ClearAllPools();
        Assert.False(FilesContain(oldKey), "the old key is still in the database files");
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'api_credential'"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TheDatabaseAndItsSiblingsAreReadableByTheOwnerOnly()
    {
        // Unix file modes: CI runs on Linux; Windows has ACLs instead.
        if (OperatingSystem.IsWindows())
            return;
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var server = await TestServer.StartAsync(SeedKind.Demo, DatabasePath))
        {
            await server.CallAsync(TestServer.Create("Priority", new { name = "written", value = 9 }));
            Assert.Contains(DatabasePath + "-wal", DatabaseFiles());
            Assert.All(DatabaseFiles(), file => Assert.Equal(ownerOnly, File.GetUnixFileMode(file)));
        }
        // A file an older server left world-readable is narrowed on the next start.
        SqliteConnection.ClearAllPools();
        foreach (var file in DatabaseFiles())
            File.SetUnixFileMode(file, ownerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using (var server = await TestServer.StartAsync(SeedKind.Demo, DatabasePath))
        {
            await server.CallAsync(TestServer.Create("Priority", new { name = "again", value = 10 }));
            Assert.All(DatabaseFiles(), file => Assert.Equal(ownerOnly, File.GetUnixFileMode(file)));
        }
    }
}
