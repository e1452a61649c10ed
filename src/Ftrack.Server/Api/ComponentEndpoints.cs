using System;
using System.Buffers;
using System.Collections.Specialized;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Api;

/// <summary>
/// The HTTP side of the <c>ftrack.server</c> location: uploads to the URLs get_upload_metadata
/// hands out, downloads and thumbnails from the signed URLs of ComponentLocation.url and
/// thumbnail_url. Also the official Python client's own URLs, which carry the API user and key
/// in the query string (<c>component/get?id=..&amp;username=..&amp;apiKey=..</c>, the same for
/// thumbnail and remove): accepted for compatibility, never built by this server. Bytes are
/// streamed in chunks both ways; errors are answered as ftrack error objects with a status.
/// </summary>
internal sealed class ComponentEndpoints
{
    /// <summary>A refused upload's body is read and thrown away up to this size, so the client reads the answer instead of a reset.</summary>
    private const long MaxDrainBytes = 16L * 1024 * 1024;

    private readonly ComponentUrls _urls;
    private readonly AdminCredentials _credentials;
    private readonly Func<string, (string? Name, string? FileType)> _describe;
    private readonly TimeSpan _idleTimeout;
    private readonly Action<string> _log;

    /// <param name="describe">A component's name and file type, by id (for the download's file name); nulls when unknown.</param>
    public ComponentEndpoints(ComponentUrls urls, AdminCredentials credentials, Func<string, (string? Name, string? FileType)> describe, TimeSpan idleTimeout, Action<string> log)
    {
        _urls = urls;
        _credentials = credentials;
        _describe = describe;
        _idleTimeout = idleTimeout;
        _log = log;
    }

    private ComponentStore Store => _urls.Store;

    /// <summary><c>PUT /component/upload?id&amp;size[&amp;md5]&amp;expires&amp;signature</c>: the component's bytes, streamed to disk.</summary>
    public async Task UploadAsync(HttpListenerContext context, CancellationToken stopping)
    {
        var request = context.Request;
        var query = request.QueryString;
        var check = _urls.Signer.Check("upload", query, "id", "size", "md5");
        if (check != SignatureCheck.Valid)
        {
            await RefuseUploadAsync(context, Refusal(check, query, "upload", "get_upload_metadata"), stopping);
            return;
        }
        var id = query["id"]!;
        var size = long.Parse(query["size"]!, NumberStyles.None, CultureInfo.InvariantCulture);
        var declared = request.ContentLength64;
        if (declared >= 0 && declared != size)
        {
            await RefuseUploadAsync(context, new FtrackError("ValidationError",
                $"The upload carries {declared:N0} bytes, but its URL was made for {size:N0} (the file_size given to get_upload_metadata): nothing was stored.", 400), stopping);
            return;
        }
        if (Store.FreeBytes() < size)
        {
            await RefuseUploadAsync(context, new FtrackError("ServerError", $"This server's disk has no room for {size:N0} bytes: nothing was stored.", 507), stopping);
            return;
        }
        byte[]? md5 = null;
        if (!string.IsNullOrEmpty(query["md5"]))
        {
            md5 = Convert.FromBase64String(query["md5"]!);
            // A Content-MD5 header must agree with the one the URL was signed for.
            if (request.Headers["Content-MD5"] is { Length: > 0 } header && header != query["md5"])
            {
                await RefuseUploadAsync(context, new FtrackError("ValidationError", "The Content-MD5 header differs from the checksum the upload URL was made for: nothing was stored.", 400), stopping);
                return;
            }
        }
        var (failure, received, digest) = await Store.ReceiveAsync(id, request.InputStream, size, md5, _idleTimeout, stopping);
        var error = failure switch
        {
            ComponentStore.ReceiveFailure.None => null,
            ComponentStore.ReceiveFailure.Short => new FtrackError("ValidationError", $"The upload ended after {received:N0} of {size:N0} bytes: nothing was stored.", 400),
            ComponentStore.ReceiveFailure.Long => new FtrackError("ValidationError", $"The upload carries more than the {size:N0} bytes its URL was made for: nothing was stored.", 400),
            ComponentStore.ReceiveFailure.ChecksumMismatch => new FtrackError("ValidationError", "The uploaded bytes do not match their checksum (Content-MD5): nothing was stored.", 400),
            ComponentStore.ReceiveFailure.Stalled => new FtrackError("ValidationError", $"The upload stalled: no byte arrived for {_idleTimeout.TotalSeconds:0} seconds after {received:N0} of {size:N0}. Nothing was stored.", 408),
            ComponentStore.ReceiveFailure.DiskFull => new FtrackError("ServerError", "This server's disk filled up during the upload: nothing was stored.", 507),
            ComponentStore.ReceiveFailure.QuotaExceeded => new FtrackError("ServerError",
                $"This server's storage quota ({Store.QuotaBytes:N0} bytes, --storage-quota-bytes) has no room for {size:N0} more bytes ({Store.UsedBytes:N0} in use): nothing was stored.", 507),
            _ => new FtrackError("ServerError", "The upload failed: nothing was stored.", 500),
        };
        if (error != null)
        {
            // The rest of a body that was cut short or refused is not read: the connection cannot be reused.
            await WriteErrorAsync(context, error, closeConnection: failure != ComponentStore.ReceiveFailure.QuotaExceeded, stopping);
            return;
        }
        var response = context.Response;
        response.StatusCode = 200;
        if (digest != null)
            response.AppendHeader("ETag", "\"" + Convert.ToHexString(digest).ToLowerInvariant() + "\"");
        response.ContentLength64 = 0;
        response.Close();
    }

