using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace Ftrack.Server.Api;

/// <summary>
/// The only HttpListener part of the API: hands a request to <see cref="ApiHandler"/> and writes
/// its answer. Body limits, errors and authentication live in the handler.
/// </summary>
internal static class ListenerApi
{
    public static async Task HandleAsync(ApiHandler handler, HttpListenerContext context, CancellationToken stopping) =>
        await WriteAsync(context, await handler.HandleAsync(new Request(context, stopping)), stopping);

    public static Task NotFoundAsync(HttpListenerContext context, CancellationToken stopping) => WriteAsync(context, ApiHandler.NotFound(), stopping);

    private static async Task WriteAsync(HttpListenerContext context, ApiResponse answer, CancellationToken stopping)
    {
        var response = context.Response;
        if (stopping.IsCancellationRequested && answer.Body.Length == 0)
        {
            // The handler gave up because the server is stopping: nothing to say.
            response.Abort();
            return;
        }
        response.StatusCode = answer.Status;
        response.ContentType = "application/json";
        foreach (var (name, value) in answer.Headers)
            response.AppendHeader(name, value);
        if (answer.CloseConnection)
            response.KeepAlive = false;
        response.ContentLength64 = answer.Body.Length;
        // One write: the listener sends it with the headers, in one go. (It copies the answer once
        // to do so; writing the headers separately avoids the copy but lets Nagle's algorithm hold
        // the rest until the client's delayed ACK, 40 ms per answer, as HttpListener's sockets
        // have no NoDelay.)
        await response.OutputStream.WriteAsync(answer.Body, stopping);
        response.Close();
    }

    private sealed class Request(HttpListenerContext context, CancellationToken stopping) : IApiRequest
    {
        public string? Header(string name) => context.Request.Headers[name];

        public string? Cookie(string name) => context.Request.Cookies[name]?.Value;

        public Stream Body => context.Request.InputStream;

        public CancellationToken Aborted => stopping;
    }
}
