using System;
using System.Globalization;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace Ftrack.Server.Events;

/// <summary>
/// The HttpListener side of the event hub: the socket.io 0.9 handshake (<c>GET /socket.io/1/</c>,
/// answered <c>sid:heartbeat:close:websocket</c>) and the websocket it names
/// (<c>/socket.io/1/websocket/&lt;sid&gt;</c>). The handshake authenticates with the
/// <c>ftrack-user</c> and <c>ftrack-api-key</c> headers, or the <c>api_user</c> and
/// <c>api_key</c> query parameters the official clients send; the websocket with its one-use
/// session id (and the credentials too, when given, as the JS client does).
/// </summary>
internal static class SocketIoEndpoint
{
    public const string HandshakePath = "/socket.io/1";
    public const string WebSocketPrefix = "/socket.io/1/websocket/";

    public static async Task HandshakeAsync(EventHub hub, HttpListenerContext context, CancellationToken stopping)
    {
        var request = context.Request;
        if (!Authenticated(hub, request, required: true))
        {
            await AnswerAsync(context, 401, "The supplied API user or API key is not valid.", stopping);
            return;
        }
        var sid = hub.BeginHandshake();
        if (sid == null)
        {
            await AnswerAsync(context, 503, "The event hub has as many connections, or handshakes waiting for their websocket, as it allows; try again shortly.", stopping);
            return;
        }
        var options = hub.Options;
        await AnswerAsync(context, 200, string.Join(':', sid,
            ((int)options.HeartbeatTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            ((int)options.HandshakeTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            "websocket"), stopping);
    }

    public static async Task WebSocketAsync(EventHub hub, HttpListenerContext context, CancellationToken stopping)
    {
        var request = context.Request;
        var path = request.Url?.AbsolutePath ?? "";
        var sid = path.Length > WebSocketPrefix.Length ? path[WebSocketPrefix.Length..].TrimEnd('/') : "";
        if (!request.IsWebSocketRequest)
        {
            await AnswerAsync(context, 400, "This address takes a websocket (socket.io 0.9): start with GET /socket.io/1/.", stopping);
            return;
        }
        // Credentials are optional here (the session id is the proof), but wrong ones are refused.
        if (!Authenticated(hub, request, required: false))
        {
            await AnswerAsync(context, 401, "The supplied API user or API key is not valid.", stopping);
            return;
        }
        if (!hub.TakeHandshake(sid))
        {
            await AnswerAsync(context, 403, "Unknown or expired event hub session: start with GET /socket.io/1/.", stopping);
            return;
        }
        var accepted = await context.AcceptWebSocketAsync(subProtocol: null, receiveBufferSize: 16 * 1024, keepAliveInterval: TimeSpan.FromSeconds(30));
        await hub.ServeAsync(accepted.WebSocket, stopping);
    }

    private static bool Authenticated(EventHub hub, HttpListenerRequest request, bool required)
    {
        var user = request.Headers["ftrack-user"];
        var key = request.Headers["ftrack-api-key"];
        if (string.IsNullOrEmpty(user) && string.IsNullOrEmpty(key))
        {
            user = request.QueryString["api_user"];
            key = request.QueryString["api_key"];
        }
        if (string.IsNullOrEmpty(user) && string.IsNullOrEmpty(key))
            return !required;
        return hub.Authenticates(user, key);
    }

    private static async Task AnswerAsync(HttpListenerContext context, int status, string text, CancellationToken stopping)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(text);
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body, stopping);
        response.Close();
    }
}
