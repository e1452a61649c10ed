using System.Net;
using System.Text;
using System.Text.Json;
using Ftrack.Core.Entities;
using Ftrack.Core.Json;
using Ftrack.Core.Operations;
using Ftrack.Core.Tests.Support;
using Ftrack.Core.Transport;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>Connecting, the schema cache, request headers and the rules about where the key may go.</summary>
public class SessionTests
{
    private static string ServerInformationText(string? schemaHash = null, bool? timezone = null)
    {
        var text = Fixtures.Text(Fixtures.ServerInformation);
        using var doc = JsonDocument.Parse(text);
        var hash = doc.RootElement.GetProperty("schema_hash").GetString()!;
        if (schemaHash != null) text = text.Replace(hash, schemaHash);
        if (timezone is { } tz) text = text.Replace("\"is_timezone_support_enabled\": true", "\"is_timezone_support_enabled\": " + (tz ? "true" : "false"));
        return text;
    }

    /// <summary>Answers each metadata action with the fixtures (server information optionally altered).</summary>
    private static FakeHandler MetadataHandler(Func<string>? serverInformation = null, Func<JsonElement, string>? query = null) =>
        new(r => Responses.Json("[" + string.Join(",", r.Operations.Select(op => op.GetProperty("action").GetString() switch
        {
            "query_server_information" => serverInformation?.Invoke() ?? Fixtures.Text(Fixtures.ServerInformation),
            "query_schemas" => Fixtures.Text(Fixtures.Schemas),
            "query" when query != null => query(op),
            var a => throw new InvalidOperationException("unexpected action " + a),
        })) + "]"));

    private static JsonDocument SchemasJson() => Fixtures.Json(Fixtures.Schemas);

    private static string ExpectedHash()
    {
        using var doc = Fixtures.Json(Fixtures.ServerInformation);
        return doc.RootElement.GetProperty("schema_hash").GetString()!;
    }

    [Fact]
    public void Connect_without_a_cache_sends_one_request_for_both_and_stores_the_schemas()
    {
        using var cache = new TempDirectory();
        var handler = new FakeHandler(_ => Responses.Json(Fixtures.Bytes(Fixtures.ServerInformationAndSchemas)));
        using var session = TestSessions.Create(handler, cache.Path);

        var info = session.Connect();

        var request = Assert.Single(handler.Requests);
        Assert.Equal(new[] { "query_server_information", "query_schemas" }, request.Actions);
        Assert.All(request.Operations, op => Assert.Single(op.EnumerateObject())); // just the action
        Assert.Equal(ExpectedHash(), info.SchemaHash);
        Assert.Same(info, session.CachedServerInformation);
        using var schemas = SchemasJson();
        Assert.Equal(schemas.RootElement.GetArrayLength(), session.CachedSchemas!.EntityTypeNames.Count);

        var file = Assert.Single(Directory.GetFiles(cache.Path, "*", SearchOption.AllDirectories));
        Assert.Equal(ExpectedHash() + ".json", Path.GetFileName(file));
        using var body = Fixtures.Json(Fixtures.ServerInformationAndSchemas);
        Assert.Equal(body.RootElement[1].GetRawText(), File.ReadAllText(file));

        // Everything is known now: no more requests for metadata.
        Assert.Same(session.CachedSchemas, session.GetSchemas());
        Assert.Same(info, session.GetServerInformation());
        Assert.Single(handler.Requests);
    }

    [Fact]
    public void Second_session_with_the_same_cache_asks_only_for_server_information()
    {
        using var cache = new TempDirectory();
        using (var first = TestSessions.Create(MetadataHandler(), cache.Path)) first.Connect();

        var handler = MetadataHandler();
        using var second = TestSessions.Create(handler, cache.Path);
        var info = second.Connect();

        var request = Assert.Single(handler.Requests);
        Assert.Equal(new[] { "query_server_information" }, request.Actions);
        Assert.Equal(ExpectedHash(), info.SchemaHash);
        using var schemas = SchemasJson();
        Assert.NotNull(second.CachedSchemas);
        Assert.Equal(schemas.RootElement.GetArrayLength(), second.CachedSchemas!.EntityTypeNames.Count);
        Assert.Equal(new[] { "id" }, second.CachedSchemas.Find("Task")!.PrimaryKey);
        second.GetSchemas();
        Assert.Single(handler.Requests);
    }

    [Fact]
    public void Cache_is_per_server()
    {
        using var cache = new TempDirectory();
        using (var first = TestSessions.Create(MetadataHandler(), cache.Path)) first.Connect();
        var handler = MetadataHandler();
        using var other = TestSessions.Create(handler, cache.Path, server: new Uri("https://other.ftrack.test/"));
        other.Connect();
        Assert.Equal(new[] { "query_server_information", "query_schemas" }, Assert.Single(handler.Requests).Actions);
    }

