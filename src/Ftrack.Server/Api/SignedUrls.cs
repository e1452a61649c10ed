using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace Ftrack.Server.Api;

/// <summary>How a signed URL's query string was judged.</summary>
internal enum SignatureCheck
{
    Valid,
    /// <summary>No signature, or one that does not match the URL's fields: made up or altered.</summary>
    Forged,
    /// <summary>Signed by this server, but its time is up.</summary>
    Expired,
}

/// <summary>
/// URLs that need no API key: the query string carries the fields that matter (the component,
/// the upload's size and checksum, ...), an expiry time and an HMAC-SHA256 signature of them with
/// a key this server makes at start and never shows (so a restart ends every URL it handed out),
/// as a real ftrack server's signed storage URLs work. Whoever holds such a URL can do exactly
/// what it says, until it expires, and nothing else.
/// </summary>
internal sealed class SignedUrls
{
    public const string ExpiresField = "expires";
    public const string SignatureField = "signature";

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly TimeProvider _time;

    public SignedUrls(TimeSpan lifetime, TimeProvider time)
    {
        Lifetime = lifetime;
        _time = time;
    }

    /// <summary>How long a URL works after it was made.</summary>
    public TimeSpan Lifetime { get; }

    /// <summary>
    /// The query string for <paramref name="purpose"/> ("get", "upload", ...): the fields in the order
    /// given, then <c>expires</c> (Unix seconds) and <c>signature</c>.
    /// </summary>
    public string Query(string purpose, params (string Name, string Value)[] fields)
    {
        var expires = _time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var query = new StringBuilder();
        foreach (var (name, value) in fields)
            query.Append(name).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
        query.Append(ExpiresField).Append('=').Append(expires);
        query.Append('&').Append(SignatureField).Append('=').Append(Sign(purpose, fields, expires));
        return query.ToString();
    }

    /// <summary>
    /// Whether a request's query string is a URL this server signed for <paramref name="purpose"/>
    /// over exactly the fields named that it carries, and is still valid.
    /// </summary>
    public SignatureCheck Check(string purpose, NameValueCollection query, params string[] fieldNames)
    {
        var expires = query[ExpiresField];
        var signature = query[SignatureField];
        if (string.IsNullOrEmpty(expires) || string.IsNullOrEmpty(signature) || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return SignatureCheck.Forged;
        // A field the URL lacks is left out, as Query leaves out what it was not given (an upload
        // without a checksum): the signed text then differs, so removing a field never validates.
        var fields = fieldNames.Where(name => query[name] != null).Select(name => (name, query[name]!)).ToArray();
        var expected = System.Text.Encoding.ASCII.GetBytes(Sign(purpose, fields, expires));
        if (!CryptographicOperations.FixedTimeEquals(expected, System.Text.Encoding.ASCII.GetBytes(signature)))
            return SignatureCheck.Forged;
        return _time.GetUtcNow().ToUnixTimeSeconds() < seconds ? SignatureCheck.Valid : SignatureCheck.Expired;
    }

    /// <summary>When a URL's expiry field says it ends, for messages.</summary>
    public static string ExpiryText(NameValueCollection query) =>
        long.TryParse(query[ExpiresField], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 253402300800
            ? DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC"
            : "?";

    private string Sign(string purpose, IEnumerable<(string Name, string Value)> fields, string expires)
    {
        // Each part is length-prefixed, so no two different sets of fields sign the same text.
        var text = new StringBuilder().Append(purpose.Length).Append(':').Append(purpose);
        foreach (var (name, value) in fields)
            text.Append('|').Append(name.Length).Append(':').Append(name).Append('=').Append(value.Length).Append(':').Append(value);
        text.Append('|').Append(expires);
        var mac = HMACSHA256.HashData(_key, System.Text.Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