    /// <summary><c>GET /component/get</c>: signed (<c>id&amp;expires&amp;signature</c>), or the Python client's <c>id&amp;username&amp;apiKey</c>.</summary>
    public Task DownloadAsync(HttpListenerContext context, CancellationToken stopping) =>
        SendAsync(context, "get", ["id"], "ComponentLocation.url (or Get-FtrackComponentUrl)", attachment: true, stopping);

    /// <summary>
    /// <c>GET /component/thumbnail</c>: the thumbnail component's bytes as they were uploaded (this
    /// server does not scale images: <c>size</c> is signed but not applied).
    /// </summary>
    public Task ThumbnailAsync(HttpListenerContext context, CancellationToken stopping) =>
        SendAsync(context, "thumbnail", ["id", "size"], "the entity's thumbnail_url", attachment: false, stopping);

    /// <summary><c>GET /component/remove?id&amp;username&amp;apiKey</c>: what the Python client calls before it deletes a ComponentLocation of ftrack.server.</summary>
    public async Task RemoveAsync(HttpListenerContext context, CancellationToken stopping)
    {
        if (!Authenticated(context.Request))
        {
            await WriteErrorAsync(context, FtrackError.Credentials("The supplied API user or API key is not valid."), false, stopping);
            return;
        }
        var id = context.Request.QueryString["id"];
        if (!ComponentStore.IsValidId(id) || !Store.Remove(id!))
        {
            await WriteErrorAsync(context, FtrackError.NotFound($"No data is stored for component \"{FtrackError.Shorten(id ?? "")}\"."), false, stopping);
            return;
        }
        context.Response.StatusCode = 200;
        context.Response.ContentLength64 = 0;
        context.Response.Close();
    }

    /// <summary><c>GET /img/thumbnail2.png</c>: what thumbnail_url names for an entity without a thumbnail (a grey 1×1 image).</summary>
    public static Task PlaceholderThumbnailAsync(HttpListenerContext context, CancellationToken stopping)
    {
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "image/png";
        response.ContentLength64 = PlaceholderPng.Length;
        response.OutputStream.Write(PlaceholderPng);
        response.Close();
        return Task.CompletedTask;
    }

