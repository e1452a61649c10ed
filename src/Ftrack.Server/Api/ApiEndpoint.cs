using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Tasks;
using Ftrack.Server.Operations;
using Microsoft.AspNetCore.Http;

namespace Ftrack.Server.Api;

/// <summary>
/// <c>POST /api</c>: authenticates, parses the batch (bounded in size and depth) and answers
/// results or the single ftrack-style error object. Never lets an exception escape as HTML.
/// </summary>
internal sealed class ApiEndpoint
{
    public const string SessionCookie = "ftrack_session";
    private const int MaxJsonDepth = 64;

    private readonly BatchExecutor _executor;
    private readonly string _apiUser;
    private readonly string _apiKey;
    private readonly string _userId;
    private readonly ConcurrentDictionary<string, string> _sessions = new();

    public ApiEndpoint(BatchExecutor executor, string apiUser, string apiKey, string userId)
    {
        _executor = executor;
        _apiUser = apiUser;
        _apiKey = apiKey;
        _userId = userId;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var strict = string.Equals(request.Headers["ftrack-strict-api"], "true", StringComparison.OrdinalIgnoreCase);
        if (!Authenticate(context))
        {
            var error = FtrackError.Credentials("The supplied API user or API key is not valid.");
            context.Response.Headers["FTRACK_ERROR"] = error.Message;
            await WriteErrorAsync(context, error, StatusCodes.Status401Unauthorized);
            return;
        }
        var options = request.Headers["ftrack-api-options"].ToString();
        var denormalize = options.Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries).Any(o => o.Trim() == "denormalize:1");
        try
        {
            JsonDocument document;
            try
            {
                document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = MaxJsonDepth }, context.RequestAborted);
            }
            catch (JsonException parseError)
            {
                throw FtrackError.Validation("The request body is not valid JSON (or nests deeper than " + MaxJsonDepth + " levels): " + parseError.Message);
            }
            catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw new FtrackError("ValidationError", "The request body is larger than this server accepts.", StatusCodes.Status413PayloadTooLarge);
            }
            using (document)
            {
                var result = await _executor.ExecuteAsync(document.RootElement, _userId, denormalize);
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "application/json";
                await context.Response.Body.WriteAsync(result, context.RequestAborted);
            }
        }
        catch (FtrackError error)
        {
            await WriteErrorAsync(context, error, strict ? error.StrictStatus : StatusCodes.Status200OK);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception unexpected)
        {
            Console.Error.WriteLine("Ftrack.Server: unexpected error: " + unexpected);
            var error = FtrackError.Server("The server failed to handle the request: " + unexpected.GetType().Name + ": " + unexpected.Message);
            await WriteErrorAsync(context, error, strict ? error.StrictStatus : StatusCodes.Status200OK);
        }
    }

    /// <summary>The API key, or a session cookie from an earlier authenticated request, for the same user.</summary>
    private bool Authenticate(HttpContext context)
    {
        var user = context.Request.Headers["ftrack-user"].ToString();
        var key = context.Request.Headers["ftrack-api-key"].ToString();
        if (user.Length == 0 || !AdminMatches(user))
            return false;
        if (key.Length > 0)
        {
            if (!Storage.AdminCredentials.Matches(_apiKey, key))
                return false;
            if (!(context.Request.Cookies.TryGetValue(SessionCookie, out var existing) && _sessions.ContainsKey(existing)))
            {
                var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
                _sessions[token] = user;
                context.Response.Cookies.Append(SessionCookie, token, new CookieOptions { HttpOnly = true, Path = "/", SameSite = SameSiteMode.Strict });
            }
            return true;
        }
        return context.Request.Cookies.TryGetValue(SessionCookie, out var cookie) && _sessions.TryGetValue(cookie, out var owner) && owner == user;
    }

    private bool AdminMatches(string user) => Storage.AdminCredentials.Matches(_apiUser, user);

    private static readonly JsonSerializerOptions ErrorJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteErrorAsync(HttpContext context, FtrackError error, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorBody(error.ExceptionName, error.Message, error.ErrorCode), ErrorJson);
        await context.Response.Body.WriteAsync(body);
    }

    private sealed record ErrorBody(
        [property: System.Text.Json.Serialization.JsonPropertyName("exception")] string Exception,
        [property: System.Text.Json.Serialization.JsonPropertyName("content")] string Content,
        [property: System.Text.Json.Serialization.JsonPropertyName("error_code")] string? ErrorCode);
}
