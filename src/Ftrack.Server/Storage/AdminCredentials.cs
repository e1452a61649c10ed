using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using Ftrack.Server.Api;
using Microsoft.Data.Sqlite;

namespace Ftrack.Server.Storage;

/// <summary>
/// The one place that decides the API user and the keys the server accepts. The database keeps
/// only a salted hash of the user's key, so a restarted server cannot show that key again:
/// <list type="bullet">
/// <item>--api-key given: it replaces the stored key, and is announced.</item>
/// <item>No key stored for the user yet (a new database): a random key is stored and announced.</item>
/// <item>A key stored already: it keeps working, and a random key for this run only is announced
/// beside it (the PowerShell module reads the announced key on every start).</item>
/// </list>
/// </summary>
internal sealed class AdminCredentials
{
    public const string DefaultUserName = "admin";

    /// <summary>The fixed id of the administrator the seeds create.</summary>
    public const string AdminUserId = "a0000000-0000-4000-8000-000000000001";

    private AdminCredentials(string user, string userId, string announcedKey, ApiKeyVerifier keys)
    {
        User = user;
        UserId = userId;
        AnnouncedKey = announcedKey;
        Keys = keys;
    }

    public string User { get; }

    public string UserId { get; }

    /// <summary>The key the listening line shows: it works for as long as this process runs.</summary>
    public string AnnouncedKey { get; }

    public ApiKeyVerifier Keys { get; }

    public static AdminCredentials Ensure(Database database, string userName, string? requestedKey)
    {
        using var connection = database.Open();
        MigratePlainTextKeys(connection);
        using var transaction = connection.BeginTransaction();
        using var sql = new PreparedCommands(connection, transaction);
        var stored = sql.Get("SELECT hash FROM api_key_hash WHERE username = $0", userName).ExecuteScalar() as string;
        var announced = requestedKey ?? ApiKeyHash.NewKey();
        if (requestedKey != null || stored == null)
        {
            stored = ApiKeyHash.Create(announced, requestedKey != null ? ApiKeyHash.ChosenKeyIterations : ApiKeyHash.GeneratedKeyIterations);
            sql.Get("INSERT INTO api_key_hash (username, hash) VALUES ($0, $1) ON CONFLICT(username) DO UPDATE SET hash = excluded.hash", userName, stored).ExecuteNonQuery();
        }
        var userId = EnsureUser(sql, userName);
        transaction.Commit();
        return new AdminCredentials(userName, userId, announced, new ApiKeyVerifier(announced, stored));
    }

    /// <summary>
    /// Servers before this one kept keys in plain text (table api_credential): hash them, then
    /// erase the table so that no byte of the old key is left in the file or its WAL.
    /// </summary>
    private static void MigratePlainTextKeys(SqliteConnection connection)
    {
        using (var sql = new PreparedCommands(connection, null))
            if (sql.Get("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'api_credential'").ExecuteScalar() is 0L)
                return;
        // Deleted content is overwritten with zeros instead of being left in free pages.
        Database.Execute(connection, "PRAGMA secure_delete = ON;");
        using (var transaction = connection.BeginTransaction())
        using (var sql = new PreparedCommands(connection, transaction))
        {
            var keys = new List<(string User, string Key)>();
            using (var reader = sql.Get("SELECT username, api_key FROM api_credential").ExecuteReader())
                while (reader.Read())
                    keys.Add((reader.GetString(0), reader.GetString(1)));
            // A key someone may have typed: hashed as a chosen one.
            foreach (var (user, key) in keys)
                sql.Get("INSERT INTO api_key_hash (username, hash) VALUES ($0, $1) ON CONFLICT(username) DO NOTHING", user, ApiKeyHash.Create(key, ApiKeyHash.ChosenKeyIterations)).ExecuteNonQuery();
            sql.Get("DELETE FROM api_credential").ExecuteNonQuery();
            sql.Get("DROP TABLE api_credential").ExecuteNonQuery();
            transaction.Commit();
        }
        // The WAL still holds the pages as they were: copy the zeroed ones home and empty it.
        Database.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA secure_delete = OFF;");
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

    /// <summary>Compares names in constant time, so a wrong user and a wrong key take as long.</summary>
    public static bool Matches(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(given));
}
