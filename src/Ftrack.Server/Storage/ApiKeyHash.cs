using System;
using System.Globalization;
using System.Security.Cryptography;

namespace Ftrack.Server.Storage;

/// <summary>
/// The stored form of an API key: <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;</c> (base64),
/// so the database file never holds a key that works. The server only needs to verify keys.
/// </summary>
internal static class ApiKeyHash
{
    private const string Scheme = "pbkdf2-sha256";

    /// <summary>A key chosen by a person (--api-key) may be guessable: each guess must cost (OWASP's figure for PBKDF2-SHA256).</summary>
    public const int ChosenKeyIterations = 600_000;

    /// <summary>A generated key has 216 random bits: no guess is cheap enough to need stretching, so server starts stay fast.</summary>
    public const int GeneratedKeyIterations = 1;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>A new random key: 27 bytes, URL-safe base64 without spaces (the listening line is split on spaces).</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(27)).Replace('+', '-').Replace('/', '_');

    public static string Create(string key, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(key, salt, iterations);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Whether the key is the one hashed; compares in constant time. A malformed stored value matches nothing.</summary>
    public static bool Verify(string key, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
            return false;
        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Derive(key, salt, iterations), expected);
    }

    private static byte[] Derive(string key, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(System.Text.Encoding.UTF8.GetBytes(key), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
