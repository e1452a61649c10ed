using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Ftrack.Server.Api;
using Ftrack.Server.Hosting;
using Ftrack.Server.Operations;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;

namespace Ftrack.Server;

/// <summary>
/// Starts the server in the current process: used by <c>Program</c> (standalone), by
/// <c>ModuleEntry</c> (inside pwsh) and directly by tests
/// (<c>await using var server = await LocalServer.StartAsync(new ServerOptions())</c>).
/// The HTTP endpoints are mapped here, in <see cref="MapRoutes"/>.
/// </summary>
public sealed class LocalServer : IAsyncDisposable
{
    private static readonly Lazy<EntityModel> SharedModel = new(() => ModelBuilder.Build(ServedSchemas.Instance.Schemas));

    private readonly HttpListenerHost _host;
    private readonly Events.EventHub _events;
    private readonly Database _database;
    private readonly ComponentStore _store;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _disposedSource = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private LocalServer(HttpListenerHost host, Events.EventHub events, Database database, ComponentStore store, BatchExecutor executor, string url, string apiUser, string apiKey)
    {
        _host = host;
        _events = events;
        _database = database;
        _store = store;
        PageCursors = executor.PageCursors;
        Url = url;
        ApiUser = apiUser;
        ApiKey = apiKey;
        Stopped = WhenStoppedAsync();
    }

    /// <summary>Base URL, e.g. http://127.0.0.1:51234 (the API is at Url + "/api").</summary>
    public string Url { get; }

    public string ApiUser { get; }

    public string ApiKey { get; }

    /// <summary>The folder of the ftrack.server location's files.</summary>
    public string StoragePath => _store.Root;

    /// <summary>The event hub (tests and the soak bench read its counts).</summary>
    internal Events.EventHub EventHub => _events;

    /// <summary>The remembered page ends of queries (tests read its accounting).</summary>
    internal Query.PageCursorCache PageCursors { get; }

    /// <summary>The standalone server's first line on stdout; ModuleEntry hands the module the same line.</summary>
    public string ListeningLine => $"Ftrack local server listening url={Url} api_user={ApiUser} api_key={ApiKey}";

    /// <summary>
    /// Completes when the server has stopped: disposed (also when its parent process ended), or
    /// faulted with the reason when the HTTP listener failed on its own.
    /// </summary>
    public Task Stopped { get; }

    private async Task WhenStoppedAsync()
    {
        var ended = await Task.WhenAny(_disposedSource.Task, _host.Stopped);
        if (ended.IsFaulted)
            // The listener failed on its own: nothing will be served, so the database is closed too.
            await DisposeAsync();
        await ended;
    }

