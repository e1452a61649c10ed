using System;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

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
        string? stored;
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT api_key FROM api_credential WHERE username = $user";
            command.Parameters.AddWithValue("$user", userName);
            stored = command.ExecuteScalar() as string;
        }
        var key = requestedKey ?? stored ?? NewKey();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO api_credential (username, api_key) VALUES ($user, $key) ON CONFLICT(username) DO UPDATE SET api_key = excluded.api_key";
            command.Parameters.AddWithValue("$user", userName);
            command.Parameters.AddWithValue("$key", key);
            command.ExecuteNonQuery();
        }
        var userId = EnsureUser(connection, transaction, userName);
        transaction.Commit();
        return (userName, key, userId);
    }

    /// <summary>The API user must exist as a User entity (it authors notes, timelogs, ...).</summary>
    private static string EnsureUser(SqliteConnection connection, SqliteTransaction transaction, string userName)
    {
        using (var find = connection.CreateCommand())
        {
            find.Transaction = transaction;
            find.CommandText = "SELECT id FROM resource WHERE username = $user AND resource_type = 'user'";
            find.Parameters.AddWithValue("$user", userName);
            if (find.ExecuteScalar() is string existing)
                return existing;
        }
        using var idTaken = connection.CreateCommand();
        idTaken.Transaction = transaction;
        idTaken.CommandText = "SELECT COUNT(*) FROM resource WHERE id = $id";
        idTaken.Parameters.AddWithValue("$id", AdminUserId);
        var id = (long)idTaken.ExecuteScalar()! == 0 ? AdminUserId : Guid.NewGuid().ToString();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO resource (id, username, first_name, last_name, email, is_active, is_otp_enabled, is_totp_enabled, require_details_update, resource_type, user_type_id) " +
            "VALUES ($id, $user, 'Local', 'Administrator', $user || '@localhost', 1, 0, 0, 0, 'user', (SELECT id FROM user_type ORDER BY rowid LIMIT 1))";
        insert.Parameters.AddWithValue("$id", id);
        insert.Parameters.AddWithValue("$user", userName);
        insert.ExecuteNonQuery();
        return id;
    }

    public static bool Matches(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(given));

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(27)).Replace('+', '-').Replace('/', '_');
}
