using System;
using System.Linq;
using System.Text;
using System.Threading;
using Ftrack.Server.Schema;
using Microsoft.Data.Sqlite;

namespace Ftrack.Server.Storage;

/// <summary>
/// The SQLite database behind the server: a file that survives restarts, or a private
/// in-memory database. Owns the connection settings, the table layout and the write lock.
/// </summary>
internal sealed class Database : IDisposable
{
    /// <summary>The context tree as (ancestor, descendant, depth) rows, self included at depth 0.</summary>
    public const string ClosureTable = "context_closure";

    private readonly SqliteConnection? _memoryKeepAlive;

    public Database(string? path, EntityModel model)
    {
        Model = model;
        InMemory = string.IsNullOrEmpty(path) || path == ":memory:";
        if (InMemory)
        {
            // A named shared-cache memory database lives as long as one connection to it is open.
            ConnectionString = new SqliteConnectionStringBuilder
            {
                DataSource = "ftrack-" + Guid.NewGuid().ToString("N"),
                Mode = SqliteOpenMode.Memory,
                Cache = SqliteCacheMode.Shared,
            }.ToString();
            _memoryKeepAlive = new SqliteConnection(ConnectionString);
            _memoryKeepAlive.Open();
        }
        else
        {
            RestrictToOwner(path!);
            ConnectionString = new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Cache = SqliteCacheMode.Private,
                DefaultTimeout = 30,
            }.ToString();
            using var connection = new SqliteConnection(ConnectionString);
            connection.Open();
            // WAL lets readers work while one writer commits; NORMAL sync survives a killed process.
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        }
        using (var connection = Open())
        {
            CreateTables(connection);
            AddMissingColumns(connection);
            CreateViews(connection);
        }
    }

    /// <summary>
    /// The file holds the studio's data and the key's hash: only its owner may read it. SQLite
    /// creates the -wal, -shm and -journal files with the database file's mode, so creating that
    /// one as 0600 covers them; files an older server left readable are narrowed.
    /// </summary>
    private static void RestrictToOwner(string path)
    {
        if (OperatingSystem.IsWindows())
            return;
        const System.IO.UnixFileMode ownerOnly = System.IO.UnixFileMode.UserRead | System.IO.UnixFileMode.UserWrite;
        if (!System.IO.File.Exists(path))
            new System.IO.FileStream(path, new System.IO.FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = System.IO.FileAccess.Write, UnixCreateMode = ownerOnly }).Dispose();
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
            if (System.IO.File.Exists(file))
                System.IO.File.SetUnixFileMode(file, ownerOnly);
    }

    public EntityModel Model { get; }

    public bool InMemory { get; }

    public string ConnectionString { get; }

    /// <summary>
    /// Writers are serialized in-process (SQLite allows one writer anyway, and waiting here is
    /// cheaper than busy retries). The in-memory database is shared-cache, which has table
    /// locks instead of WAL, so there every request takes this lock.
    /// </summary>
    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout=30000; PRAGMA foreign_keys=OFF;");
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void CreateTables(SqliteConnection connection)
    {
        var ddl = new StringBuilder();
        foreach (var table in Model.Tables.Values.Where(t => !t.IsView))
        {
            ddl.Append("CREATE TABLE IF NOT EXISTS ").Append(table.Quoted).Append(" (");
            ddl.Append(string.Join(", ", table.Columns.Select(c => Quote(c.Key) + " " + SqlType(c.Value))));
            ddl.Append(", PRIMARY KEY (").Append(string.Join(", ", table.PrimaryKey.Select(Quote))).Append("));\n");
            // Foreign keys and classifiers are what joins, IN-fetches and type filters probe.
            // thumbnail, creator and disk keys are never filtered on here: indexing them would only slow inserts.
            foreach (var column in table.Columns.Keys.Where(c => c.EndsWith("_id", StringComparison.Ordinal) && !(table.PrimaryKey.Count == 1 && table.PrimaryKey[0] == c)
                         && c is not ("thumbnail_id" or "created_by_id" or "disk_id")))
                ddl.Append($"CREATE INDEX IF NOT EXISTS \"ix_{table.Name}_{column}\" ON {table.Quoted} ({Quote(column)});\n");
            foreach (var column in new[] { "context_type", "system_type", "resource_type", "username" }.Where(table.Columns.ContainsKey))
                ddl.Append($"CREATE INDEX IF NOT EXISTS \"ix_{table.Name}_{column}\" ON {table.Quoted} ({Quote(column)});\n");
        }
        // Siblings' names are checked on every create and rename (ContextTree.RefuseDuplicateName).
        ddl.Append("CREATE INDEX IF NOT EXISTS ix_context_parent_name ON context (parent_id, name);\n");
        // Many-to-many links that are no served type (a context's scopes): the two keys only.
        foreach (var link in Model.Types.Values.SelectMany(t => t.Attributes.Values)
                     .Where(a => a.Shape == CollectionShape.LinkTable && !Model.Tables.ContainsKey(a.LinkTable!)).DistinctBy(a => a.LinkTable))
        {
            ddl.Append($"CREATE TABLE IF NOT EXISTS {Quote(link.LinkTable!)} ({Quote(link.LinkSourceColumn!)} TEXT NOT NULL, {Quote(link.LinkTargetColumn!)} TEXT NOT NULL, PRIMARY KEY ({Quote(link.LinkSourceColumn!)}, {Quote(link.LinkTargetColumn!)}));\n");
            ddl.Append($"CREATE INDEX IF NOT EXISTS \"ix_{link.LinkTable}_{link.LinkTargetColumn}\" ON {Quote(link.LinkTable!)} ({Quote(link.LinkTargetColumn!)});\n");
        }
        ddl.Append(CustomAttributeStore.StoreDdl);
        ddl.Append($"CREATE TABLE IF NOT EXISTS {ClosureTable} (ancestor_id TEXT NOT NULL, descendant_id TEXT NOT NULL, depth INTEGER NOT NULL, PRIMARY KEY (descendant_id, ancestor_id)) WITHOUT ROWID;\n");
        ddl.Append($"CREATE INDEX IF NOT EXISTS ix_{ClosureTable}_ancestor ON {ClosureTable} (ancestor_id, depth);\n");
        ddl.Append("CREATE TABLE IF NOT EXISTS server_setting (name TEXT PRIMARY KEY, value TEXT);\n");
        // Salted hashes only (ApiKeyHash); servers before kept plain keys in api_credential (AdminCredentials migrates it).
        ddl.Append("CREATE TABLE IF NOT EXISTS api_key_hash (username TEXT PRIMARY KEY, hash TEXT NOT NULL);\n");
        Execute(connection, ddl.ToString());
    }

    /// <summary>
    /// Views are recreated on every start (after AddMissingColumns: they read columns an older
    /// file lacks until then), so a file written by an older server gets the current ones.
    /// </summary>
    private static void CreateViews(SqliteConnection connection)
    {
        Execute(connection, CustomAttributeStore.ViewDdl);
    }

    /// <summary>
    /// A database file written by an older server may lack columns of types served since:
    /// add them (as nullable) so the file keeps working.
    /// </summary>
    private void AddMissingColumns(SqliteConnection connection)
    {
        using var sql = new PreparedCommands(connection, null);
        foreach (var table in Model.Tables.Values.Where(t => !t.IsView))
        {
            var existing = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
            using (var reader = sql.Get("SELECT name FROM pragma_table_info($0)", table.Name).ExecuteReader())
                while (reader.Read())
                    existing.Add(reader.GetString(0));
            foreach (var (column, type) in table.Columns.Where(c => !existing.Contains(c.Key)))
                Execute(connection, $"ALTER TABLE {table.Quoted} ADD COLUMN {Quote(column)} {SqlType(type)}");
        }
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    private static string SqlType(ScalarType type) => type switch
    {
        ScalarType.Integer or ScalarType.Boolean => "INTEGER",
        ScalarType.Number => "NUMERIC",
        _ => "TEXT",
    };

    public static string? GetSetting(PreparedCommands sql, string name) =>
        sql.Get("SELECT value FROM server_setting WHERE name = $0", name).ExecuteScalar() as string;

    public static void SetSetting(PreparedCommands sql, string name, string value) =>
        sql.Get("INSERT INTO server_setting (name, value) VALUES ($0, $1) ON CONFLICT(name) DO UPDATE SET value = excluded.value", name, value).ExecuteNonQuery();

    public void Dispose()
    {
        _memoryKeepAlive?.Dispose();
        // Release this database's pooled connections only: other servers may run in the same process.
        using (var connection = new SqliteConnection(ConnectionString))
            SqliteConnection.ClearPool(connection);
        WriteLock.Dispose();
    }
}
