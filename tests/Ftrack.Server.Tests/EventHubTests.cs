using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ftrack.Core.Events;
using Ftrack.Core.Transport;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Tests;

/// <summary>
/// The event hub over real HTTP and websockets on loopback: the socket.io 0.9 handshake and its
/// authentication, subscriptions and acknowledgements, targets, heartbeats and their timeout,
/// the bounded queue of a subscriber that stops reading, ftrack.update per committed batch, and
/// the module's client (Ftrack.Core's FtrackEventHub) reconnecting to a restarted server.
/// </summary>
public sealed class EventHubTests
{
    /// <summary>A bare socket.io 0.9 client: packets as text, nothing hidden.</summary>
    private sealed class RawClient : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket = new();
        private int _packetId;

        public static async Task<RawClient> ConnectAsync(LocalServer server)
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, server.Url + "/socket.io/1/");
            request.Headers.Add("ftrack-user", server.ApiUser);
            request.Headers.Add("ftrack-api-key", server.ApiKey);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var sid = (await response.Content.ReadAsStringAsync()).Split(':')[0];
            var client = new RawClient();
            await client._socket.ConnectAsync(new Uri(server.Url.Replace("http://", "ws://") + "/socket.io/1/websocket/" + sid), CancellationToken.None);
            Assert.Equal("1::", await client.ReceiveAsync());
            return client;
        }

        public WebSocketState State => _socket.State;

        public Task SendAsync(string packet) => _socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(packet), WebSocketMessageType.Text, true, CancellationToken.None);

        /// <summary>The next packet that is not a heartbeat; null when the server closed the connection.</summary>
        public async Task<string?> ReceiveAsync(TimeSpan? timeout = null, bool answerHeartbeats = true)
        {
            using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
            var buffer = new byte[1 << 20];
            while (true)
            {
                var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    try
                    {
                        result = await _socket.ReceiveAsync(buffer, cancel.Token);
                    }
                    catch (WebSocketException)
                    {
                        // Dropped without a close frame: the hub gives up on a client that does not read or answer.
                        return null;
                    }
                    if (result.MessageType == WebSocketMessageType.Close)
                        return null;
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                var text = System.Text.Encoding.UTF8.GetString(message.ToArray());
                if (text == "2::")
                {
                    if (answerHeartbeats) await SendAsync("2::");
                    continue;
                }
                return text;
            }
        }

        /// <summary>Sends an event with an acknowledgement id and returns the acknowledgement's answer.</summary>
        public async Task<JsonObject> EmitAsync(object e)
        {
            var id = Interlocked.Increment(ref _packetId);
            await SendAsync($"5:{id}+::" + JsonSerializer.Serialize(new { name = "ftrack.event", args = new[] { e } }));
            while (true)
            {
                var packet = await ReceiveAsync() ?? throw new InvalidOperationException("closed");
                var prefix = $"6:::{id}+";
                if (packet.StartsWith(prefix, StringComparison.Ordinal))
                    return JsonNode.Parse(packet[prefix.Length..])!.AsArray()[0]!.AsObject();
            }
        }

        public Task<JsonObject> SubscribeAsync(string subscription, object? subscriber = null) =>
            EmitAsync(new { topic = "ftrack.meta.subscribe", id = Guid.NewGuid().ToString("N"), data = new { subscriber = subscriber ?? new { id = Guid.NewGuid().ToString("N") }, subscription }, source = new { id = "raw" } });

        /// <summary>The next event packet's event.</summary>
        public async Task<JsonObject?> NextEventAsync(TimeSpan? timeout = null)
        {
            while (true)
            {
                string? packet;
                try
                {
                    packet = await ReceiveAsync(timeout);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
                if (packet == null)
                    return null;
                if (packet.StartsWith("5:::", StringComparison.Ordinal))
                    return JsonNode.Parse(packet[4..])!["args"]![0]!.AsObject();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _socket.Abort();
            _socket.Dispose();
            await Task.CompletedTask;
        }
    }

    private static async Task<HttpResponseMessage> HandshakeAsync(LocalServer server, string query = "", (string, string)[]? headers = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Url + "/socket.io/1/" + query);
        foreach (var (name, value) in headers ?? [])
            request.Headers.Add(name, value);
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task TheHandshakeTakesTheCredentialsAsHeadersOrInTheQueryStringAndRefusesAWrongKey()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Empty);
        var local = server.Server;
        using var viaHeaders = await HandshakeAsync(local, headers: [("ftrack-user", local.ApiUser), ("ftrack-api-key", local.ApiKey)]);
        Assert.Equal(HttpStatusCode.OK, viaHeaders.StatusCode);
        Assert.Matches("^[0-9a-f]{32}:60:60:websocket$", await viaHeaders.Content.ReadAsStringAsync());
        using var viaQuery = await HandshakeAsync(local, $"?api_user={local.ApiUser}&api_key={Uri.EscapeDataString(local.ApiKey)}");
        Assert.Equal(HttpStatusCode.OK, viaQuery.StatusCode);
        using var wrongKey = await HandshakeAsync(local, headers: [("ftrack-user", local.ApiUser), ("ftrack-api-key", "wrong")]);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        using var wrongUser = await HandshakeAsync(local, $"?api_user=someone&api_key={Uri.EscapeDataString(local.ApiKey)}");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongUser.StatusCode);
        using var none = await HandshakeAsync(local);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
    }

    [Fact]
    public async Task AWebSocketNeedsASessionIdFromAHandshakeUsedOnce()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Empty);
        var local = server.Server;
        var ws = local.Url.Replace("http://", "ws://") + "/socket.io/1/websocket/";
        using (var unknown = new ClientWebSocket())
        {
            var refused = await Assert.ThrowsAnyAsync<WebSocketException>(() => unknown.ConnectAsync(new Uri(ws + "0123456789abcdef0123456789abcdef"), CancellationToken.None));
            Assert.Contains("403", refused.Message);
        }
        using var handshake = await HandshakeAsync(local, headers: [("ftrack-user", local.ApiUser), ("ftrack-api-key", local.ApiKey)]);
        var sid = (await handshake.Content.ReadAsStringAsync()).Split(':')[0];
        using (var first = new ClientWebSocket())
            await first.ConnectAsync(new Uri(ws + sid), CancellationToken.None);
        using var again = new ClientWebSocket();
        await Assert.ThrowsAnyAsync<WebSocketException>(() => again.ConnectAsync(new Uri(ws + sid), CancellationToken.None));
        // Wrong credentials on the websocket are refused even with a good session id.
        using var handshake2 = await HandshakeAsync(local, headers: [("ftrack-user", local.ApiUser), ("ftrack-api-key", local.ApiKey)]);
        var sid2 = (await handshake2.Content.ReadAsStringAsync()).Split(':')[0];
        using var wrong = new ClientWebSocket();
        await Assert.ThrowsAnyAsync<WebSocketException>(() => wrong.ConnectAsync(new Uri(ws + sid2 + "?api_user=admin&api_key=wrong"), CancellationToken.None));
    }

    [Fact]
    public async Task SubscriptionsAreAcknowledgedAndAnInvalidOneIsRefusedWithTheReason()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Empty);
        await using var client = await RawClient.ConnectAsync(server.Server);
        Assert.Equal(true, (bool?)(await client.SubscribeAsync("topic=a.* and data.n>=2"))["success"]);
        var refused = await client.SubscribeAsync("topic=a and");
        Assert.Equal(false, (bool?)refused["success"]);
        Assert.Contains("position", (string?)refused["message"]);
    }

    [Fact]
    public async Task AConnectionHoldsAtMostTheSubscribersAllowedAndTheHubAtMostTheConnectionsAllowed()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Empty, configure: o =>
        {
            o.EventHub.MaxSubscribersPerConnection = 3;
            o.EventHub.MaxConnections = 1;
        });
        await using var client = await RawClient.ConnectAsync(server.Server);
        for (var i = 0; i < 3; i++)
            Assert.Equal(true, (bool?)(await client.SubscribeAsync("topic=a" + i))["success"]);
        var refused = await client.SubscribeAsync("topic=a3");
        Assert.Equal(false, (bool?)refused["success"]);
        Assert.Contains("most subscribers", (string?)refused["message"]);
        using var second = await HandshakeAsync(server.Server, headers: [("ftrack-user", server.Server.ApiUser), ("ftrack-api-key", server.Server.ApiKey)]);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
    }

    [Fact]
    public async Task EventsReachTheConnectionsWhoseSubscribersMatchThemAndTheirTarget()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Empty);
        await using var publisher = await RawClient.ConnectAsync(server.Server);
        await using var farm = await RawClient.ConnectAsync(server.Server);
        await using var desk = await RawClient.ConnectAsync(server.Server);
        await farm.SubscribeAsync("topic=render.*", new { id = "farm-1", role = "farm" });
        await desk.SubscribeAsync("topic=render.* and data.priority>5", new { id = "desk-1", role = "desk" });
        await publisher.EmitAsync(new { topic = "render.done", id = "e1", data = new { priority = 3 }, source = new { id = "p" }, target = "" });
        await publisher.EmitAsync(new { topic = "render.done", id = "e2", data = new { priority = 9 }, source = new { id = "p" }, target = "role=desk" });
        await publisher.EmitAsync(new { topic = "other", id = "e3", data = new { }, source = new { id = "p" }, target = "" });
        Assert.Equal("e1", (string?)(await farm.NextEventAsync())!["id"]);
        Assert.Null(await farm.NextEventAsync(TimeSpan.FromMilliseconds(500)));
        var atDesk = await desk.NextEventAsync();
        Assert.Equal("e2", (string?)atDesk!["id"]);
        Assert.Equal(9, (int?)atDesk["data"]!["priority"]);
        Assert.Null(await desk.NextEventAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task AClientThatStopsAnsweringHeartbeatsIsDisconnectedAndOneThatAnswersIsKept()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Empty, configure: o =>
        {
            o.EventHub.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
            o.EventHub.HeartbeatTimeout = TimeSpan.FromSeconds(2);
        });
        await using var silent = await RawClient.ConnectAsync(server.Server);
        await using var alive = await RawClient.ConnectAsync(server.Server);
        var answering = Task.Run(async () =>
        {
            try
            {
                while (await alive.ReceiveAsync(TimeSpan.FromSeconds(30)) != null) { }
            }
            catch (Exception)
            {
            }
        });
        // Heartbeats arrive; the silent one never answers and is closed.
        Assert.Null(await silent.ReceiveAsync(TimeSpan.FromSeconds(10), answerHeartbeats: false));
        Assert.True(SpinWait.SpinUntil(() => server.Server.EventHub.ConnectionCount == 1, TimeSpan.FromSeconds(5)));
        // Longer than the timeout: the answering client stays.
        await Task.Delay(2500);
        Assert.Equal(WebSocketState.Open, alive.State);
    }

    [Fact]
    public async Task ASubscriberThatStopsReadingIsDisconnectedWithoutHoldingBackTheOthers()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Empty, configure: o => o.EventHub.MaxQueuedPackets = 200);
        await using var publisher = await RawClient.ConnectAsync(server.Server);
        await using var stuck = await RawClient.ConnectAsync(server.Server);
        await using var reader = await RawClient.ConnectAsync(server.Server);
        await stuck.SubscribeAsync("topic=big");
        await reader.SubscribeAsync("topic=big");
        var received = 0;
        var reading = Task.Run(async () =>
        {
            while (received < 1000 && await reader.NextEventAsync(TimeSpan.FromSeconds(20)) is { })
                Interlocked.Increment(ref received);
        });
        // 1000 events of 64 KB: far more than the stuck client's socket buffers and its queue of 200
        // hold; published no faster than the reading subscriber keeps up (at most 50 behind).
        var payload = new string('x', 64 * 1024);
        for (var i = 0; i < 1000; i++)
        {
            while (i - Volatile.Read(ref received) > 50 && !reading.IsCompleted)
                await Task.Delay(1);
            await publisher.SendAsync("5:::" + JsonSerializer.Serialize(new { name = "ftrack.event", args = new[] { new { topic = "big", id = "e" + i, data = new { payload }, source = new { id = "p" }, target = "" } } }));
        }
        await reading;
        Assert.Equal(1000, received);
        Assert.Equal(1, server.Server.EventHub.Overflowed);
        Assert.True(SpinWait.SpinUntil(() => server.Server.EventHub.ConnectionCount == 2, TimeSpan.FromSeconds(5)), "only the stuck subscriber is disconnected");
    }

    [Fact]
    public async Task FtrackUpdateIsPublishedOncePerCommittedBatchWithAddsUpdatesAndRemoves()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Demo);
        await using var listener = await RawClient.ConnectAsync(server.Server);
        await listener.SubscribeAsync("topic=ftrack.update");
        var shot = (await server.QueryAsync("select id, parent_id from Shot"))[0]!;
        var typeId = (string)(await server.QueryAsync("select id from Type where name is \"Compositing\""))[0]!["id"]!;
        var taskId = Guid.NewGuid().ToString();
        var created = await server.CallAsync(TestServer.Create("Task", new { id = taskId, name = "hub-a", parent_id = (string)shot["id"]!, type_id = typeId }),
            TestServer.Update("Shot", (string)shot["id"]!, new { description = "changed" }));
        Assert.IsType<JsonArray>(created.Body);
        var e = await listener.NextEventAsync();
        Assert.Equal("ftrack.update", (string?)e!["topic"]);
        var entities = e["data"]!["entities"]!.AsArray();
        Assert.Equal(2, entities.Count);
        Assert.Equal("add", (string?)entities[0]!["action"]);
        Assert.Equal(taskId, (string?)entities[0]!["entityId"]);
        Assert.Equal("hub-a", (string?)entities[0]!["changes"]!["name"]!["new"]);
        Assert.Equal(typeId, (string?)entities[0]!["changes"]!["typeid"]!["new"]);
        Assert.Equal("update", (string?)entities[1]!["action"]);
        Assert.Equal(["description"], entities[1]!["keys"]!.AsArray().Select(k => (string?)k));
        Assert.Equal("changed", (string?)entities[1]!["changes"]!["description"]!["new"]);
        Assert.Equal((string)shot["parent_id"]!, (string?)entities[1]!["parentId"]);
        Assert.Equal(server.Server.ApiUser, (string?)e["source"]!["user"]!["username"]);

        // An update that changes nothing, and a failing batch: no event. Then a delete: one, "remove".
        await server.CallAsync(TestServer.Update("Shot", (string)shot["id"]!, new { description = "changed" }));
        var failed = await server.CallAsync(TestServer.Update("Task", taskId, new { name = "never" }), TestServer.Delete("Task", Guid.NewGuid().ToString()));
        Assert.IsType<JsonObject>(failed.Body);
        await server.CallAsync(TestServer.Delete("Task", taskId));
        var removed = await listener.NextEventAsync();
        var gone = removed!["data"]!["entities"]!.AsArray();
        Assert.Single(gone);
        Assert.Equal("remove", (string?)gone[0]!["action"]);
        Assert.Equal(taskId, (string?)gone[0]!["entityId"]);
        Assert.Equal((string)shot["id"]!, (string?)gone[0]!["parents"]![1]!["entityId"]);
        Assert.Null(await listener.NextEventAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task FtrackUpdateParentsFollowAMoveWithinTheBatch()
    {
        // Ancestors are read once per context per batch: a move inside the batch must not leave
        // later entities with the chain from before it.
        await using var server = await TestServer.StartAsync(SeedKind.Demo);
        await using var listener = await RawClient.ConnectAsync(server.Server);
        await listener.SubscribeAsync("topic=ftrack.update");
        var shot = (await server.QueryAsync("select id, parent_id from Shot"))[0]!;
        var from = (string)shot["parent_id"]!;
        var to = (string)(await server.QueryAsync($"select id from Sequence where id != \"{from}\""))[0]!["id"]!;
        var typeId = (string)(await server.QueryAsync("select id from Type where name is \"Compositing\""))[0]!["id"]!;
        string before = Guid.NewGuid().ToString(), after = Guid.NewGuid().ToString();
        var answer = await server.CallAsync(
            TestServer.Create("Task", new { id = before, name = "hub-before-move", parent_id = (string)shot["id"]!, type_id = typeId }),
            TestServer.Update("Shot", (string)shot["id"]!, new { parent_id = to }),
            TestServer.Create("Task", new { id = after, name = "hub-after-move", parent_id = (string)shot["id"]!, type_id = typeId }));
        Assert.IsType<JsonArray>(answer.Body);

        var entities = (await listener.NextEventAsync())!["data"]!["entities"]!.AsArray();
        string?[] ParentsOf(string id) => entities.Single(x => (string?)x!["entityId"] == id)!["parents"]!.AsArray().Select(p => (string?)p!["entityId"]).ToArray();
        Assert.Equal(from, ParentsOf(before)[2]);
        Assert.Equal(to, ParentsOf(after)[2]);
    }

    [Fact]
    public async Task FtrackUpdateReportsEveryRowADeleteTakesWithIt()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Demo);
        var sequence = (string)(await server.QueryAsync("select id from Sequence"))[0]!["id"]!;
        var typeId = (string)(await server.QueryAsync("select id from Type where name is \"Compositing\""))[0]!["id"]!;
        string shot = Guid.NewGuid().ToString(), task = Guid.NewGuid().ToString();
        Assert.IsType<JsonArray>((await server.CallAsync(
            TestServer.Create("Shot", new { id = shot, name = "hub-doomed", parent_id = sequence }),
            TestServer.Create("Task", new { id = task, name = "hub-doomed-task", parent_id = shot, type_id = typeId }))).Body);
        await using var listener = await RawClient.ConnectAsync(server.Server);
        await listener.SubscribeAsync("topic=ftrack.update");

        Assert.IsType<JsonArray>((await server.CallAsync(TestServer.Delete("Shot", shot))).Body);

        var entities = (await listener.NextEventAsync())!["data"]!["entities"]!.AsArray();
        // The shot the delete names, then the task it takes along.
        Assert.Equal([shot, task], entities.Select(x => (string?)x!["entityId"]));
        Assert.All(entities, x => Assert.Equal("remove", (string?)x!["action"]));
        var removedTask = entities.Single(x => (string?)x!["entityId"] == task)!;
        Assert.Equal("task", (string?)removedTask["entityType"]);
        Assert.Equal([task, shot, sequence], removedTask["parents"]!.AsArray().Take(3).Select(p => (string?)p!["entityId"]));
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        try { return ((IPEndPoint)probe.LocalEndpoint).Port; }
        finally { probe.Stop(); }
    }

    [Fact]
    public async Task TheModulesClientConnectsAgainAfterTheServerRestartsAndResubscribes()
    {
        var port = FreePort();
        const string key = "event-hub-reconnect-key";
        var server = await TestServer.StartAsync(SeedKind.Empty, apiKey: key, configure: o => o.Port = port);
        using var session = new FtrackSession(new FtrackSessionOptions(new Uri(server.Server.Url), server.Server.ApiUser, key) { SchemaCacheDirectory = null });
        var hub = session.EventHub;
        hub.MaxReconnectDelay = TimeSpan.FromSeconds(1);
        var received = new System.Collections.Concurrent.ConcurrentQueue<FtrackEvent>();
        using var subscription = hub.Subscribe("topic=proof.reconnect", received.Enqueue);
        hub.Publish(new FtrackEvent("proof.reconnect", new Dictionary<string, object?> { ["n"] = 1L }));
        Assert.True(SpinWait.SpinUntil(() => received.Count == 1, TimeSpan.FromSeconds(10)));
        Assert.Equal(1L, hub.Connections);

        await server.DisposeAsync();
        Assert.True(SpinWait.SpinUntil(() => hub.State == FtrackEventHubState.Connecting, TimeSpan.FromSeconds(10)), "the hub notices the server went away");
        await using var restarted = await TestServer.StartAsync(SeedKind.Empty, apiKey: key, configure: o => o.Port = port);
        Assert.True(SpinWait.SpinUntil(() => hub.State == FtrackEventHubState.Connected, TimeSpan.FromSeconds(20)), "the hub connects again: " + hub.LastError?.Message);
        Assert.Equal(2L, hub.Connections);

        // Another client publishes: the subscription was announced again, so the event arrives.
        await using var other = await RawClient.ConnectAsync(restarted.Server);
        await other.EmitAsync(new { topic = "proof.reconnect", id = "after", data = new { n = 2 }, source = new { id = "raw" }, target = "" });
        Assert.True(SpinWait.SpinUntil(() => received.Count == 2, TimeSpan.FromSeconds(10)));
        Assert.Equal("after", received.Last().Id);
        Assert.Equal(2L, received.Last().Data["n"]);
    }

    [Fact]
    public async Task TheModulesClientReportsAWrongKeyAsAnAuthenticationFailure()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Empty);
        using var session = new FtrackSession(new FtrackSessionOptions(new Uri(server.Server.Url), server.Server.ApiUser, "wrong-key") { SchemaCacheDirectory = null });
        var error = Assert.Throws<Ftrack.Core.FtrackAuthenticationException>(() => session.EventHub.Connect(TimeSpan.FromSeconds(10)));
        Assert.DoesNotContain("wrong-key", error.Message);
    }
}
