using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Ftrack.Server.Api;

/// <summary>
/// The only ASP.NET Core part of the API: hands a request to <see cref="ApiHandler"/> and writes
/// its answer. Body limits, errors and authentication live in the handler, so another host
/// (HttpListener) needs only a class like this one.
/// </summary>
internal static class AspNetApi
{
    public static async Task HandleAsync(ApiHandler handler, HttpContext context) =>
        await WriteAsync(context, await handler.HandleAsync(new Request(context)));

    public static Task NotFoundAsync(HttpContext context) => WriteAsync(context, ApiHandler.NotFound());

    private static async Task WriteAsync(HttpContext context, ApiResponse answer)
    {
        if (context.RequestAborted.IsCancellationRequested)
            return;
        var response = context.Response;
        response.StatusCode = answer.Status;
        response.ContentType = "application/json";
        foreach (var (name, value) in answer.Headers)
            response.Headers.Append(name, value);
        if (answer.CloseConnection)
            response.Headers.Connection = "close";
        response.ContentLength = answer.Body.Length;
        await response.Body.WriteAsync(answer.Body, context.RequestAborted);
    }

    private sealed class Request(HttpContext context) : IApiRequest
    {
        public string? Header(string name) => context.Request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;

        public string? Cookie(string name) => context.Request.Cookies.TryGetValue(name, out var value) ? value : null;

        public Stream Body => context.Request.Body;

        public CancellationToken Aborted => context.RequestAborted;
    }
}
