using System;
using System.Globalization;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Api;

/// <summary>
/// The URLs of components in the <c>ftrack.server</c> location, each signed (see
/// <see cref="SignedUrls"/>) so it carries no API key:
/// <list type="bullet">
/// <item><c>PUT {server}/component/upload?id=..&amp;size=..[&amp;md5=..]</c>: get_upload_metadata's URL, for those bytes only;</item>
/// <item><c>GET {server}/component/get?id=..</c>: a download (ComponentLocation.url);</item>
/// <item><c>GET {server}/component/thumbnail?id=..&amp;size=..</c>: an entity's thumbnail_url.</item>
/// </list>
/// The server part is the one the client reached this server at (the request's Host), else the
/// server's own URL.
/// </summary>
internal sealed class ComponentUrls
{
    public const string UploadPath = "/component/upload";
    public const string GetPath = "/component/get";
    public const string ThumbnailPath = "/component/thumbnail";
    public const string RemovePath = "/component/remove";
    /// <summary>What a real server's thumbnail_url answers for an entity without a thumbnail (the JS client's thumbnailUrl too).</summary>
    public const string DefaultThumbnailPath = "/img/thumbnail2.png";
    /// <summary>The thumbnail size (pixels) the official clients ask for by default.</summary>
    public const int DefaultThumbnailSize = 300;

    public ComponentUrls(SignedUrls signer, ComponentStore store, long maxUploadBytes)
    {
        Signer = signer;
        Store = store;
        MaxUploadBytes = maxUploadBytes;
    }

    public SignedUrls Signer { get; }

    public ComponentStore Store { get; }

    /// <summary>The largest file get_upload_metadata hands out a URL for.</summary>
    public long MaxUploadBytes { get; }

    /// <summary>This server's own URL, once it listens: for requests that named no Host.</summary>
    public string OwnUrl { get; set; } = "http://127.0.0.1";

    private string Base(string? serverUrl) => (serverUrl ?? OwnUrl).TrimEnd('/');

    public string Upload(string? serverUrl, string componentId, long size, string? md5Base64) =>
        Base(serverUrl) + UploadPath + "?" + (md5Base64 == null
            ? Signer.Query("upload", ("id", componentId), ("size", size.ToString(CultureInfo.InvariantCulture)))
            : Signer.Query("upload", ("id", componentId), ("size", size.ToString(CultureInfo.InvariantCulture)), ("md5", md5Base64)));

    public string Get(string? serverUrl, string componentId) =>
        Base(serverUrl) + GetPath + "?" + Signer.Query("get", ("id", componentId));

    public string Thumbnail(string? serverUrl, string componentId, int size = DefaultThumbnailSize) =>
        Base(serverUrl) + ThumbnailPath + "?" + Signer.Query("thumbnail", ("id", componentId), ("size", size.ToString(CultureInfo.InvariantCulture)));

    public string DefaultThumbnail(string? serverUrl) => Base(serverUrl) + DefaultThumbnailPath;
}