    [Fact]
    public void Changed_schema_hash_fetches_fresh_schemas()
    {
        using var cache = new TempDirectory();
        using (var first = TestSessions.Create(MetadataHandler(), cache.Path)) first.Connect();

        const string newHash = "0123456789abcdef0123456789abcdef";
        var handler = MetadataHandler(() => ServerInformationText(schemaHash: newHash));
        using var second = TestSessions.Create(handler, cache.Path);
        Assert.Equal(newHash, second.Connect().SchemaHash);
        var schemas = second.GetSchemas();
        Assert.NotNull(schemas);
        Assert.Equal(new[] { new[] { "query_server_information" }, new[] { "query_schemas" } }, handler.Requests.Select(r => r.Actions));
        Assert.Contains(Directory.GetFiles(cache.Path, "*.json", SearchOption.AllDirectories), f => Path.GetFileName(f) == newHash + ".json");
    }

    [Fact]
    public void Corrupt_cache_file_is_not_fatal()
    {
        using var cache = new TempDirectory();
        using (var first = TestSessions.Create(MetadataHandler(), cache.Path)) first.Connect();
        var file = Directory.GetFiles(cache.Path, "*.json", SearchOption.AllDirectories).Single();
        File.WriteAllText(file, "[{\"id\": ");

        var handler = MetadataHandler();
        using var second = TestSessions.Create(handler, cache.Path);
        second.Connect();
        Assert.NotNull(second.GetSchemas());
        Assert.Equal(2, handler.Count); // server information, then the schemas again
    }

    [Fact]
    public void Reconnecting_after_a_schema_change_does_not_keep_stale_schemas()
    {
        using var cache = new TempDirectory();
        var hash = ExpectedHash();
        var schemas = Fixtures.Text(Fixtures.Schemas);
        var handler = new FakeHandler(r => Responses.Json("[" + string.Join(",", r.Actions.Select(a => a == "query_server_information"
            ? ServerInformationText(schemaHash: hash)
            : schemas)) + "]"));
        using var session = TestSessions.Create(handler, cache.Path);
        session.Connect();
        Assert.NotNull(session.CachedSchemas!.Find("Task"));

        // The server is upgraded: new hash, and Task is gone from its schemas.
        hash = "fedcba9876543210fedcba9876543210";
        using (var doc = JsonDocument.Parse(schemas))
            schemas = "[" + string.Join(",", doc.RootElement.EnumerateArray().Where(s => s.GetProperty("id").GetString() != "Task").Select(s => s.GetRawText())) + "]";
        Assert.Equal(hash, session.Connect().SchemaHash);
        Assert.Null(session.GetSchemas().Find("Task"));
    }

    [Fact]
    public void Http_401_without_a_json_body_is_an_authentication_failure()
    {
        var handler = new FakeHandler(_ =>
        {
            var response = Responses.Html(HttpStatusCode.Unauthorized, "");
            response.Headers.TryAddWithoutValidation("FTRACK_ERROR", "The supplied API key is not valid.");
            return response;
        });
        using var session = TestSessions.Create(handler);
        var error = Assert.Throws<FtrackAuthenticationException>(() => session.Connect());
        Assert.Contains("API key is not valid", error.Message);
        Assert.DoesNotContain(TestSessions.ApiKey, error.ToString());
    }

    [Fact]
    public void A_failed_first_fetch_does_not_poison_the_session()
    {
        using var cache = new TempDirectory();
        var calls = 0;
        var good = MetadataHandler(query: _ => Fixtures.Text(Fixtures.TaskName));
        var handler = new FakeHandler(async (r, ct) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
                return Responses.Html(HttpStatusCode.InternalServerError, "<html><head><title>500 Internal Server Error</title></head></html>");
            return await InvokeAsync(good, r, ct);
        });
        using var session = TestSessions.Create(handler, cache.Path);

        var error = Assert.Throws<FtrackProtocolException>(() => session.Connect());
        Assert.Contains("500", error.Message);
        Assert.Null(session.CachedServerInformation);
        Assert.Null(session.CachedSchemas);
        Assert.Empty(Directory.GetFiles(cache.Path, "*", SearchOption.AllDirectories));

