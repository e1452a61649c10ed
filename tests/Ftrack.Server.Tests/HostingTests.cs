using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Reflection;
using System.Text.Json.Nodes;
using Ftrack.Server.Hosting;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Tests;

/// <summary>Skips (with the reason) off Linux: the test reads /proc.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
            Skip = "Reads the kernel's socket table in /proc/net, which only Linux has.";
    }
}

/// <summary>The HTTP host (HttpListener): ports, addresses, connections, routes, stopping, and WebSockets.</summary>
public sealed class HostingTests
{
    private static Task Answer(HttpListenerContext context, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        context.Response.ContentLength64 = bytes.Length;
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task PortZeroPicksAgainWhenAnotherProcessTookThePortFirst()
    {
        // Another listener holds the port the first pick names: the race HttpListener cannot avoid,
        // as it cannot bind port 0 itself.
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var takenPort = ((IPEndPoint)taken.LocalEndpoint).Port;
        var picks = new List<int>();
        int Pick()
        {
            var port = picks.Count == 0 ? takenPort : FreeLoopbackPort();
            picks.Add(port);
            return port;
        }
        await using var host = HttpListenerHost.Start(IPAddress.Loopback, 0, (c, _) => Answer(c, "ok"), _ => { }, Pick);
        Assert.Equal(2, picks.Count);
        Assert.Equal(picks[1], host.Port);
        using var client = new HttpClient();
        Assert.Equal("ok", await client.GetStringAsync($"http://127.0.0.1:{host.Port}/"));
    }

    [Fact]
    public void AGivenPortThatIsTakenFailsNamingIt()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var error = Assert.Throws<IOException>(() => HttpListenerHost.Start(IPAddress.Loopback, port, (c, _) => Answer(c, "ok"), _ => { }));
        Assert.Contains($"127.0.0.1:{port}", error.Message);
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The listening sockets on a port, as the kernel lists them: "127.0.0.1", "0.0.0.0".</summary>
    private static List<string> ListeningAddresses(int port)
    {
        var addresses = new List<string>();
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var local = fields[1].Split(':');
            const string listen = "0A";
            if (fields[3] == listen && Convert.ToInt32(local[1], 16) == port)
                addresses.Add(new IPAddress(Convert.ToUInt32(local[0], 16)).ToString());
        }
        return addresses;
    }

    [LinuxFact]
    public async Task ItListensOnLoopbackOnlyUnlessToldOtherwise()
    {
        await using (var loopback = await TestServer.StartAsync(SeedKind.Empty))
            Assert.Equal(["127.0.0.1"], ListeningAddresses(new Uri(loopback.Server.Url).Port));
        await using var everywhere = await TestServer.StartAsync(SeedKind.Empty, configure: o => o.BindAddress = "0.0.0.0");
        Assert.StartsWith("http://127.0.0.1:", everywhere.Server.Url);
        Assert.Equal(["0.0.0.0"], ListeningAddresses(new Uri(everywhere.Server.Url).Port));
        Assert.IsType<JsonArray>((await everywhere.CallAsync(new { action = "query_server_information" })).Body);
    }

