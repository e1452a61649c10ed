using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text.Json;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Operations;

/// <summary>
/// Fills in what a create leaves out: the schema's declared defaults (a new UUID for "{uid}"),
/// the classifier that makes a row the requested type, creation stamps, and the values ftrack
/// itself fills in although no schema declares them (a version's number, a task's first status).
/// </summary>
internal sealed class CreateDefaults
{
    /// <summary>A value computed for a new entity from the values it has so far.</summary>
    private delegate object? Default(CreateDefaults defaults, Dictionary<string, object?> values);

    private static readonly Default CurrentUser = (d, _) => d._userId;
    private static readonly Default Now = (_, _) => ValueCodec.Now();
    private static readonly Default False = (_, _) => 0L;

    /// <summary>
    /// ftrack's own defaults per type (keyed by any type of the lineage, so "TypedContext" covers
    /// Task, Shot, ...). ReplacesNull: also when the client sent null, not only when it left the
    /// attribute out.
    /// </summary>
    private static readonly Dictionary<string, (string Column, bool ReplacesNull, Default Value)[]> ByType = new()
    {
        // A project is its own project; other contexts have theirs from the tree (ContextTree.Place).
        ["Project"] = [("project_id", true, (_, v) => v["id"]), ("status", false, (_, _) => "active"), ("full_name", false, (_, v) => v.GetValueOrDefault("name"))],
        ["TypedContext"] = [("status_id", true, (d, v) => d.FirstStatus(v.GetValueOrDefault("project_id") as string, v.GetValueOrDefault("object_type_id") as string))],
        ["Task"] = [("type_id", true, (d, v) => d.FirstTaskType(v.GetValueOrDefault("project_id") as string))],
        ["AssetVersion"] =
        [
            ("user_id", false, CurrentUser), ("date", false, Now), ("status_id", true, (d, _) => d.FirstStatus(null, null)),
            ("version", true, (d, v) => v.GetValueOrDefault("asset_id") is string asset ? d.NextVersion(asset) : null),
        ],
        // A component is a file unless it says otherwise (FileComponent, SequenceComponent, ... say so).
        ["Component"] = [("system_type", true, (_, _) => "file")],
        ["Note"] = [("user_id", false, CurrentUser), ("date", false, Now)],
        ["Timelog"] = [("user_id", false, CurrentUser)],
        // The Python client's start_timer sends user, context, name and comment: the timer starts now.
        ["Timer"] = [("user_id", false, CurrentUser), ("start", false, Now)],
        ["Job"] = [("user_id", false, CurrentUser)],
        ["List"] = [("user_id", false, CurrentUser), ("date", false, Now)],
        // A user created without a username gets a unique one (the Python client's session.create('User')).
        ["User"] =
        [
            ("username", true, (_, v) => v["id"]), ("is_active", false, False), ("is_otp_enabled", false, False), ("is_totp_enabled", false, False),
            ("require_details_update", false, False),
        ],
        // ftrack's documentation creates boolean and date attributes without a config.
        ["CustomAttributeConfiguration"] = [("config", true, (_, _) => "{}")],
        ["CustomAttributeLinkConfiguration"] = [("config", true, (_, _) => "{}")],
    };

    /// <summary>Schema defaults per type, parsed once: (column, value, whether it is a new "{uid}").</summary>
    private static readonly ConcurrentDictionary<EntityType, (string Column, object? Value, bool NewId)[]> SchemaDefaultsByType = new();

    private readonly PreparedCommands _commands;
    private readonly string? _userId;
    private readonly Dictionary<string, string?> _firstStatus = new();
    private readonly Dictionary<string, string?> _firstTaskType = new();

    public CreateDefaults(PreparedCommands commands, string? userId)
    {
        _commands = commands;
        _userId = userId;
    }