    public static async Task<LocalServer> StartAsync(ServerOptions options)
    {
        // Standalone, the server runs with invariant globalization; inside pwsh it would take the
        // user's culture (a Thai calendar's year 2569 in seeded dates, "1.000" in messages). Set
        // here, the culture flows with the execution context into seeding, the host's accept loop
        // and every request, and is the caller's again once this method returns.
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        var address = options.BindAddress == "localhost" ? IPAddress.Loopback : null;
        if (address == null && !IPAddress.TryParse(options.BindAddress, out address))
            throw new ArgumentException($"--bind needs an IP address, not \"{options.BindAddress}\".");
        var model = SharedModel.Value;
        var database = new Database(options.DatabasePath, model);
        ComponentStore? store = null;
        try
        {
            store = ComponentStore.Open(options.DatabasePath, options.StoragePath, options.StorageQuotaBytes);
            var urls = new ComponentUrls(new SignedUrls(options.SignedUrlLifetime, options.Time), store, options.MaxUploadBytes);
            var schemas = ServedSchemas.Instance;
            var executor = new BatchExecutor(database, schemas, urls);
            await SeedIfNewAsync(database, executor, options);
            var credentials = AdminCredentials.Ensure(database, options.ApiUser, options.ApiKey);
            var handler = new ApiHandler(executor, credentials,
                new BodyLimits(options.MaxRequestBodyBytes, options.MinRequestBodyBytesPerSecond, options.RequestBodyGracePeriod), options.Log);
            var events = new Events.EventHub(credentials, options.EventHub, options.Log);
            executor.Committed = (changes, userId) => events.Publish(Events.UpdateEvent.Build(changes, credentials.User, userId));
            executor.CollectChanges = () => events.HasSubscribers;
            var endpoints = new ComponentEndpoints(urls, credentials, id => DescribeComponent(database, id), options.UploadIdleTimeout, options.Log);
            var host = HttpListenerHost.Start(address, options.Port, MapRoutes(handler, endpoints, events).ServeAsync, options.Log);
            var url = HttpListenerHost.UrlFor(address, host.Port);
            urls.OwnUrl = url;
            var server = new LocalServer(host, events, database, store, executor, url, credentials.User, credentials.AnnouncedKey);
            if (options.ParentProcessId is { } parent)
                _ = server.WatchParentAsync(parent);
            return server;
        }
        catch
        {
            store?.Dispose();
            database.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The server's endpoints: <c>POST /api</c>; the ftrack.server location's uploads, downloads and
    /// thumbnails (ComponentEndpoints); the event hub (socket.io 0.9: the handshake and its
    /// websocket); and the ftrack error object (404) for anything else. New endpoints are mapped here.
    /// </summary>
    private static HttpRoutes MapRoutes(ApiHandler handler, ComponentEndpoints components, Events.EventHub events) =>
        new HttpRoutes(ListenerApi.NotFoundAsync)
            .Map("POST", "/api", (context, stopping) => ListenerApi.HandleAsync(handler, context, stopping))
            .Map("PUT", ComponentUrls.UploadPath, components.UploadAsync)
            .Map("GET", ComponentUrls.GetPath, components.DownloadAsync)
            .Map("GET", ComponentUrls.ThumbnailPath, components.ThumbnailAsync)
            .Map("GET", ComponentUrls.RemovePath, components.RemoveAsync)
            .Map("GET", ComponentUrls.DefaultThumbnailPath, ComponentEndpoints.PlaceholderThumbnailAsync)
            .Map("GET", Events.SocketIoEndpoint.HandshakePath, (context, stopping) => Events.SocketIoEndpoint.HandshakeAsync(events, context, stopping))
            .MapPrefix("GET", Events.SocketIoEndpoint.WebSocketPrefix, (context, stopping) => Events.SocketIoEndpoint.WebSocketAsync(events, context, stopping));

    /// <summary>A component's name and file type (a download's file name), or nulls.</summary>
    private static (string? Name, string? FileType) DescribeComponent(Database database, string id)
    {
        using var connection = database.Open();
        using var sql = new PreparedCommands(connection, null);
        using var reader = sql.Get("SELECT name, file_type FROM component WHERE id = $0", id).ExecuteReader();
        return reader.Read() ? (reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)) : (null, null);
    }

    private static async Task SeedIfNewAsync(Database database, BatchExecutor executor, ServerOptions options)
    {
        using (var connection = database.Open())
        using (var sql = new PreparedCommands(connection, null))
            if (Database.GetSetting(sql, "seed") != null)
            {
                SeedData.EnsureBuiltinLocations(sql);
                return;
            }
        var operations = SeedData.Build(database.Model, options.Seed, options.ApiUser);
        using var document = JsonDocument.Parse(operations.ToJsonString());
        await executor.ExecuteAsync(document.RootElement, AdminCredentials.AdminUserId, denormalize: false);
        using (var connection = database.Open())
        using (var sql = new PreparedCommands(connection, null))
            Database.SetSetting(sql, "seed", options.Seed.ToString());
    }

    /// <summary>Ends the server when the process that started it ends, so it never outlives a PowerShell session.</summary>
    private async Task WatchParentAsync(int parentId)
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                if (!IsRunning(parentId))
                {
                    await DisposeAsync();
                    return;
                }
                await Task.Delay(TimeSpan.FromSeconds(1), _stopping.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await _disposedSource.Task;
            return;
        }
        _stopping.Cancel();
        try
        {
            // Websockets first: the host waits for requests in flight, and each one is a request.
            await _events.DisposeAsync();
            await _host.DisposeAsync();
        }
        finally
        {
            _database.Dispose();
            _store.Dispose();
            _disposedSource.TrySetResult();
        }
    }
}
