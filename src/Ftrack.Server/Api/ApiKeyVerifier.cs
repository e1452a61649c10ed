using System.Security.Cryptography;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Api;

/// <summary>
/// Checks the API key of every request against the keys this server accepts: the one it
/// announced on its listening line, and the one stored (as a hash) in the database. Deriving a
/// stored hash can take a quarter of a second, so a key once verified is remembered, by an
/// HMAC under a secret of this process only (never as the key itself), and compared in
/// constant time afterwards.
/// </summary>
internal sealed class ApiKeyVerifier
{
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);
    private readonly string? _storedHash;
    private readonly object _lock = new();
    // The announced key's MAC, then the stored key's once it has been verified.
    private byte[][] _verified;

    /// <param name="announcedKey">The key on the listening line: accepted for as long as this process runs.</param>
    /// <param name="storedHash">The hash kept in the database, or null.</param>
    public ApiKeyVerifier(string announcedKey, string? storedHash)
    {
        _storedHash = storedHash;
        _verified = [Mac(announcedKey)];
    }

    public bool Verify(string key)
    {
        var mac = Mac(key);
        var found = false;
        foreach (var verified in _verified)
            found |= CryptographicOperations.FixedTimeEquals(mac, verified);
        if (found)
            return true;
        if (_storedHash == null || !ApiKeyHash.Verify(key, _storedHash))
            return false;
        lock (_lock)
        {
            if (_verified.Length == 1)
                _verified = [.. _verified, mac];
        }
        return true;
    }

    private byte[] Mac(string key) => HMACSHA256.HashData(_secret, System.Text.Encoding.UTF8.GetBytes(key));
}