        // The next call simply tries again, and works.
        var result = Assert.IsType<QueryResult>(session.Call(new FtrackOperation[] { new QueryOperation("select name from Task") })[0]);
        Assert.IsType<FtrackEntity>(Assert.Single(result.Data));
        Assert.NotNull(session.CachedServerInformation);
        Assert.NotNull(session.CachedSchemas);
        Assert.Equal(new[] { "query_server_information", "query_schemas" }, handler.Requests[1].Actions);
        Assert.Equal(new[] { "query" }, handler.Requests[2].Actions);
    }

    private static async Task<HttpResponseMessage> InvokeAsync(FakeHandler inner, RecordedRequest request, CancellationToken ct)
    {
        using var invoker = new HttpMessageInvoker(inner, disposeHandler: false);
        using var message = new HttpRequestMessage(request.Method, request.Uri) { Content = new ByteArrayContent(request.Body) };
        return await invoker.SendAsync(message, ct);
    }

    [Fact]
    public void Requests_carry_the_credentials_and_json_headers()
    {
        var handler = MetadataHandler(query: _ => Fixtures.Text(Fixtures.TaskName));
        using var session = TestSessions.Create(handler);
        session.Call(new FtrackOperation[] { new QueryOperation("select name from Task") });

        Assert.Equal(2, handler.Count);
        foreach (var request in handler.Requests)
        {
            Assert.Equal(HttpMethod.Post, request.Method);
            Assert.Equal(new Uri("https://ftrack.test/api"), request.Uri);
            Assert.Equal(TestSessions.ApiUser, request.Header("ftrack-user"));
            Assert.Equal(TestSessions.ApiKey, request.Header("ftrack-api-key"));
            Assert.Equal("application/json", request.ContentType);
            Assert.Contains("application/json", request.Accept);
            Assert.Equal(session.ClientToken, request.Header("ftrack-Clienttoken"));
        }
        var query = handler.Requests[1].Operations.Single();
        Assert.Equal("query", query.GetProperty("action").GetString());
        Assert.Equal("select name from Task", query.GetProperty("expression").GetString());
    }

    [Theory]
    [InlineData("https://ftrack.test", "https://ftrack.test/api")]
    [InlineData("https://ftrack.test/", "https://ftrack.test/api")]
    [InlineData("https://studio.test/ftrack/", "https://studio.test/ftrack/api")]
    [InlineData("https://studio.test/ftrack?x=1#frag", "https://studio.test/ftrack/api")]
    [InlineData("https://studio.test:8443", "https://studio.test:8443/api")]
    public void Endpoint_is_api_under_the_server_path(string server, string endpoint)
    {
        var handler = MetadataHandler();
        using var session = TestSessions.Create(handler, server: new Uri(server));
        session.GetServerInformation();
        Assert.Equal(new Uri(endpoint), Assert.Single(handler.Requests).Uri);
    }

    [Theory]
    [InlineData("http://ftrack.example.com")]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("http://localhost.example.com")]
    public void Plain_http_to_a_remote_host_is_refused(string server)
    {
        var error = Assert.Throws<FtrackInsecureConnectionException>(() => TestSessions.Create(MetadataHandler(), server: new Uri(server)));
        Assert.Equal("Ftrack.InsecureConnection", error.ErrorId);
        Assert.Contains(new Uri(server).Host, error.Message);
        ErrorMappingTests.AssertNoApiKey(error);

        var options = new FtrackSessionOptions(new Uri(server), TestSessions.ApiUser, TestSessions.ApiKey)
        {
            Handler = MetadataHandler(),
            SchemaCacheDirectory = null,
            AllowUnencrypted = true,
        };
        using var allowed = new FtrackSession(options);
        Assert.NotNull(allowed.GetServerInformation());
    }

    [Theory]
    [InlineData("http://localhost:8080")]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://[::1]:5000")]
    public void Plain_http_to_loopback_is_allowed(string server)
    {
        var handler = MetadataHandler();
        using var session = TestSessions.Create(handler, server: new Uri(server));
        session.GetServerInformation();
        Assert.Equal("http", Assert.Single(handler.Requests).Uri!.Scheme);
    }

    [Fact]
    public void A_disposed_session_refuses_calls_without_sending()
    {
        var handler = MetadataHandler();
        var session = TestSessions.Create(handler);
        session.Dispose();
        var error = Assert.Throws<FtrackSessionClosedException>(() => session.Call(new FtrackOperation[] { new QueryServerInformationOperation() }));
        Assert.Equal("Ftrack.SessionClosed", error.ErrorId);
        Assert.Equal(0, handler.Count);
        ErrorMappingTests.AssertNoApiKey(error);
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        Assert.Equal(FtrackErrorIds.InvalidServer, Assert.Throws<FtrackUsageException>(() => TestSessions.Create(MetadataHandler(), server: new Uri("/relative", UriKind.Relative))).ErrorId);
        Assert.Equal(FtrackErrorIds.InvalidServer, Assert.Throws<FtrackUsageException>(() => TestSessions.Create(MetadataHandler(), server: new Uri("ftp://ftrack.test/"))).ErrorId);
        Assert.Equal(FtrackErrorIds.MissingCredential, Assert.Throws<FtrackUsageException>(() => new FtrackSession(new FtrackSessionOptions(TestSessions.Server, TestSessions.ApiUser, "") { Handler = MetadataHandler() })).ErrorId);
        Assert.Equal(FtrackErrorIds.MissingCredential, Assert.Throws<FtrackUsageException>(() => new FtrackSession(new FtrackSessionOptions(TestSessions.Server, "", TestSessions.ApiKey) { Handler = MetadataHandler() })).ErrorId);
        Assert.IsType<FtrackInsecureConnectionException>(Record.Exception(() => TestSessions.Create(MetadataHandler(), server: new Uri("http://ftrack.test/"))));
    }

    [Fact]
    public void The_key_never_shows_in_ToString_or_logs()
    {
        var lines = new List<string>();
        var handler = MetadataHandler(query: _ => Fixtures.Text(Fixtures.TaskName));
        using var session = TestSessions.Create(handler);
        session.Call(new FtrackOperation[] { new QueryOperation("select name from Task") }, new CallOptions { Log = lines.Add, Debug = lines.Add });
        Assert.Contains(TestSessions.ApiUser, session.ToString());
        Assert.DoesNotContain(TestSessions.ApiKey, session.ToString());
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.DoesNotContain(TestSessions.ApiKey, l));
        Assert.Contains(lines, l => l.Contains("200", StringComparison.Ordinal) && l.Contains("query", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true, DateTimeKind.Utc)]
    [InlineData(false, DateTimeKind.Unspecified)]
    public void Dates_follow_the_servers_timezone_support(bool timezoneSupport, DateTimeKind kind)
    {
        var handler = MetadataHandler(() => ServerInformationText(timezone: timezoneSupport), _ => Fixtures.Text(Fixtures.TaskCreatedAt));
        using var session = TestSessions.Create(handler);
        var result = Assert.IsType<QueryResult>(session.Call(new FtrackOperation[] { new QueryOperation("select name, created_at from Task") })[0]);
        Assert.Equal(timezoneSupport, session.CachedServerInformation!.IsTimezoneSupportEnabled);
        var createdAt = Assert.IsType<DateTime>(((FtrackEntity)result.Data[0]!)["created_at"]);
        Assert.Equal(kind, createdAt.Kind);
        Assert.Equal(kind, session.CreateDecodeContext().DateKind);
    }

    [Fact]
    public void Concurrent_first_calls_fetch_metadata_once()
    {
        var handler = MetadataHandler(query: _ => Fixtures.Text(Fixtures.TaskName));
        using var session = TestSessions.Create(handler);
        var results = new object?[16];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            results[i] = session.Call(new FtrackOperation[] { new QueryOperation("select name from Task") })[0]);
        Assert.All(results, r => Assert.Single(Assert.IsType<QueryResult>(r).Data));
        Assert.Equal(1, handler.Requests.Count(r => r.Actions.Contains("query_schemas")));
        Assert.Equal(results.Length, handler.Requests.Count(r => r.Actions.SequenceEqual(new[] { "query" })));
        Assert.Equal(results.Length + 1, session.RequestCount);
    }

    /// <summary>A session to a local server that was stopped fails at once, in its words, and sends nothing.</summary>
    [Fact]
    public void A_stopped_local_server_fails_before_anything_is_sent()
    {
        var handler = MetadataHandler(query: _ => Fixtures.Text(Fixtures.TaskName));
        string? stopped = null;
        var options = new FtrackSessionOptions(new Uri("http://127.0.0.1:5000/"), TestSessions.ApiUser, TestSessions.ApiKey)
        {
            Handler = handler,
            SchemaCacheDirectory = null,
            LocalServerStopped = () => stopped,
        };
        using var session = new FtrackSession(options);
        session.Connect();
        Assert.Single(session.Query("select name from Task").Data);
        var sent = handler.Requests.Count;

        stopped = "The local server at http://127.0.0.1:5000/ was stopped by Stop-FtrackLocalServer.";
        var error = Assert.Throws<FtrackLocalServerStoppedException>(() => session.Query("select name from Task"));
        Assert.Equal(stopped, error.Message);
        Assert.Equal(FtrackErrorIds.LocalServerStopped, error.ErrorId);
        Assert.Equal(0, session.RetryCount);
        Assert.Equal(sent, handler.Requests.Count);
    }
}
