using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Ftrack.Server.Operations;

namespace Ftrack.Server.Api;

/// <summary>What the API needs of an HTTP request, whichever server received it.</summary>
internal interface IApiRequest
{
    string? Header(string name);

    string? Cookie(string name);

    Stream Body { get; }

    /// <summary>Signalled when the client goes away, or the stopping server gives up on the request (all HttpListener can tell).</summary>
    CancellationToken Aborted { get; }
}

/// <summary>
/// The answer to write: status, JSON body, extra headers; CloseConnection when the connection
/// cannot be reused; Buffer, when set, holds the body and is disposed once it was written.
/// </summary>
internal sealed record ApiResponse(int Status, ReadOnlyMemory<byte> Body, IReadOnlyList<KeyValuePair<string, string>> Headers, bool CloseConnection = false, IDisposable? Buffer = null);

/// <summary>
/// <c>POST /api</c>, independent of the HTTP server: authenticates, reads the body within its
/// limits, runs the batch and answers results or the single ftrack-style error object. Never
/// lets an exception escape as HTML, a stack trace or an internal exception name.
/// </summary>
internal sealed class ApiHandler
{
    public const string SessionCookie = "ftrack_session";

    private static readonly JsonSerializerOptions ErrorJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly BatchExecutor _executor;
    private readonly Storage.AdminCredentials _credentials;
    private readonly BodyLimits _limits;
    private readonly Action<string> _log;
    private readonly ConcurrentDictionary<string, string> _sessions = new();

    /// <param name="log">Where the details of an unexpected failure go (ServerOptions.Log).</param>
    public ApiHandler(BatchExecutor executor, Storage.AdminCredentials credentials, BodyLimits limits, Action<string> log)
    {
        _executor = executor;
        _credentials = credentials;
        _limits = limits;
        _log = log;
    }

    public async Task<ApiResponse> HandleAsync(IApiRequest request)
    {
        var strict = string.Equals(request.Header("ftrack-strict-api"), "true", StringComparison.OrdinalIgnoreCase);
        var headers = new List<KeyValuePair<string, string>>();
        if (!Authenticate(request, headers))
        {
            var error = FtrackError.Credentials("The supplied API user or API key is not valid.");
            return Error(error, error.StrictStatus, [new("FTRACK_ERROR", error.Message)]);
        }
        var denormalize = (request.Header("ftrack-api-options") ?? "").Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries).Any(o => o.Trim() == "denormalize:1");
        try
        {
            var body = await IncomingRequestBody.ReadAsync(request.Body, _limits, request.Aborted);
            if (body.Error != null)
                return Error(body.Error, strict ? body.Error.StrictStatus : 200, headers, body.CloseConnection);
            using var document = RequestJson.Parse(body.Body);
            var host = request.Header("Host");
            var answer = new PooledAnswer();
            try
            {
                await _executor.ExecuteAsync(document.RootElement, _credentials.UserId, denormalize, answer,
                    new BatchExecutor.RequestInfo(strict, string.IsNullOrEmpty(host) ? null : "http://" + host));
            }
            catch
            {
                answer.Dispose();
                throw;
            }
            return new ApiResponse(200, answer.Written, headers, Buffer: answer);
        }
        catch (FtrackError error)
        {
            return Error(error, strict ? error.StrictStatus : 200, headers);
        }
        catch (OperationCanceledException) when (request.Aborted.IsCancellationRequested)
        {
            // The client went away; nobody reads this.
            return new ApiResponse(499, ReadOnlyMemory<byte>.Empty, headers, CloseConnection: true);
        }
        catch (Exception unexpected)
        {
            _log("Ftrack.Server: unexpected error: " + unexpected);
            var error = FtrackError.Server("The server failed to handle the request; its log has the details.");
            return Error(error, strict ? error.StrictStatus : 200, headers);
        }
    }

    /// <summary>Anything but <c>POST /api</c>.</summary>
    public static ApiResponse NotFound() =>
        Error(new FtrackError("ServerError", "Not found: this server answers POST /api only.", 404), 404, []);

    private static ApiResponse Error(FtrackError error, int status, List<KeyValuePair<string, string>> headers, bool closeConnection = false)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorBody(error.ExceptionName, error.Message, error.ErrorCode, error.OperationIndex), ErrorJson);
        return new ApiResponse(status, body, headers, closeConnection);
    }

    /// <summary>The API key, or a session cookie from an earlier authenticated request, for the same user.</summary>
    private bool Authenticate(IApiRequest request, List<KeyValuePair<string, string>> headers)
    {
        var user = request.Header("ftrack-user") ?? "";
        var key = request.Header("ftrack-api-key") ?? "";
        // The key is checked whatever the user, so a wrong user takes as long as a wrong key.
        var userMatches = user.Length > 0 && Storage.AdminCredentials.Matches(_credentials.User, user);
        var keyMatches = key.Length > 0 && _credentials.Keys.Verify(key);
        if (!userMatches)
            return false;
        var cookie = request.Cookie(SessionCookie);
        if (key.Length > 0)
        {
            if (!keyMatches)
                return false;
            if (!(cookie != null && _sessions.ContainsKey(cookie)))
            {
                var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
                _sessions[token] = user;
                headers.Add(new("Set-Cookie", $"{SessionCookie}={token}; path=/; samesite=strict; httponly"));
            }
            return true;
        }
        return cookie != null && _sessions.TryGetValue(cookie, out var owner) && owner == user;
    }

    private sealed record ErrorBody(
        [property: System.Text.Json.Serialization.JsonPropertyName("exception")] string Exception,
        [property: System.Text.Json.Serialization.JsonPropertyName("content")] string Content,
        [property: System.Text.Json.Serialization.JsonPropertyName("error_code")] string? ErrorCode,
        [property: System.Text.Json.Serialization.JsonPropertyName("operation_index"),
                   System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] int? OperationIndex);
}