    public void Apply(EntityType type, Dictionary<string, object?> values)
    {
        foreach (var (column, value, newId) in SchemaDefaultsOf(type))
            if (!values.ContainsKey(column))
                values[column] = newId ? Guid.NewGuid().ToString() : value;
        foreach (var (column, value) in type.Classifiers)
            values[column] = value;
        if (type.Attributes.ContainsKey("created_at") && !values.ContainsKey("created_at"))
            values["created_at"] = ValueCodec.Now();
        if (type.Attributes.ContainsKey("created_by_id") && !values.ContainsKey("created_by_id"))
            values["created_by_id"] = _userId;
        foreach (var name in type.Lineage)
        {
            foreach (var (column, replacesNull, value) in ByType.GetValueOrDefault(name) ?? [])
                if (!values.TryGetValue(column, out var given) || (replacesNull && given == null))
                    values[column] = value(this, values);
        }
        // Required numbers and flags without a schema default start at zero / false, as ftrack's do.
        foreach (var name in type.Required)
        {
            if (type.Attributes.TryGetValue(name, out var attribute) && attribute.Kind == AttributeKind.Scalar
                && attribute.ScalarType is ScalarType.Number or ScalarType.Integer or ScalarType.Boolean
                && values.GetValueOrDefault(attribute.Column!) == null)
                values[attribute.Column!] = 0L;
        }
    }

    private static (string Column, object? Value, bool NewId)[] SchemaDefaultsOf(EntityType type) =>
        SchemaDefaultsByType.GetOrAdd(type, t =>
        {
            var defaults = new List<(string, object?, bool)>();
            foreach (var (name, node) in t.Schema["properties"]!.AsObject())
            {
                if (node?["default"] is not { } defaultNode || !t.Attributes.TryGetValue(name, out var attribute) || attribute.Kind != AttributeKind.Scalar)
                    continue;
                using var document = JsonDocument.Parse(defaultNode.ToJsonString());
                var element = document.RootElement;
                var isNewId = element.ValueKind == JsonValueKind.String && element.GetString() == "{uid}";
                defaults.Add((attribute.Column!, isNewId ? null : ValueCodec.FromJson(element, attribute.ScalarType, name), isNewId));
            }
            return defaults.ToArray();
        });

    /// <summary>
    /// A new typed context's first status: the first of its object type's statuses in the project's
    /// schema (a Shot's, an AssetBuild's), else of the project's task workflow, else the first there is.
    /// </summary>
    private string? FirstStatus(string? projectId, string? objectTypeId)
    {
        var cacheKey = projectId + "/" + objectTypeId;
        if (_firstStatus.TryGetValue(cacheKey, out var cached))
            return cached;
        var status = projectId == null ? null : _commands.Get(
            "SELECT s.id FROM context p JOIN schema sc ON sc.project_schema_id = p.project_schema_id AND sc.type_id = $1 JOIN schema_status ss ON ss.schema_id = sc.id JOIN status s ON s.id = ss.status_id WHERE p.id = $0 ORDER BY ss.sort, s.sort LIMIT 1",
            projectId, objectTypeId).ExecuteScalar() as string;
        status ??= projectId == null ? null : _commands.Get(
            "SELECT s.id FROM context p JOIN project_schema ps ON ps.id = p.project_schema_id JOIN workflow_schema_status ws ON ws.workflow_schema_id = ps.task_workflow_schema_id JOIN status s ON s.id = ws.status_id WHERE p.id = $0 ORDER BY s.sort LIMIT 1",
            projectId).ExecuteScalar() as string;
        status ??= _commands.Get("SELECT id FROM status ORDER BY sort LIMIT 1").ExecuteScalar() as string;
        _firstStatus[cacheKey] = status;
        return status;
    }

    /// <summary>A task created without a type gets the first of its project's task types (a real server fills it in).</summary>
    private string? FirstTaskType(string? projectId)
    {
        if (_firstTaskType.TryGetValue(projectId ?? "", out var cached))
            return cached;
        var type = projectId == null ? null : _commands.Get(
            "SELECT t.id FROM context p JOIN project_schema ps ON ps.id = p.project_schema_id JOIN task_type_schema_type tt ON tt.task_type_schema_id = ps.task_type_schema_id JOIN type t ON t.id = tt.type_id WHERE p.id = $0 ORDER BY t.sort LIMIT 1",
            projectId).ExecuteScalar() as string;
        type ??= _commands.Get("SELECT id FROM type ORDER BY sort LIMIT 1").ExecuteScalar() as string;
        _firstTaskType[projectId ?? ""] = type;
        return type;
    }

    /// <summary>Versions of an asset are numbered 1, 2, ... in the order they are created.</summary>
    private long NextVersion(string assetId) =>
        (long)(_commands.Get("SELECT COALESCE(MAX(version), 0) + 1 FROM asset_version WHERE asset_id = $0", assetId).ExecuteScalar() ?? 1L);
}