    private async Task SendAsync(HttpListenerContext context, string purpose, string[] signedFields, string source, bool attachment, CancellationToken stopping)
    {
        var query = context.Request.QueryString;
        var error = query[SignedUrls.SignatureField] != null
            ? _urls.Signer.Check(purpose, query, signedFields) is var check and not SignatureCheck.Valid ? Refusal(check, query, "download", source) : null
            : Authenticated(context.Request) ? null
            : FtrackError.Credentials("This URL is neither signed by this server nor carries a valid API user and key.");
        if (error != null)
        {
            await WriteErrorAsync(context, error, false, stopping);
            return;
        }
        var id = query["id"] ?? "";
        await using var file = Store.OpenRead(id);
        if (file == null)
        {
            await WriteErrorAsync(context, FtrackError.NotFound($"No data is stored for component \"{FtrackError.Shorten(id)}\" in ftrack.server."), false, stopping);
            return;
        }
        var (name, fileType) = _describe(id);
        var fileName = (name ?? id) + (fileType ?? "");
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = MediaTypes.Of(fileType ?? Path.GetExtension(fileName));
        response.ContentLength64 = file.Length;
        response.AppendHeader("Content-Disposition", (attachment ? "attachment" : "inline") + "; filename*=UTF-8''" + Uri.EscapeDataString(fileName));
        response.AppendHeader("Cache-Control", "private, no-store");
        var buffer = ArrayPool<byte>.Shared.Rent(ComponentStore.ChunkBytes);
        try
        {
            int read;
            while ((read = await file.ReadAsync(buffer.AsMemory(0, ComponentStore.ChunkBytes), stopping)) > 0)
                await response.OutputStream.WriteAsync(buffer.AsMemory(0, read), stopping);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        response.Close();
    }

    /// <summary>The Python client's URLs: username and apiKey in the query string (or the API headers).</summary>
    private bool Authenticated(HttpListenerRequest request)
    {
        var user = request.QueryString["username"] ?? request.Headers["ftrack-user"] ?? "";
        var key = request.QueryString["apiKey"] ?? request.Headers["ftrack-api-key"] ?? "";
        var userMatches = user.Length > 0 && AdminCredentials.Matches(_credentials.User, user);
        var keyMatches = key.Length > 0 && _credentials.Keys.Verify(key);
        return userMatches && keyMatches;
    }

    private FtrackError Refusal(SignatureCheck check, NameValueCollection query, string what, string source) => check == SignatureCheck.Expired
        ? FtrackError.Permission($"This {what} URL expired at {SignedUrls.ExpiryText(query)} (URLs are valid for {_urls.Signer.Lifetime.TotalMinutes:0} minutes): ask {source} for a new one.")
        : FtrackError.Permission($"This {what} URL was not signed by this server, or was altered after it was: ask {source} for one.");

    /// <summary>
    /// Answers an upload refused before its body was read: a small body is read and thrown away so
    /// the client can read the answer; a larger one is not, and the connection is closed.
    /// </summary>
    private async Task RefuseUploadAsync(HttpListenerContext context, FtrackError error, CancellationToken stopping)
    {
        var length = context.Request.ContentLength64;
        var drained = false;
        if (length is >= 0 and <= MaxDrainBytes)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                while (await context.Request.InputStream.ReadAsync(buffer.AsMemory(0, 64 * 1024), stopping).AsTask().WaitAsync(_idleTimeout, stopping) > 0)
                {
                }
                drained = true;
            }
            catch (Exception failure) when (failure is IOException or HttpListenerException or TimeoutException)
            {
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        await WriteErrorAsync(context, error, closeConnection: !drained, stopping);
    }

    private async Task WriteErrorAsync(HttpListenerContext context, FtrackError error, bool closeConnection, CancellationToken stopping)
    {
        if (error.StrictStatus >= 500)
            _log("Ftrack.Server: " + context.Request.HttpMethod + " " + context.Request.Url?.AbsolutePath + ": " + error.Message);
        var body = JsonSerializer.SerializeToUtf8Bytes(new { exception = error.ExceptionName, content = error.Message, error_code = (string?)null });
        var response = context.Response;
        response.StatusCode = error.StrictStatus;
        response.ContentType = "application/json";
        if (closeConnection)
            response.KeepAlive = false;
        response.AppendHeader("FTRACK_ERROR", error.Message);
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body, stopping);
        response.Close();
    }

    /// <summary>A grey 1×1 PNG.</summary>
    private static readonly byte[] PlaceholderPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==");
}
