using System;
using System.Collections.Generic;
using Microsoft.Data.Sqlite;

namespace Ftrack.Server.Storage;

/// <summary>
/// The one way this server runs SQL with values: positional parameters <c>$0, $1, ...</c> bound
/// from the arguments of <see cref="Get"/>. Commands are kept by SQL text for the life of the
/// transaction, so a statement run for every entity of a large batch is prepared once and only
/// rebound.
/// </summary>
internal sealed class PreparedCommands : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction? _transaction;
    private readonly Dictionary<string, SqliteCommand> _commands = new();

    public PreparedCommands(SqliteConnection connection, SqliteTransaction? transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public SqliteCommand Get(string sql, params object?[] values)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = sql;
            for (var i = 0; i < values.Length; i++)
                command.Parameters.Add(new SqliteParameter("$" + i, null));
            _commands[sql] = command;
        }
        for (var i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
            command.Dispose();
    }
}