    /// <summary>
    /// Only requests for the URL it announced: a web page whose own name was made to resolve to
    /// 127.0.0.1 sends its name as Host, and gets no further than the listener.
    /// </summary>
    [Fact]
    public async Task ARequestForAnotherHostNameIsNotServed()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Empty);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api") { Content = new StringContent("[{\"action\":\"query\",\"expression\":\"select username from User\"}]") };
        request.Headers.Host = "attacker.example";
        request.Headers.Add("ftrack-user", server.Server.ApiUser);
        request.Headers.Add("ftrack-api-key", server.Server.ApiKey);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("username", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AKeptAliveConnectionServesRequestAfterRequest()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Empty);
        var connections = 0;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(server.Server.Url) };
        client.DefaultRequestHeaders.Add("ftrack-user", server.Server.ApiUser);
        client.DefaultRequestHeaders.Add("ftrack-api-key", server.Server.ApiKey);
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.PostAsync("/api", new StringContent("[{\"action\":\"query\",\"expression\":\"select name from Status\"}]"));
            Assert.IsType<JsonArray>(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        }
        Assert.Equal(1, connections);
    }

    /// <summary>
    /// Answers small and large (one write, or the headers' write and the rest) arrive whole and at
    /// once: a write split badly lets Nagle's algorithm hold its tail for the client's delayed ACK,
    /// 40 ms on every answer, which the fastest of 15 tries shows whatever else the machine does.
    /// </summary>
    [Theory]
    [InlineData(20)]
    [InlineData(400)]
    [InlineData(2000)]
    public async Task AnswersOfEverySizeArriveWholeWithoutWaitingForAnAck(int tasks)
    {
        await using var server = await TestServer.StartAsync(SeedKind.Empty);
        var project = Guid.NewGuid().ToString();
        var shot = Guid.NewGuid().ToString();
        var creates = new List<object>
        {
            TestServer.Create("Project", new { id = project, name = "sizes", project_schema_id = TestServer.ProjectSchemaId }),
            TestServer.Create("Shot", new { id = shot, name = "SH010", parent_id = project }),
        };
        creates.AddRange(Enumerable.Range(0, tasks).Select(i => TestServer.Create("Task",
            new { name = "task " + i, description = new string('d', 200), parent_id = shot, type_id = TestServer.TaskTypeId("Generic") })));
        Assert.IsType<JsonArray>((await server.CallAsync(creates.ToArray())).Body);

        var fastest = TimeSpan.MaxValue;
        long bytes = 0;
        for (var i = 0; i < 15; i++)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var answer = await server.PostRawAsync("[{\"action\":\"query\",\"expression\":\"select name, description, parent.name from Task\"}]");
            if (watch.Elapsed < fastest)
                fastest = watch.Elapsed;
            Assert.Equal(tasks, answer.Results[0]!["data"]!.AsArray().Count);
            bytes = answer.Response.Content.Headers.ContentLength ?? 0;
        }
        // About 1 ms for 10 KB, 8 ms for 200 KB, 25 ms for 1 MB here: a stall adds 40 ms to each.
        Assert.InRange(fastest, TimeSpan.Zero, TimeSpan.FromMilliseconds(30 + bytes / 40_000));
    }

    /// <summary>A request whose body is stalled holds its own task, not the server: others are answered meanwhile.</summary>
    [Fact]
    public async Task AStalledRequestDoesNotHoldUpOthers()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Empty);
        using var stalled = new TcpClient();
        var url = new Uri(server.Server.Url);
        await stalled.ConnectAsync(url.Host, url.Port);
        await stalled.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(
            $"POST /api HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Length: 1000\r\nftrack-user: {server.Server.ApiUser}\r\nftrack-api-key: {server.Server.ApiKey}\r\n\r\n[{{"));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => server.QueryAsync("select name from Priority")));
        Assert.All(answers, rows => Assert.Equal(5, rows.Count));
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(4));
    }

    [Theory]
    [InlineData("GET", "/api")]
    [InlineData("POST", "/")]
    [InlineData("POST", "/api/v2")]
    public async Task AnythingButPostApiIsAnsweredNotFoundAsFtrackDoes(string method, string path)
    {
        await using var server = await TestServer.StartAsync(SeedKind.Empty);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("ServerError", (string)error["exception"]!);
        Assert.Contains("POST /api", (string)error["content"]!);
    }

    [Fact]
    public async Task PostApiIsServedWhateverTheCaseAndATrailingSlash()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Empty);
        foreach (var path in new[] { "/api", "/api/", "/API" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("[{\"action\":\"query_server_information\"}]") };
            request.Headers.Add("ftrack-user", server.Server.ApiUser);
            request.Headers.Add("ftrack-api-key", server.Server.ApiKey);
            using var response = await server.Http.SendAsync(request);
            Assert.IsType<JsonArray>(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        }
    }

    /// <summary>Stopping lets a request in flight finish and answer; then the port is closed.</summary>
    [Fact]
    public async Task StoppingFinishesTheRequestInFlightThenClosesThePort()
    {
        var server = await TestServer.StartAsync(SeedKind.Empty);
        var url = new Uri(server.Server.Url);
        using var slow = new TcpClient();
        await slow.ConnectAsync(url.Host, url.Port);
        var body = System.Text.Encoding.UTF8.GetBytes("[{\"action\":\"query\",\"expression\":\"select name from Priority\"}]");
        var stream = slow.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
            $"POST /api HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Length: {body.Length}\r\nftrack-user: {server.Server.ApiUser}\r\nftrack-api-key: {server.Server.ApiKey}\r\n\r\n"));
        await stream.WriteAsync(body.AsMemory(0, 10));
        await Task.Delay(300);

        var stopping = server.Server.DisposeAsync().AsTask();
        await Task.Delay(300);
        Assert.False(stopping.IsCompleted, "the server stopped with a request in flight");
        await stream.WriteAsync(body.AsMemory(10));
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        Assert.Equal("HTTP/1.1 200 OK", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        server.Http.Dispose();

        var refused = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var again = new TcpClient();
            await again.ConnectAsync(url.Host, url.Port);
        });
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    /// <summary>
    /// Should the listener ever fail on its own, the server ends: Stopped faults with the reason
    /// (what the module's StopReason and Ftrack.LocalServerStopped then say), and the log has the details.
    /// </summary>
    [Fact]
    public async Task AFailedListenerEndsTheServerAndSaysWhy()
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var server = await TestServer.StartAsync(SeedKind.Empty, configure: o => o.Log = log.Enqueue);
        var host = (HttpListenerHost)typeof(LocalServer).GetField("_host", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(server.Server)!;
        var listener = (HttpListener)typeof(HttpListenerHost).GetField("_listener", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(host)!;
        // Closed under the host's feet: to its accept loop, a listener that failed.
        listener.Close();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => server.Server.Stopped.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("HttpListener", failure.Message);
        Assert.Contains(log, line => line.StartsWith("Ftrack.Server: the HTTP listener failed and the server stopped"));
    }

    /// <summary>
    /// The next feature (an event hub for socket.io 0.9 clients) needs WebSockets on this listener:
    /// HttpListenerContext.AcceptWebSocketAsync, with the managed HttpListener of Linux and macOS.
    /// </summary>
    [Fact]
    public async Task TheListenerAcceptsWebSockets()
    {
        await using var host = HttpListenerHost.Start(IPAddress.Loopback, 0, async (context, stopping) =>
        {
            if (!context.Request.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                context.Response.Close();
                return;
            }
            var socket = (await context.AcceptWebSocketAsync(subProtocol: null)).WebSocket;
            var buffer = new byte[1024];
            var received = await socket.ReceiveAsync(buffer, stopping);
            await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes("echo: " + System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count)), WebSocketMessageType.Text, true, stopping);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", stopping);
        }, _ => { });

        using var client = new ClientWebSocket();
        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{host.Port}/socket.io/1/websocket/x"), CancellationToken.None);
        await client.SendAsync(System.Text.Encoding.UTF8.GetBytes("5:::{\"name\":\"ftrack.event\"}"), WebSocketMessageType.Text, true, CancellationToken.None);
        var reply = new byte[1024];
        var answer = await client.ReceiveAsync(reply, CancellationToken.None);
        Assert.Equal("echo: 5:::{\"name\":\"ftrack.event\"}", System.Text.Encoding.UTF8.GetString(reply, 0, answer.Count));
        var close = await client.ReceiveAsync(reply, CancellationToken.None);
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
    }
}
