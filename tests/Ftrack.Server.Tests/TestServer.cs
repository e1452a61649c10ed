using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ftrack.Server;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Tests;

/// <summary>An in-process server on a loopback port with an authenticated HTTP client.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(LocalServer server)
    {
        Server = server;
        Http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(server.Url) };
    }

    public LocalServer Server { get; }

    public HttpClient Http { get; }

    public static async Task<TestServer> StartAsync(SeedKind seed = SeedKind.Demo, string? database = null, string? apiKey = null, Action<ServerOptions>? configure = null)
    {
        var options = new ServerOptions { Port = 0, Seed = seed, DatabasePath = database, ApiKey = apiKey };
        configure?.Invoke(options);
        var server = await LocalServer.StartAsync(options);
        return new TestServer(server);
    }

    public sealed record Answer(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)
    {
        public JsonArray Results => Body as JsonArray ?? throw new InvalidOperationException("Expected results, got: " + Body?.ToJsonString());

        public JsonObject Error => Body as JsonObject ?? throw new InvalidOperationException("Expected an error, got: " + Body?.ToJsonString());
    }

    public async Task<Answer> PostRawAsync(string body, Action<HttpRequestMessage>? configure = null, bool authenticate = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        if (authenticate)
        {
            request.Headers.Add("ftrack-user", Server.ApiUser);
            request.Headers.Add("ftrack-api-key", Server.ApiKey);
        }
        configure?.Invoke(request);
        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, JsonNode.Parse(text), response);
    }

    public Task<Answer> CallAsync(params object[] operations) => PostRawAsync(JsonSerializer.Serialize(operations));

    public Task<Answer> CallAsync(Action<HttpRequestMessage> configure, params object[] operations) =>
        PostRawAsync(JsonSerializer.Serialize(operations), configure);

    /// <summary>The data rows of a query, failing the test with the server's error if it failed.</summary>
    public async Task<JsonArray> QueryAsync(string expression)
    {
        var answer = await CallAsync(new { action = "query", expression });
        if (answer.Body is JsonObject error)
            throw new InvalidOperationException($"Query \"{expression}\" failed: {error.ToJsonString()}");
        return answer.Results[0]!["data"]!.AsArray();
    }

    /// <summary>The data rows with every reference expanded (denormalize:1), for tests that read nested values.</summary>
    public async Task<JsonArray> QueryExpandedAsync(string expression)
    {
        var answer = await CallAsync(r => r.Headers.Add("ftrack-api-options", "strict:1;denormalize:1"), new { action = "query", expression });
        if (answer.Body is JsonObject error)
            throw new InvalidOperationException($"Query \"{expression}\" failed: {error.ToJsonString()}");
        return answer.Results[0]!["data"]!.AsArray();
    }

    public async Task<JsonObject> QueryResultAsync(string expression)
    {
        var answer = await CallAsync(new { action = "query", expression });
        if (answer.Body is JsonObject error)
            throw new InvalidOperationException($"Query \"{expression}\" failed: {error.ToJsonString()}");
        return answer.Results[0]!.AsObject();
    }

    public static object Create(string type, object data)
    {
        var node = JsonSerializer.SerializeToNode(data)!.AsObject();
        node["__entity_type__"] = type;
        return new { action = "create", entity_type = type, entity_data = node };
    }

    public static object Update(string type, string id, object data) =>
        new { action = "update", entity_type = type, entity_key = new[] { id }, entity_data = data };

    public static object Delete(string type, string id) =>
        new { action = "delete", entity_type = type, entity_key = new[] { id } };

    public static object Ref(string type, string id) => new Dictionary<string, string> { ["__entity_type__"] = type, ["id"] = id };

    /// <summary>Ids the Empty and Demo seeds share.</summary>
    public static string ProjectSchemaId => SeedData.IdOf("projectschema:vfx");

    public static string TaskTypeId(string name) => SeedData.IdOf("type:" + name);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
