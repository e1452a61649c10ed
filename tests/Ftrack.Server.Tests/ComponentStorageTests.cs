using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Tests;

/// <summary>
/// The ftrack.server location over real HTTP: get_upload_metadata, the signed PUT, downloads
/// through ComponentLocation.url, refusals (expired, altered, too large, cut short, over quota),
/// files kept in step with the database's transactions, and encode_media.
/// </summary>
public sealed class ComponentStorageTests
{
    /// <summary>A clock the test moves forward (signed URLs expire by it).</summary>
    private sealed class MovableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static async Task<JsonObject> UploadMetadataAsync(TestServer server, string componentId, long size, string? checksum = null)
    {
        var operation = new Dictionary<string, object?> { ["action"] = "get_upload_metadata", ["component_id"] = componentId, ["file_name"] = "plate.mov", ["file_size"] = size };
        if (checksum != null) operation["checksum"] = checksum;
        var answer = await server.CallAsync(operation);
        return answer.Results[0]!.AsObject();
    }

    private static async Task<HttpResponseMessage> PutAsync(string url, byte[] bytes, JsonObject? headers = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(bytes) };
        foreach (var (name, value) in headers ?? new JsonObject())
            if (name != "Content-Length" && !request.Headers.TryAddWithoutValidation(name, value!.ToString()))
                request.Content.Headers.TryAddWithoutValidation(name, value!.ToString());
        return await http.SendAsync(request);
    }

    private static async Task<(HttpStatusCode Status, byte[] Body)> GetAsync(string url)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await http.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Uploads bytes and registers a FileComponent with its ComponentLocation in ftrack.server, as a client does.</summary>
    private static async Task<string> PublishAsync(TestServer server, byte[] bytes, string fileType = ".mov")
    {
        var id = Guid.NewGuid().ToString();
        var metadata = await UploadMetadataAsync(server, id, bytes.Length);
        using (var put = await PutAsync(metadata["url"]!.ToString(), bytes, metadata["headers"]!.AsObject()))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var created = await server.CallAsync(
            TestServer.Create("FileComponent", new { id, name = "plate", file_type = fileType, size = bytes.Length, system_type = "file" }),
            TestServer.Create("ComponentLocation", new { component_id = id, location_id = SeedData.ServerLocationId, resource_identifier = id }));
        Assert.True(created.Status == HttpStatusCode.OK, created.Body?.ToJsonString());
        return id;
    }

    private static async Task<string> DownloadUrlAsync(TestServer server, string componentId)
    {
        var rows = await server.QueryAsync($"select url from ComponentLocation where component_id is \"{componentId}\" and location_id is \"{SeedData.ServerLocationId}\"");
        return rows.Single()!["url"]!["value"]!.ToString();
    }

    [Fact]
    public async Task AnUploadedFileDownloadsByteIdenticalThroughASignedUrlWithoutTheKey()
    {
        await using var server = await TestServer.StartAsync();
        var bytes = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 5);
        var metadata = await UploadMetadataAsync(server, Guid.NewGuid().ToString(), bytes.Length);
        Assert.StartsWith(server.Server.Url + "/component/upload?", metadata["url"]!.ToString());
        Assert.DoesNotContain(server.Server.ApiKey, metadata["url"]!.ToString());
        Assert.Equal(bytes.Length.ToString(), metadata["headers"]!["Content-Length"]!.ToString());

        var id = await PublishAsync(server, bytes);
        var url = await DownloadUrlAsync(server, id);
        Assert.DoesNotContain(server.Server.ApiKey, url);
        Assert.Contains("signature=", url);
        var (status, body) = await GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(bytes, body);
        Assert.True(File.Exists(Path.Combine(server.Server.StoragePath, id[..2], id)), "the bytes are a file in the store");
    }

    [Fact]
    public async Task AnExpiredOrAlteredUrlIsRefusedAndStoresNothing()
    {
        var clock = new MovableClock();
        await using var server = await TestServer.StartAsync(configure: o => o.Time = clock);
        var id = Guid.NewGuid().ToString();
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var url = (await UploadMetadataAsync(server, id, bytes.Length))["url"]!.ToString();

        using (var altered = await PutAsync(url.Replace("size=1000", "size=1001"), bytes.Append((byte)1).ToArray()))
        {
            Assert.Equal(HttpStatusCode.Forbidden, altered.StatusCode);
            Assert.Contains("not signed by this server", await altered.Content.ReadAsStringAsync());
        }
        using (var other = await PutAsync(url.Replace(id, Guid.NewGuid().ToString()), bytes))
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        using (var unsigned = await PutAsync(server.Server.Url + $"/component/upload?id={id}&size=1000", bytes))
            Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);

        clock.Now += TimeSpan.FromHours(2);
        using (var expired = await PutAsync(url, bytes))
        {
            Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
            Assert.Contains("expired", await expired.Content.ReadAsStringAsync());
        }
        Assert.False(File.Exists(Path.Combine(server.Server.StoragePath, id[..2], id)));
    }

    [Fact]
    public async Task ADownloadUrlExpiresAndTheClientsKeyInTheQueryIsAcceptedOnlyWhenRight()
    {
        var clock = new MovableClock();
        await using var server = await TestServer.StartAsync(configure: o => o.Time = clock);
        var bytes = RandomNumberGenerator.GetBytes(4096);
        var id = await PublishAsync(server, bytes);
        var url = await DownloadUrlAsync(server, id);
        clock.Now += TimeSpan.FromHours(2);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(url)).Status);

        // The official clients' own URLs: username and apiKey in the query string.
        var python = $"{server.Server.Url}/component/get?id={id}&username={server.Server.ApiUser}&apiKey={server.Server.ApiKey}";
        var (status, body) = await GetAsync(python);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(bytes, body);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(python.Replace(server.Server.ApiKey, "wrong-key"))).Status);
    }

    [Fact]
    public async Task BytesThatDoNotMatchTheUploadAreRefused()
    {
        await using var server = await TestServer.StartAsync();
        var bytes = RandomNumberGenerator.GetBytes(2048);
        var checksum = Convert.ToBase64String(MD5.HashData(bytes));
        var id = Guid.NewGuid().ToString();
        var metadata = await UploadMetadataAsync(server, id, bytes.Length, checksum);
        Assert.Equal(checksum, metadata["headers"]!["Content-MD5"]!.ToString());

        var other = RandomNumberGenerator.GetBytes(2048);
        using (var mismatch = await PutAsync(metadata["url"]!.ToString(), other, metadata["headers"]!.AsObject()))
        {
            Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
            Assert.Contains("checksum", await mismatch.Content.ReadAsStringAsync());
        }
        using (var shorter = await PutAsync(metadata["url"]!.ToString(), bytes[..1000]))
            Assert.Equal(HttpStatusCode.BadRequest, shorter.StatusCode);
        Assert.False(File.Exists(Path.Combine(server.Server.StoragePath, id[..2], id)), "nothing stored after refusals");
        Assert.Empty(Directory.GetFiles(Path.Combine(server.Server.StoragePath, "incoming")));
        using (var right = await PutAsync(metadata["url"]!.ToString(), bytes, metadata["headers"]!.AsObject()))
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task AFilePastTheSizeLimitOrTheQuotaIsRefusedWithAClearError()
    {
        await using var server = await TestServer.StartAsync(configure: o =>
        {
            o.MaxUploadBytes = 10_000;
            o.StorageQuotaBytes = 15_000;
        });
        var tooLarge = await server.CallAsync(new { action = "get_upload_metadata", component_id = Guid.NewGuid().ToString(), file_name = "big.mov", file_size = 10_001 });
        Assert.Contains("too large", tooLarge.Error["content"]!.ToString());
        Assert.Contains("10,000 bytes", tooLarge.Error["content"]!.ToString());

        await PublishAsync(server, RandomNumberGenerator.GetBytes(9000));
        var metadata = await UploadMetadataAsync(server, Guid.NewGuid().ToString(), 9000);
        using var overQuota = await PutAsync(metadata["url"]!.ToString(), RandomNumberGenerator.GetBytes(9000));
        Assert.Equal(HttpStatusCode.InsufficientStorage, overQuota.StatusCode);
        Assert.Contains("quota", await overQuota.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DeletingAComponentDeletesItsBytesOnlyWhenTheDeleteCommits()
    {
        await using var server = await TestServer.StartAsync();
        var id = await PublishAsync(server, RandomNumberGenerator.GetBytes(512));
        var file = Path.Combine(server.Server.StoragePath, id[..2], id);

        // A batch that fails after the delete rolls back: the bytes stay.
        var failed = await server.CallAsync(TestServer.Delete("FileComponent", id), TestServer.Create("NoSuchType", new { name = "x" }));
        Assert.True(failed.Body is JsonObject, "the batch failed: " + failed.Body?.ToJsonString());
        Assert.True(File.Exists(file));
        Assert.Single(await server.QueryAsync($"select id from FileComponent where id is \"{id}\""));

        var deleted = await server.CallAsync(TestServer.Delete("FileComponent", id));
        Assert.True((bool)deleted.Results[0]!["data"]!);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task AFileDatabaseKeepsItsFilesBesideItAndARestartEndsOldUrls()
    {
        var folder = Directory.CreateTempSubdirectory("ftrack-store-test-").FullName;
        try
        {
            var database = Path.Combine(folder, "studio.db");
            string id, url;
            var bytes = RandomNumberGenerator.GetBytes(1234);
            await using (var first = await TestServer.StartAsync(database: database))
            {
                Assert.Equal(database + "-files", first.Server.StoragePath);
                Assert.False(Directory.Exists(first.Server.StoragePath), "no folder beside a database until something is uploaded");
                id = await PublishAsync(first, bytes);
                url = await DownloadUrlAsync(first, id);
            }
            await using var second = await TestServer.StartAsync(database: database);
            // The signing key is made at start: the first server's URLs (moved to the new port) end with it.
            var moved = second.Server.Url + new Uri(url).PathAndQuery;
            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(moved)).Status);
            var (status, body) = await GetAsync(await DownloadUrlAsync(second, id));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(bytes, body);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AnInMemoryDatabasesStoreIsDeletedWhenTheServerStops()
    {
        var server = await TestServer.StartAsync();
        await PublishAsync(server, RandomNumberGenerator.GetBytes(100));
        var store = server.Server.StoragePath;
        Assert.True(Directory.Exists(store));
        await server.DisposeAsync();
        Assert.False(Directory.Exists(store));
    }

    [Fact]
    public async Task EncodeMediaMakesADoneJobWithDownloadableReviewComponents()
    {
        await using var server = await TestServer.StartAsync();
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        var source = await PublishAsync(server, bytes);
        var version = (await server.QueryAsync("select id from AssetVersion limit 1")).Single()!["id"]!.ToString();
        var answer = await server.CallAsync(new { action = "encode_media", component_id = source, version_id = version, keep_original = true });
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body?.ToJsonString());
        var jobId = answer.Results[0]!["job_id"]!.ToString();
        var job = (await server.QueryAsync($"select status, type, data, job_components.url, job_components.component_id from Job where id is \"{jobId}\"")).Single()!;
        Assert.Equal("done", job["status"]!.ToString());
        Assert.Equal("encode_media", job["type"]!.ToString());
        var output = JsonNode.Parse(job["data"]!.ToString())!["output"]!.AsArray().Single()!;
        Assert.Equal("video/mp4", output["format"]!.ToString());
        var review = (await server.QueryAsync($"select name, version_id from FileComponent where id is \"{output["component_id"]}\"")).Single()!;
        Assert.Equal("ftrackreview-mp4", review["name"]!.ToString());
        Assert.Equal(version, review["version_id"]!.ToString());
        var (status, body) = await GetAsync(job["job_components"]![0]!["url"]!["value"]!.ToString());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(bytes, body);
    }

    [Fact]
    public async Task ThumbnailUrlAnswersTheDefaultImageUntilAThumbnailIsSet()
    {
        await using var server = await TestServer.StartAsync();
        var version = (await server.QueryAsync("select id from AssetVersion limit 1")).Single()!["id"]!.ToString();
        var before = (await server.QueryAsync($"select thumbnail_url from AssetVersion where id is \"{version}\"")).Single()!["thumbnail_url"]!["url"]!.ToString();
        Assert.Equal(server.Server.Url + "/img/thumbnail2.png", before);
        var (status, png) = await GetAsync(before);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0x89, png[0]);

        var image = RandomNumberGenerator.GetBytes(300);
        var thumbnail = await PublishAsync(server, image, ".png");
        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(TestServer.Update("AssetVersion", version, new { thumbnail_id = thumbnail }))).Status);
        var after = (await server.QueryAsync($"select thumbnail_url from AssetVersion where id is \"{version}\"")).Single()!["thumbnail_url"]!["url"]!.ToString();
        Assert.DoesNotContain(server.Server.ApiKey, after);
        var (thumbStatus, bytes) = await GetAsync(after);
        Assert.Equal(HttpStatusCode.OK, thumbStatus);
        Assert.Equal(image, bytes);
    }
}
