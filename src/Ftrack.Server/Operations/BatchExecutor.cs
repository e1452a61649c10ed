using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Ftrack.Server.Api;
using Ftrack.Server.Encoding;
using Ftrack.Server.Query;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Ftrack.Server.Operations;

/// <summary>
/// Runs one request's operations in one SQLite transaction: all of them commit, or none does
/// and the answer is the single error of the first failing operation.
/// </summary>
internal sealed class BatchExecutor
{
    /// <summary>
    /// What an action may need of the HTTP request: whether the client asked for the strict API
    /// (aggregates need it) and the server's base URL as the client reached it (widget URLs).
    /// </summary>
    public sealed record RequestInfo(bool Strict, string? ServerUrl);

    /// <summary>
    /// A plain dotted version: clients parse it (the Python client compares it with a minimum via
    /// LooseVersion; stricter parsers reject suffixes). "local_server" tells this server apart.
    /// </summary>
    public const string ServerVersion = "4.13.0";

    private static readonly HashSet<string> WriteActions = ["create", "update", "delete", "reset_remote", "encode_media"];

    private readonly Database _database;
    private readonly ServedSchemas _schemas;
    private readonly ComponentUrls? _components;
    private readonly PageCursorCache _cursors = new();

    /// <summary>The remembered page ends (tests read its accounting).</summary>
    internal PageCursorCache PageCursors => _cursors;

    /// <summary>
    /// Called with what a write batch changed once its transaction committed (never for one rolled
    /// back), still under the write lock so events leave in commit order: the event hub publishes
    /// <c>ftrack.update</c> from it. Null: changes are not collected.
    /// </summary>
    public Action<IReadOnlyList<Events.EntityChange>, string?>? Committed { get; set; }

    /// <summary>Asked at the start of each write batch: false skips collecting its changes (no one would receive <see cref="Committed"/>'s event). Null: always collect.</summary>
    public Func<bool>? CollectChanges { get; set; }

    /// <param name="components">The ftrack.server location's storage and URLs; null: its actions are refused and URLs read as null.</param>
    public BatchExecutor(Database database, ServedSchemas schemas, ComponentUrls? components = null)
    {
        _database = database;
        _schemas = schemas;
        _components = components;
    }

