using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Tests;

/// <summary>
/// Ordinary bad input is a ParseError or ValidationError in plain words, never a ServerError
/// naming an internal exception (issue #10 item 13). SQLite's limits are in QueryLimitTests.
/// </summary>
public sealed class BadInputTests : IClassFixture<DemoServerFixture>
{
    private readonly TestServer _server;

    public BadInputTests(DemoServerFixture fixture) => _server = fixture.Server;

    private static void AssertPlainError(TestServer.Answer answer, string exception, params string[] words)
    {
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var error = answer.Error;
        Assert.Equal(exception, (string)error["exception"]!);
        var content = (string)error["content"]!;
        foreach (var word in words)
            Assert.Contains(word, content);
        Assert.DoesNotContain("Exception", content);
    }

    [Theory]
    [InlineData("Task where bid > NaN", "bid")]
    [InlineData("Task where bid > -NaN", "bid")]
    [InlineData("Task where bid in (1, NaN)", "bid")]
    [InlineData("Task where bid > Infinity", "bid")]
    [InlineData("Task where bid is \"abc\"", "bid")]
    [InlineData("Task where start_date > \"not a date\"", "start_date")]
    [InlineData("Task where parent[Shot].end_date before \"2026-02-30\"", "end_date")]
    [InlineData("Task where start_date in (\"2026-01-01\", \"soon\")", "start_date")]
    public async Task BadValuesInAQueryNameTheAttribute(string expression, string attribute)
    {
        var answer = await _server.CallAsync(new { action = "query", expression });
        AssertPlainError(answer, "ValidationError", $"\"{attribute}\"");
        Assert.DoesNotContain("\"datetime\"", (string)answer.Error["content"]!);
    }

