using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace Ftrack.Server.Hosting;

/// <summary>A request handler: the context to answer, and a token signalled when the server gives up on requests in flight (5 seconds after it was told to stop).</summary>
internal delegate Task RequestHandler(HttpListenerContext context, CancellationToken stopping);

/// <summary>
/// Which handler answers a request: by method and path (the path without its query string,
/// compared ignoring case and a trailing slash); anything else goes to the fallback. The server's
/// endpoints are mapped in one place, <see cref="LocalServer"/>.
/// </summary>
internal sealed class HttpRoutes
{
    private readonly Dictionary<(string Method, string Path), RequestHandler> _routes = new(RouteComparer.Instance);
    private readonly List<(string Method, string Prefix, RequestHandler Handler)> _prefixes = new();
    private readonly RequestHandler _fallback;

    public HttpRoutes(RequestHandler fallback) => _fallback = fallback;

    public HttpRoutes Map(string method, string path, RequestHandler handler)
    {
        _routes.Add((method, Normalize(path)), handler);
        return this;
    }

    /// <summary>Every path under <paramref name="prefix"/> (an address that carries an id, such as the event hub's websocket).</summary>
    public HttpRoutes MapPrefix(string method, string prefix, RequestHandler handler)
    {
        _prefixes.Add((method, prefix, handler));
        return this;
    }

    public Task ServeAsync(HttpListenerContext context, CancellationToken stopping)
    {
        var path = context.Request.Url?.AbsolutePath ?? "/";
        if (_routes.TryGetValue((context.Request.HttpMethod, Normalize(path)), out var handler))
            return handler(context, stopping);
        foreach (var (method, prefix, prefixHandler) in _prefixes)
            if (string.Equals(method, context.Request.HttpMethod, StringComparison.OrdinalIgnoreCase) && path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                return prefixHandler(context, stopping);
        return _fallback(context, stopping);
    }

    private static string Normalize(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    private sealed class RouteComparer : IEqualityComparer<(string Method, string Path)>
    {
        public static readonly RouteComparer Instance = new();

        public bool Equals((string Method, string Path) x, (string Method, string Path) y) =>
            string.Equals(x.Method, y.Method, StringComparison.OrdinalIgnoreCase) && string.Equals(x.Path, y.Path, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string Method, string Path) route) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(route.Method), StringComparer.OrdinalIgnoreCase.GetHashCode(route.Path));
    }
}
