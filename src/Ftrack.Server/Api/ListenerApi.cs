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
        try
        {
            var response = context.Response;
            if (stopping.IsCancellationRequested && answer.Body.IsEmpty)
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
            // The listener copies its first write into the buffer that holds the headers. An answer of
            // up to 256 KB goes in that one write. A larger one (a page of rows) would be a copy of
            // megabytes, so only its first 4 KB go with the headers and the rest from the answer
            // itself. HttpListener's sockets leave Nagle's algorithm on, which holds a write's last,
            // partial TCP segment while an earlier one is unacknowledged: after a small first write,
            // a small rest would wait for the client's delayed ACK (40 ms); a rest of several full
            // segments makes the client acknowledge at once (HostingTests measure both).
            var first = answer.Body.Length <= SingleWriteBytes ? answer.Body.Length : HeadersWriteBytes;
            await response.OutputStream.WriteAsync(answer.Body[..first], stopping);
            if (first < answer.Body.Length)
                await response.OutputStream.WriteAsync(answer.Body[first..], stopping);
            response.Close();
        }
        finally
        {
            answer.Buffer?.Dispose();
        }
    }

    private const int SingleWriteBytes = 256 * 1024;
    private const int HeadersWriteBytes = 4 * 1024;

    private sealed class Request(HttpListenerContext context, CancellationToken stopping) : IApiRequest
    {
        public string? Header(string name) => context.Request.Headers[name];

        public string? Cookie(string name) => context.Request.Cookies[name]?.Value;

        public Stream Body => context.Request.InputStream;

        public CancellationToken Aborted => stopping;
    }
}
