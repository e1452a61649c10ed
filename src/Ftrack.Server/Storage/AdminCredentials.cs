using System;
using System.Security.Cryptography;

namespace Ftrack.Server.Storage;

/// <summary>
/// The one place that decides the API user and key the server accepts. The key is, in order:
/// the one given on the command line; the one already stored in the database file (so a
/// restarted server keeps working with the key a client saved); a new random key.
/// </summary>
internal static class AdminCredentials
{
    public const string DefaultUserName = "admin";

    /// <summary>The fixed id of the administrator the seeds create.</summary>
    public const string AdminUserId = "a0000000-0000-4000-8000-000000000001";

    public static (string User, string Key, string UserId) Ensure(Database database, string userName, string? requestedKey)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        using var sql = new PreparedCommands(connection, transaction);
        var stored = sql.Get("SELECT api_key FROM api_credential WHERE username = $0", userName).ExecuteScalar() as string;
        var key = requestedKey ?? stored ?? NewKey();
        sql.Get("INSERT INTO api_credential (username, api_key) VALUES ($0, $1) ON CONFLICT(username) DO UPDATE SET api_key = excluded.api_key", userName, key).ExecuteNonQuery();
        var userId = EnsureUser(sql, userName);
        transaction.Commit();
        return (userName, key, userId);
    }

    /// <summary>The API user must exist as a User entity (it authors notes, timelogs, ...).</summary>
    private static string EnsureUser(PreparedCommands sql, string userName)
    {
        if (sql.Get("SELECT id FROM resource WHERE username = $0 AND resource_type = 'user'", userName).ExecuteScalar() is string existing)
            return existing;
        var id = (long)sql.Get("SELECT COUNT(*) FROM resource WHERE id = $0", AdminUserId).ExecuteScalar()! == 0 ? AdminUserId : Guid.NewGuid().ToString();
        sql.Get("INSERT INTO resource (id, username, first_name, last_name, email, is_active, is_otp_enabled, is_totp_enabled, require_details_update, resource_type, user_type_id) " +
            "VALUES ($0, $1, 'Local', 'Administrator', $1 || '@localhost', 1, 0, 0, 0, 'user', (SELECT id FROM user_type ORDER BY rowid LIMIT 1))", id, userName).ExecuteNonQuery();
        return id;
    }

    public static bool Matches(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(given));

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(27)).Replace('+', '-').Replace('/', '_');
}