    /// <summary>Executes the batch and returns the JSON array of results; throws <see cref="FtrackError"/> on failure.</summary>
    public async Task<byte[]> ExecuteAsync(JsonElement operations, string? userId, bool denormalize, RequestInfo? request = null)
    {
        var output = new ArrayBufferWriter<byte>();
        await ExecuteAsync(operations, userId, denormalize, output, request);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Executes the batch, writing the JSON array of results to <paramref name="output"/> (the HTTP host's pooled buffer); throws <see cref="FtrackError"/> on failure.</summary>
    public async Task ExecuteAsync(JsonElement operations, string? userId, bool denormalize, IBufferWriter<byte> output, RequestInfo? request = null)
    {
        request ??= new RequestInfo(Strict: false, ServerUrl: null);
        if (operations.ValueKind != JsonValueKind.Array)
            throw FtrackError.Validation("The request body must be a list of operations.");
        var writes = operations.EnumerateArray().Any(o => o.ValueKind == JsonValueKind.Object
            && o.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.String && WriteActions.Contains(a.GetString()!));
        var locked = writes || _database.InMemory;
        if (locked)
            await _database.WriteLock.WaitAsync().ConfigureAwait(false);
        try
        {
            Execute(operations, userId, denormalize, writes, output, request);
        }
        finally
        {
            if (locked)
                _database.WriteLock.Release();
        }
    }

    private void Execute(JsonElement operations, string? userId, bool denormalize, bool writes, IBufferWriter<byte> output, RequestInfo request)
    {
        using var connection = _database.Open();
        // Writers take the write lock up front (BEGIN IMMEDIATE); readers get a consistent snapshot.
        using var transaction = connection.BeginTransaction(deferred: !writes);
        using var commands = new PreparedCommands(connection, transaction);
        var map = new ResponseIdentityMap();
        var encoder = new EntityEncoder(denormalize);
        // Page cursors only from committed data: a write batch may still roll back.
        var loader = new EntityLoader(commands, _database.Model, map, writes ? null : _cursors, _components, request.ServerUrl);
        var writer = new EntityWriter(_database.Model, commands, map, userId, loader);
        var committed = writes && (CollectChanges?.Invoke() ?? true) ? Committed : null;
        var changes = committed != null ? new Events.EntityChangeLog(commands) : null;
        writer.Changes = changes;
        var actions = new ServerActions(_database.Model, commands, writer, userId);
        var files = new StoredFileChanges(_components?.Store);
        writer.ComponentsDeleted = files.Deleted;
        var componentActions = new ComponentActions(_database.Model, commands, writer, _components, files);
        try
        {
            ExecuteOperations(operations, userId, writes, output, request, transaction, commands, encoder, loader, writer, actions, componentActions);
        }
        catch
        {
            files.RolledBack();
            throw;
        }
        files.Committed();
        // Committed: what changed is published (ftrack.update); a batch rolled back threw above.
        if (changes is { Changes.Count: > 0 })
            committed!(changes.Changes, userId);
    }

    /// <summary>Runs each operation, writing its result; commits when all succeeded (the caller rolls back otherwise).</summary>
    private void ExecuteOperations(JsonElement operations, string? userId, bool writes, IBufferWriter<byte> output, RequestInfo request,
        SqliteTransaction transaction, PreparedCommands commands, EntityEncoder encoder, EntityLoader loader, EntityWriter writer,
        ServerActions actions, ComponentActions componentActions)
    {
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            var index = 0;
            foreach (var operation in operations.EnumerateArray())
            {
                var (action, entityType) = Describe(operation);
                try
                {
                    Run(operation, action, json, commands, loader, writer, actions, componentActions, encoder, request, userId);
                }
                catch (FtrackError error)
                {
                    throw error.InOperation(index, $"operation {index}: {action}{(entityType == null ? "" : " " + entityType)}");
                }
                catch (SqliteException error)
                {
                    throw FtrackError.Server($"Database error {error.SqliteErrorCode}: {error.Message}").InOperation(index, $"operation {index}: {action}{(entityType == null ? "" : " " + entityType)}");
                }
                index++;
            }
            json.WriteEndArray();
        }
        if (writes)
        {
            // Readers tie remembered page positions to this version (see PageCursorCache).
            commands.Get("INSERT INTO server_setting (name, value) VALUES ('write_version', '1') ON CONFLICT(name) DO UPDATE SET value = CAST(value AS INTEGER) + 1").ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private static (string Action, string? EntityType) Describe(JsonElement operation)
    {
        if (operation.ValueKind != JsonValueKind.Object)
            return ("?", null);
        var action = operation.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "?";
        var type = operation.TryGetProperty("entity_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return (action, type);
    }

    private void Run(JsonElement operation, string action, Utf8JsonWriter json, PreparedCommands commands, EntityLoader loader, EntityWriter writer,
        ServerActions actions, ComponentActions componentActions, EntityEncoder encoder, RequestInfo request, string? userId)
    {
        if (operation.ValueKind != JsonValueKind.Object)
            throw FtrackError.Validation("Each operation must be an object with an \"action\".");
        switch (action)
        {
            case "query_server_information":
                json.WriteStartObject();
                json.WriteStartObject("storage_scenario");
                json.WriteStartObject("data");
                json.WriteEndObject();
                json.WriteString("scenario", "ftrack.automatic");
                json.WriteEndObject();
                json.WriteString("schema_hash", _schemas.Hash);
                json.WriteString("version", ServerVersion);
                json.WriteBoolean("is_timezone_support_enabled", true);
                json.WriteBoolean("local_server", true);
                json.WriteEndObject();
                return;
            case "query_schemas":
                json.WriteRawValue(_schemas.Json, skipInputValidation: true);
                return;
            case "query":
            {
                var expression = RequiredString(operation, "expression");
                var parsed = QueryParser.Parse(expression);
                if (parsed.IsAggregate)
                {
                    AggregateQuery.Write(json, commands, _database.Model, parsed, expression, request.Strict);
                    return;
                }
                var records = loader.Query(parsed, out var next);
                json.WriteStartObject();
                json.WriteString("action", "query");
                json.WriteStartArray("data");
                foreach (var record in records)
                    encoder.Write(json, record);
                json.WriteEndArray();
                json.WriteStartObject("metadata");
                json.WriteStartObject("next");
                if (next is { } offset) json.WriteNumber("offset", offset); else json.WriteNull("offset");
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndObject();
                return;
            }
            case "create":
            {
                var type = RequireType(operation);
                var data = operation.TryGetProperty("entity_data", out var d) ? d : throw FtrackError.Validation("create needs \"entity_data\".");
                var record = writer.Create(type, data);
                json.WriteStartObject();
                json.WriteString("action", "create");
                json.WritePropertyName("data");
                encoder.Write(json, record);
                json.WriteEndObject();
                return;
            }
            case "update":
            {
                var type = RequireType(operation);
                var key = operation.TryGetProperty("entity_key", out var k) ? k : throw FtrackError.Validation("update needs \"entity_key\".");
                var data = operation.TryGetProperty("entity_data", out var d) ? d : throw FtrackError.Validation("update needs \"entity_data\".");
                var (keyValues, changed) = writer.Update(type, key, data);
                var record = loader.LoadByKey(type, keyValues, changed)!;
                json.WriteStartObject();
                json.WriteString("action", "update");
                json.WriteStartObject("data");
                json.WriteString("__entity_type__", record.Type.Name);
                foreach (var name in record.Type.AlwaysProjected.Concat(changed).Distinct())
                {
                    if (!record.Values.TryGetValue(name, out var value))
                        continue;
                    // A collection set by the update comes back as its members, so a client's copy is current.
                    json.WritePropertyName(name);
                    encoder.WriteValue(json, record.Type, name, value);
                }
                json.WriteEndObject();
                json.WriteEndObject();
                return;
            }
            case "delete":
            {
                var type = RequireType(operation);
                var key = operation.TryGetProperty("entity_key", out var k) ? k : throw FtrackError.Validation("delete needs \"entity_key\".");
                writer.Delete(type, key);
                json.WriteStartObject();
                json.WriteString("action", "delete");
                json.WriteBoolean("data", true);
                json.WriteEndObject();
                return;
            }
            case "reset_remote":
                actions.ResetRemote(operation, json);
                return;
            case "get_widget_url":
                actions.WidgetUrl(operation, json, request.ServerUrl);
                return;
            case "get_upload_metadata":
                componentActions.UploadMetadata(operation, json, request.ServerUrl);
                return;
            case "encode_media":
                componentActions.EncodeMedia(operation, json, userId ?? AdminCredentials.AdminUserId);
                return;
            case "complete_multipart_upload":
                ComponentActions.RefuseMultipart(json);
                return;
            default:
                throw new FtrackError("ServerError", $"Invalid action \"{action}\": this local server supports query_server_information, query_schemas, query, create, update, delete, reset_remote, get_widget_url, get_upload_metadata and encode_media.", 400);
        }
    }

    private EntityType RequireType(JsonElement operation)
    {
        var name = RequiredString(operation, "entity_type");
        var type = _database.Model.Find(name) ?? throw FtrackError.Validation($"Unknown entity type \"{name}\".");
        return type;
    }

    private static string RequiredString(JsonElement operation, string name) =>
        operation.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw FtrackError.Validation($"The operation needs a string \"{name}\".");
}
