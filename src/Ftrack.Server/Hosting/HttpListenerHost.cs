using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Ftrack.Server.Hosting;

/// <summary>
/// HTTP/1.1 on <see cref="HttpListener"/>, which every .NET has (the one pwsh runs on included), so
/// the server needs no ASP.NET Core runtime and can live inside a PowerShell process. Requests are
/// served concurrently, each on a thread-pool task; connections are kept alive by the listener.
/// Stopping refuses new requests, gives those in flight a grace period, then closes the listener.
/// </summary>
internal sealed class HttpListenerHost : IAsyncDisposable
{
    /// <summary>How often a free port is picked again when another process takes it first.</summary>
    public const int PortAttempts = 20;

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly HttpListener _listener;
    private readonly RequestHandler _serve;
    private readonly Action<string> _log;
    private readonly bool _loopbackOnly;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abandoning = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _accepting;
    private int _inFlight;
    private int _disposed;

    private HttpListenerHost(HttpListener listener, IPAddress address, int port, RequestHandler serve, Action<string> log)
    {
        _listener = listener;
        _loopbackOnly = IPAddress.IsLoopback(address);
        Port = port;
        _serve = serve;
        _log = log;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The port listened on (the one picked, when 0 was asked for).</summary>
    public int Port { get; }

    /// <summary>
    /// Completes when the host stops accepting requests: after <see cref="DisposeAsync"/>, or faulted
    /// with the reason when the listener failed on its own.
    /// </summary>
    public Task Stopped => _accepting;

    /// <summary>
    /// Listens on <paramref name="address"/>:<paramref name="port"/>. HttpListener cannot bind port 0,
    /// so for 0 a free port is picked (by <paramref name="pickPort"/>, for tests; else by binding a
    /// socket to port 0) and, should another process take it before the listener binds, picked again.
    /// </summary>
    public static HttpListenerHost Start(IPAddress address, int port, RequestHandler serve, Action<string> log, Func<int>? pickPort = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var candidate = port != 0 ? port : (pickPort ?? (() => FreePort(address)))();
            var listener = new HttpListener { IgnoreWriteExceptions = true };
            listener.Prefixes.Add(Prefix(address, candidate));
            try
            {
                listener.Start();
                return new HttpListenerHost(listener, address, candidate, serve, log);
            }
            catch (HttpListenerException) when (port == 0 && attempt < PortAttempts)
            {
                listener.Close();
            }
            catch (HttpListenerException error)
            {
                listener.Close();
                throw new IOException($"Cannot listen on {Prefix(address, candidate)}: {error.Message}", error);
            }
        }
    }

    /// <summary>A port nothing listens on right now (the system's choice for port 0).</summary>
    private static int FreePort(IPAddress address)
    {
        var probe = new TcpListener(address, 0);
        probe.Start();
        try
        {
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        finally
        {
            probe.Stop();
        }
    }

    /// <summary>
    /// The listener prefix for an address. The managed HttpListener (Linux, macOS) binds the
    /// prefix's address and serves only requests whose Host names it, which also keeps web pages
    /// that rebind a name of theirs to 127.0.0.1 out. "+" is its form for every interface.
    /// Windows' http.sys lets a user without administrator rights register only "localhost",
    /// which it serves on every interface: <see cref="IsAllowed"/> then keeps it to loopback.
    /// </summary>
    private static string Prefix(IPAddress address, int port)
    {
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            return $"http://+:{port}/";
        if (OperatingSystem.IsWindows() && IPAddress.IsLoopback(address))
            return $"http://localhost:{port}/";
        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"http://[{address}]:{port}/" : $"http://{address}:{port}/";
    }

    /// <summary>
    /// The URL clients use: the bound address (127.0.0.1 for every interface), or "localhost" where
    /// the prefix is (Windows, see <see cref="Prefix"/>).
    /// </summary>
    public static string UrlFor(IPAddress address, int port)
    {
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            return $"http://127.0.0.1:{port}";
        if (OperatingSystem.IsWindows() && IPAddress.IsLoopback(address))
            return $"http://localhost:{port}";
        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"http://[{address}]:{port}" : $"http://{address}:{port}";
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                // Closing the listener ends the wait: the expected way out.
                return;
            }
            catch (Exception error)
            {
                _log("Ftrack.Server: the HTTP listener failed and the server stopped: " + error);
                // Refuse connections rather than accept ones nobody will answer.
                _listener.Close();
                throw;
            }
            if (_stopping.IsCancellationRequested)
            {
                Refuse(context, 503);
                continue;
            }
            Interlocked.Increment(ref _inFlight);
            // Off the accept loop: a request's work (SQLite) may run a while before it first awaits.
            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        try
        {
            if (!IsAllowed(context.Request))
                Refuse(context, 403);
            else
                await _serve(context, _abandoning.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away, or the host stopped, in the middle of the answer.
            context.Response.Abort();
        }
        catch (Exception unexpected)
        {
            _log("Ftrack.Server: unexpected error while answering a request: " + unexpected);
            context.Response.Abort();
        }
        finally
        {
            if (Interlocked.Decrement(ref _inFlight) == 0 && _stopping.IsCancellationRequested)
                _drained.TrySetResult();
        }
    }

    /// <summary>
    /// A server bound to loopback serves this machine only. Only Windows' http.sys, which listens
    /// on every interface for a "localhost" prefix, can hand over a request from elsewhere.
    /// </summary>
    private bool IsAllowed(HttpListenerRequest request) =>
        !_loopbackOnly || request.RemoteEndPoint is { } remote && IPAddress.IsLoopback(remote.Address);

    /// <summary>Answers with an empty body and closes the connection: 503 while stopping, 403 to a caller not on this machine.</summary>
    private static void Refuse(HttpListenerContext context, int status)
    {
        try
        {
            context.Response.StatusCode = status;
            context.Response.KeepAlive = false;
            context.Response.Close();
        }
        catch (Exception error) when (error is HttpListenerException or IOException or ObjectDisposedException)
        {
            context.Response.Abort();
        }
    }

    /// <summary>Stops accepting requests, waits up to 5 seconds for those in flight, and closes the listener and its connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _stopping.Cancel();
        if (Volatile.Read(ref _inFlight) == 0)
            _drained.TrySetResult();
        await Task.WhenAny(_drained.Task, Task.Delay(DrainTimeout)).ConfigureAwait(false);
        // Whatever still runs is given up: a body still being read, an answer still being written.
        _abandoning.Cancel();
        _listener.Close();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already logged when the listener failed.
        }
    }
}
