using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Ftrack.Server.Api;
using Ftrack.Server.Operations;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ftrack.Server;

/// <summary>
/// Starts the server in the current process: used by <c>Program</c> and directly by tests
/// (<c>await using var server = await LocalServer.StartAsync(new ServerOptions())</c>).
/// </summary>
public sealed class LocalServer : IAsyncDisposable
{
    private static readonly Lazy<EntityModel> SharedModel = new(() => ModelBuilder.Build(ServedSchemas.Instance.Schemas));

    private readonly WebApplication _app;
    private readonly Database _database;
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    private LocalServer(WebApplication app, Database database, BatchExecutor executor, string url, string apiUser, string apiKey)
    {
        _app = app;
        _database = database;
        PageCursors = executor.PageCursors;
        Url = url;
        ApiUser = apiUser;
        ApiKey = apiKey;
    }

    /// <summary>Base URL, e.g. http://127.0.0.1:51234 (the API is at Url + "/api").</summary>
    public string Url { get; }

    public string ApiUser { get; }

    public string ApiKey { get; }

    /// <summary>The remembered page ends of queries (tests read its accounting).</summary>
    internal Query.PageCursorCache PageCursors { get; }

    /// <summary>The line the PowerShell module parses from the first line of stdout.</summary>
    public string ListeningLine => $"Ftrack local server listening url={Url} api_user={ApiUser} api_key={ApiKey}";

    /// <summary>Completes when the server has stopped: disposed, its parent process ended, or the host was told to stop (SIGTERM).</summary>
    public Task Stopped => Task.WhenAny(_stoppedSource.Task, _hostStopped.Task);

    private readonly TaskCompletionSource _stoppedSource = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _hostStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<LocalServer> StartAsync(ServerOptions options)
    {
        var address = options.BindAddress == "localhost" ? IPAddress.Loopback : null;
        if (address == null && !IPAddress.TryParse(options.BindAddress, out address))
            throw new ArgumentException($"--bind needs an IP address, not \"{options.BindAddress}\".");
        var model = SharedModel.Value;
        var database = new Database(options.DatabasePath, model);
        try
        {
            var schemas = ServedSchemas.Instance;
            var executor = new BatchExecutor(database, schemas);
            await SeedIfNewAsync(database, executor, options);
            var credentials = AdminCredentials.Ensure(database, options.ApiUser, options.ApiKey);
            var handler = new ApiHandler(executor, credentials,
                new BodyLimits(options.MaxRequestBodyBytes, options.MinRequestBodyBytesPerSecond, options.RequestBodyGracePeriod));

            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
            // Stdout belongs to the listening line the module parses; the host must not log there.
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(address, options.Port);
                // The handler reads bodies within its own limits (RequestBody): Kestrel's would
                // answer "too large" with a reset and "too slow" with an empty 408.
                kestrel.Limits.MaxRequestBodySize = null;
                kestrel.Limits.MinRequestBodyDataRate = null;
                kestrel.AddServerHeader = false;
            });
            var app = builder.Build();
            app.MapPost("/api", context => AspNetApi.HandleAsync(handler, context));
            app.MapFallback(AspNetApi.NotFoundAsync);
            await app.StartAsync();

            var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
            var host = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "127.0.0.1"
                : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
            var server = new LocalServer(app, database, executor, $"http://{host}:{port}", credentials.User, credentials.AnnouncedKey);
            app.Lifetime.ApplicationStopping.Register(() => server._hostStopped.TrySetResult());
            if (options.ParentProcessId is { } parent)
                _ = server.WatchParentAsync(parent);
            return server;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    private static async Task SeedIfNewAsync(Database database, BatchExecutor executor, ServerOptions options)
    {
        using (var connection = database.Open())
        using (var sql = new PreparedCommands(connection, null))
            if (Database.GetSetting(sql, "seed") != null)
                return;
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
            await _stoppedSource.Task;
            return;
        }
        _stopping.Cancel();
        try
        {
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
                await _app.StopAsync(timeout.Token);
            await _app.DisposeAsync();
        }
        finally
        {
            _database.Dispose();
            _stoppedSource.TrySetResult();
        }
    }
}