    [Theory]
    [InlineData("[{\"action\":\"query\",\"expression\":\"Task where name is \\\"\\ud800\\\"\"}]")]
    [InlineData("[{\"action\":\"\\ud800\"}]")]
    [InlineData("[{\"action\":\"create\",\"entity_type\":\"Priority\",\"entity_data\":{\"name\":\"\\udc00x\"}}]")]
    [InlineData("[{\"action\":\"create\",\"entity_type\":\"Priority\",\"entity_data\":{\"\\ud800\":1}}]")]
    [InlineData("[{\"action\":\"query\",\"expression\":\"Task\",\"\\ud800\":1}]")]
    public async Task ALoneSurrogateIsAValidationError(string body)
    {
        AssertPlainError(await _server.PostRawAsync(body), "ValidationError", "surrogate");
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xfe })]
    [InlineData(new byte[] { 0xc3, 0x28 })]
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 })]
    [InlineData(new byte[] { 0xf4, 0x90, 0x80, 0x80 })]
    public async Task InvalidUtf8InAStringIsAValidationError(byte[] bytes)
    {
        var body = System.Text.Encoding.UTF8.GetBytes("[{\"action\":\"query\",\"expression\":\"Task where name is \\\"").Concat(bytes).Concat(System.Text.Encoding.UTF8.GetBytes("\\\"\"}]")).ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api") { Content = new ByteArrayContent(body) };
        request.Headers.Add("ftrack-user", _server.Server.ApiUser);
        request.Headers.Add("ftrack-api-key", _server.Server.ApiKey);
        using var response = await _server.Http.SendAsync(request);
        var answer = new TestServer.Answer(response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()), response);
        AssertPlainError(answer, "ValidationError", "UTF-8");
    }

    [Theory]
    [InlineData("{\"name\":\"a\",\"value\":1e400}", "value")]
    [InlineData("{\"name\":\"b\",\"value\":-1e400}", "value")]
    [InlineData("{\"name\":\"c\",\"sort\":1e400}", "sort")]
    public async Task NumbersBeyondRangeAreRefusedNotStoredAsNull(string data, string attribute)
    {
        var answer = await _server.PostRawAsync($"[{{\"action\":\"create\",\"entity_type\":\"Priority\",\"entity_data\":{data}}}]");
        AssertPlainError(answer, "ValidationError", $"\"{attribute}\"");
    }

    /// <summary>Too large at the default limit (64 MB): the client gets the answer, not a reset, and may go on.</summary>
    [Fact]
    public async Task ABodyOverTheDefaultLimitIsAnsweredTooLarge()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Empty);
        var body = "[{\"action\":\"query\",\"expression\":\"Task where name is \\\"" + new string('x', 70 * 1024 * 1024) + "\\\"\"}]";
        foreach (var strict in new[] { false, true })
        {
            var answer = await server.PostRawAsync(body, r => r.Headers.Add("ftrack-strict-api", strict ? "true" : "false"));
            Assert.Equal(strict ? HttpStatusCode.RequestEntityTooLarge : HttpStatusCode.OK, answer.Status);
            Assert.Equal("ValidationError", (string)answer.Error["exception"]!);
            Assert.Contains("too large", (string)answer.Error["content"]!);
            Assert.Contains("67,108,864", (string)answer.Error["content"]!);
        }
        Assert.IsType<JsonArray>((await server.CallAsync(new { action = "query_server_information" })).Body);
    }

    /// <summary>A raw HTTP/1.1 request whose body stops arriving; the answer comes anyway.</summary>
    private static async Task<(int Status, JsonObject Error, TimeSpan After)> StallAsync(TestServer server, bool strict)
    {
        using var client = new TcpClient();
        var url = new Uri(server.Server.Url);
        await client.ConnectAsync(url.Host, url.Port);
        var stream = client.GetStream();
        var partial = "[{\"action\":\"query_server_information\"}";
        var head = $"POST /api HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n"
            + $"ftrack-user: {server.Server.ApiUser}\r\nftrack-api-key: {server.Server.ApiKey}\r\nftrack-strict-api: {(strict ? "true" : "false")}\r\n\r\n{partial}";
        var started = DateTime.UtcNow;
        await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(head));
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var statusLine = await reader.ReadLineAsync(timeout.Token);
        var after = DateTime.UtcNow - started;
        var contentLength = 0;
        for (var line = await reader.ReadLineAsync(timeout.Token); !string.IsNullOrEmpty(line); line = await reader.ReadLineAsync(timeout.Token))
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                contentLength = int.Parse(line["Content-Length:".Length..].Trim());
        var content = new char[contentLength];
        await reader.ReadBlockAsync(content, timeout.Token);
        return (int.Parse(statusLine!.Split(' ')[1]), JsonNode.Parse(new string(content))!.AsObject(), after);
    }

    [Fact]
    public async Task ABodySentTooSlowlyIsAnsweredInsteadOfHoldingAWorker()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Empty, configure: o => o.RequestBodyGracePeriod = TimeSpan.FromSeconds(1));
        foreach (var strict in new[] { false, true })
        {
            var (status, error, after) = await StallAsync(server, strict);
            Assert.Equal(strict ? 408 : 200, status);
            Assert.Equal("ValidationError", (string)error["exception"]!);
            Assert.Contains("too slowly", (string)error["content"]!);
            Assert.DoesNotContain("Exception", (string)error["content"]!);
            Assert.InRange(after, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        }
        Assert.IsType<JsonArray>((await server.CallAsync(new { action = "query_server_information" })).Body);
    }

    /// <summary>A body shorter than its Content-Length (the client stopped sending) is bad input, not a server failure.</summary>
    [Fact]
    public async Task ABodyThatEndsEarlyIsAValidationError()
    {
        using var client = new TcpClient();
        var url = new Uri(_server.Server.Url);
        await client.ConnectAsync(url.Host, url.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"POST /api HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Length: 1000\r\n"
            + $"ftrack-user: {_server.Server.ApiUser}\r\nftrack-api-key: {_server.Server.ApiKey}\r\n\r\n[{{\"action\":"));
        client.Client.Shutdown(SocketShutdown.Send);
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await reader.ReadToEndAsync(timeout.Token);
        var error = JsonNode.Parse(response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..])!.AsObject();
        Assert.Equal("ValidationError", (string)error["exception"]!);
        Assert.Contains("ended before it was complete", (string)error["content"]!);
    }

    /// <summary>Slow but steady (1 KB/s, above the minimum of 240 bytes/s) is fine.</summary>
    [Fact]
    public async Task ASlowButSteadyBodyIsAccepted()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Empty, configure: o => o.RequestBodyGracePeriod = TimeSpan.FromSeconds(1));
        var body = System.Text.Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat("{\"action\":\"query_server_information\"}", 70)) + "]");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api") { Content = new TrickleContent(body, chunk: 256, pause: TimeSpan.FromMilliseconds(250)) };
        request.Headers.Add("ftrack-user", server.Server.ApiUser);
        request.Headers.Add("ftrack-api-key", server.Server.ApiKey);
        using var response = await server.Http.SendAsync(request);
        var results = Assert.IsType<JsonArray>(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        Assert.Equal(70, results.Count);
    }

    private sealed class TrickleContent(byte[] bytes, int chunk, TimeSpan pause) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var i = 0; i < bytes.Length; i += chunk)
            {
                await stream.WriteAsync(bytes.AsMemory(i, Math.Min(chunk, bytes.Length - i)));
                await stream.FlushAsync();
                await Task.Delay(pause);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }
}
