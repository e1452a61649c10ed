using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ftrack.Server.Operations;
using Ftrack.Server.Schema;

namespace Ftrack.Server.Storage;

/// <summary>Which data a new database starts with.</summary>
public enum SeedKind
{
    /// <summary>The administrator and the reference data needed to create projects and tasks.</summary>
    Empty,
    /// <summary>Empty plus a small believable studio: users, two projects, shots, tasks, versions, notes, timelogs.</summary>
    Demo,
}

/// <summary>
/// Builds the seed as ordinary create operations run through <see cref="BatchExecutor"/>, so seeded
/// rows obey the same rules as client-created ones. Ids are derived from names and the random
/// choices come from a fixed seed: every Demo database is identical apart from creation times.
/// </summary>
internal sealed class SeedData
{
    // Ids ftrack itself ships with, used by clients and seen in recorded responses.
    public const string NotStartedStatusId = "014a40a6-4e65-11e1-b8af-f23c91df25eb";
    public const string NotStartedStateId = "6c59abf8-4dbf-11e1-9902-f23c91df25eb";
    public const string DefaultPriorityId = "9661b320-3a0c-11e2-81c1-0800200c9a66";
    public const string NormalUserTypeId = "ac9fa5aa-4361-11e0-b7cc-0019bb4983d8";
    // The built-in locations, with the ids ftrack's clients know them by (ftrack_api.symbol).
    public const string UnmanagedLocationId = "cb268ecc-8809-11e3-a7e2-20c9d081909b";
    public const string OriginLocationId = "ce9b348f-8809-11e3-821c-20c9d081909b";
    public const string ServerLocationId = "3a372bde-05bc-11e4-8908-20c9d081909b";
    public const string ReviewLocationId = "cd41be70-8809-11e3-b98a-20c9d081909b";

    /// <summary>The built-in locations: id, name, label, description.</summary>
    public static readonly (string Id, string Name, string Label, string Description)[] BuiltinLocations =
    [
        (UnmanagedLocationId, "ftrack.unmanaged", "Unmanaged", "Files stay where they are."),
        (OriginLocationId, "ftrack.origin", "Origin", "Where a component was published from."),
        (ServerLocationId, "ftrack.server", "ftrack server", "Files stored by the server."),
        (ReviewLocationId, "ftrack.review", "Review", "Encoded review media."),
    ];

    /// <summary>
    /// Creates any built-in location a database lacks: one seeded by an older server (whose
    /// ftrack.review had another id than the clients' REVIEW_LOCATION_ID) gets the right one, the
    /// old row going if nothing is stored in it.
    /// </summary>
    public static void EnsureBuiltinLocations(PreparedCommands sql)
    {
        foreach (var (id, name, label, description) in BuiltinLocations)
        {
            if (sql.Get("SELECT COUNT(*) FROM location WHERE id = $0", id).ExecuteScalar() is not 0L)
                continue;
            sql.Get("DELETE FROM location WHERE name = $0 AND id NOT IN (SELECT location_id FROM component_location WHERE location_id IS NOT NULL)", name).ExecuteNonQuery();
            sql.Get("INSERT INTO location (id, name, label, description) VALUES ($0, $1, $2, $3)", id, name, label, description).ExecuteNonQuery();
        }
    }

    private readonly JsonArray _operations = new();
    private readonly EntityModel _model;
    private readonly Random _random = new(20261128);
    private readonly DateTime _epoch = new(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc);

    private SeedData(EntityModel model) => _model = model;

    public static JsonArray Build(EntityModel model, SeedKind kind, string adminUserName)
    {
        var seed = new SeedData(model);
        seed.ReferenceData(adminUserName);
        if (kind == SeedKind.Demo)
            seed.Studio();
        return seed._operations;
    }

    /// <summary>A stable UUID for a seed object, so tests and docs can name it.</summary>
    public static string IdOf(string name)
    {
        var hash = MD5.HashData(System.Text.Encoding.UTF8.GetBytes("ftrack-local-seed:" + name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x30);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(Convert.ToHexString(hash)).ToString();
    }

    private string Create(string type, string id, object values)
    {
        var data = JsonSerializer.SerializeToNode(values)!.AsObject();
        data["__entity_type__"] = type;
        if (id != "")
            data["id"] = id;
        _operations.Add(new JsonObject { ["action"] = "create", ["entity_type"] = type, ["entity_data"] = data });
        return id;
    }

    private static JsonObject Ref(string type, string id) => new() { ["__entity_type__"] = type, ["id"] = id };

    private static JsonObject Date(DateTime value) => new() { ["__type__"] = "datetime", ["value"] = value.ToString("yyyy-MM-dd'T'HH:mm:ss") };

    private readonly Dictionary<string, string> _statuses = new();
    private readonly Dictionary<string, string> _types = new();
    private readonly Dictionary<string, string> _users = new();
    private string _projectSchema = "";

    private void ReferenceData(string adminUserName)
    {
        Create("UserType", NormalUserTypeId, new { name = "Normal user" });
        _users["admin"] = Create("User", AdminCredentials.AdminUserId, new
        {
            username = adminUserName, first_name = "Local", last_name = "Administrator", email = adminUserName + "@localhost",
            is_active = true, user_type_id = NormalUserTypeId,
        });

        var states = new Dictionary<string, string>
        {
            ["NOT_STARTED"] = NotStartedStateId, ["IN_PROGRESS"] = IdOf("state:in progress"),
            ["BLOCKED"] = IdOf("state:blocked"), ["DONE"] = IdOf("state:done"),
        };
        foreach (var (shortName, id) in states)
            Create("State", id, new { name = string.Join(' ', shortName.Split('_').Select(w => w[0] + w[1..].ToLowerInvariant())), @short = shortName });

        var statuses = new (string Name, string State, string Color)[]
        {
            ("Not started", "NOT_STARTED", "#FFFFFF"), ("Ready to start", "NOT_STARTED", "#B6D7A8"), ("In progress", "IN_PROGRESS", "#2891E6"),
            ("Pending review", "IN_PROGRESS", "#FF9900"), ("Client review", "IN_PROGRESS", "#F1C232"), ("On hold", "BLOCKED", "#E06666"),
            ("Approved", "DONE", "#00CC66"), ("Completed", "DONE", "#1CBC90"), ("Omitted", "DONE", "#999999"),
        };
        for (var i = 0; i < statuses.Length; i++)
        {
            var (name, state, color) = statuses[i];
            var id = name == "Not started" ? NotStartedStatusId : IdOf("status:" + name);
            _statuses[name] = Create("Status", id, new { name, color, sort = i, is_active = true, state = Ref("State", states[state]) });
        }

        var priorities = new (string Name, string Id, double Value, string Color)[]
        {
            ("Urgent", IdOf("priority:urgent"), 4, "#E74C3C"), ("High", IdOf("priority:high"), 3, "#E67E22"),
            ("Medium", DefaultPriorityId, 2, "#F1C40F"), ("Low", IdOf("priority:low"), 1, "#1ABC9C"), ("None", IdOf("priority:none"), 0, "#BDC3C7"),
        };
        for (var i = 0; i < priorities.Length; i++)
            Create("Priority", priorities[i].Id, new { name = priorities[i].Name, value = priorities[i].Value, color = priorities[i].Color, sort = i });

        // Object types: the ids come from the classifiers of the served schemas.
        var objectTypes = new (string Schema, string Name, string Icon, bool Leaf, bool Taskable, bool Reportable)[]
        {
            ("Folder", "Folder", "folder", false, false, false), ("Episode", "Episode", "episode", false, false, false),
            ("Sequence", "Sequence", "sequence", false, false, false), ("Shot", "Shot", "shot", false, true, false),
            ("AssetBuild", "Asset Build", "box", false, true, false), ("Task", "Task", "task", true, false, true),
            ("Milestone", "Milestone", "milestone", true, false, false),
        };
        var objectTypeIds = new List<string>();
        for (var i = 0; i < objectTypes.Length; i++)
        {
            var o = objectTypes[i];
            objectTypeIds.Add(Create("ObjectType", ObjectTypeId(o.Schema), new
            {
                name = o.Name, icon = o.Icon, sort = i, is_leaf = o.Leaf, is_taskable = o.Taskable, is_time_reportable = o.Reportable,
                is_typeable = o.Schema == "Task", is_statusable = true, is_schedulable = o.Schema is "Task" or "Milestone",
            }));
        }

        foreach (var name in new[] { "Generic", "Animation", "Modeling", "Rigging", "Texture", "Lookdev", "Layout", "Lighting", "Compositing", "FX", "Tracking", "Rotoscoping", "Editing" })
            _types[name] = Create("Type", IdOf("type:" + name), new { name, sort = _types.Count, is_billable = true, color = "#" + IdOf("color:" + name)[..6] });

        var taskWorkflow = Create("WorkflowSchema", IdOf("workflow:task"), new { name = "Default task workflow" });
        var versionWorkflow = Create("WorkflowSchema", IdOf("workflow:version"), new { name = "Default version workflow" });
        foreach (var status in _statuses.Values)
            Create("WorkflowSchemaStatus", "", new { workflow_schema_id = taskWorkflow, status_id = status });
        foreach (var name in new[] { "Not started", "Pending review", "Client review", "Approved", "On hold" })
            Create("WorkflowSchemaStatus", "", new { workflow_schema_id = versionWorkflow, status_id = _statuses[name] });
        var taskTypes = Create("TaskTypeSchema", IdOf("tasktypeschema:default"), new { name = "Default task types" });
        foreach (var type in _types.Values)
            Create("TaskTypeSchemaType", "", new { task_type_schema_id = taskTypes, type_id = type });
        _projectSchema = Create("ProjectSchema", IdOf("projectschema:vfx"), new
        {
            name = "VFX Scheme", task_workflow_schema_id = taskWorkflow, asset_version_workflow_schema_id = versionWorkflow,
            task_type_schema_id = taskTypes,
        });
        foreach (var objectType in objectTypeIds)
            Create("ProjectSchemaObjectType", "", new { project_schema_id = _projectSchema, object_type_id = objectType });
        ObjectTypeSchemas(objectTypes.Select(o => o.Schema).ToArray());

        foreach (var (name, shortName) in new[] { ("Upload", "upload"), ("Geometry", "geo"), ("Image Sequence", "img"), ("Render", "render"), ("Scene", "scene"), ("Animation Cache", "cache") })
            Create("AssetType", IdOf("assettype:" + shortName), new { name, @short = shortName });
        foreach (var (id, name, label, description) in BuiltinLocations)
            Create("Location", id, new { name, label, description });
        foreach (var (name, color) in new[] { ("Default", "#8E8E8E"), ("Client feedback", "#E67E22"), ("Internal", "#2891E6") })
            Create("NoteCategory", IdOf("notecategory:" + name), new { name, color, sort = 0 });
        foreach (var (name, color) in new[] { ("For client", "#F1C40F"), ("Retake", "#E74C3C") })
            Create("NoteLabel", IdOf("notelabel:" + name), new { name, color, sort = 0 });
        foreach (var name in new[] { "Default", "Client review", "Delivery" })
            Create("ListCategory", IdOf("listcategory:" + name), new { name });
        foreach (var (name, type) in new[] { ("Administrator", "ADMIN"), ("Project Manager", "PROJECT"), ("User", "USER"), ("API", "API") })
            Create("SecurityRole", IdOf("securityrole:" + name), new { name, type });
        foreach (var name in Operations.CustomAttributeTypes.Names)
            Create("CustomAttributeType", CustomAttributeTypeId(name), new { name, core = true });
    }

    public static string CustomAttributeTypeId(string name) => IdOf("customattributetype:" + name);

    /// <summary>
    /// The statuses and types of object types other than Task in the VFX scheme (a project
    /// schema's object type overrides), and a task type with a workflow of its own.
    /// </summary>
    private void ObjectTypeSchemas(string[] objectTypes)
    {
        string[] context = ["Not started", "In progress", "On hold", "Omitted", "Completed"];
        foreach (var schema in objectTypes.Where(o => o != "Task"))
        {
            var id = Create("Schema", IdOf("schema:" + schema), new { project_schema_id = _projectSchema, type_id = ObjectTypeId(schema) });
            var statuses = schema switch
            {
                "AssetBuild" => ["Not started", "In progress", "Pending review", "Approved", "On hold", "Omitted"],
                "Milestone" => ["Not started", "Completed"],
                _ => context,
            };
            for (var i = 0; i < statuses.Length; i++)
                Create("SchemaStatus", "", new { schema_id = id, status_id = _statuses[statuses[i]], sort = i });
            if (schema != "AssetBuild")
                continue;
            string[] buildTypes = ["Character", "Prop", "Environment", "Matte Painting"];
            for (var i = 0; i < buildTypes.Length; i++)
            {
                _types[buildTypes[i]] = Create("Type", IdOf("type:" + buildTypes[i]), new { name = buildTypes[i], sort = 100 + i, is_billable = false, color = "#" + IdOf("color:" + buildTypes[i])[..6] });
                Create("SchemaType", "", new { schema_id = id, type_id = _types[buildTypes[i]], sort = i });
            }
        }
        // Editing tasks go through client review: a workflow overriding the task workflow for that type.
        var editorial = Create("WorkflowSchema", IdOf("workflow:editorial"), new { name = "Editorial workflow" });
        foreach (var name in new[] { "Not started", "In progress", "Client review", "Approved" })
            Create("WorkflowSchemaStatus", "", new { workflow_schema_id = editorial, status_id = _statuses[name] });
        Create("ProjectSchemaOverride", IdOf("override:editing"), new { project_schema_id = _projectSchema, type_id = _types["Editing"], workflow_schema_id = editorial });
    }

    private string ObjectTypeId(string schema) => _model.Types[schema].Classifiers.First(c => c.Column == "object_type_id").Value;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private void Studio()
    {
        foreach (var (user, first, last) in new[] { ("jane.doe", "Jane", "Doe"), ("john.smith", "John", "Smith"), ("akira.tanaka", "Akira", "Tanaka"), ("maria.garcia", "Maria", "Garcia") })
            _users[user] = Create("User", IdOf("user:" + user), new { username = user, first_name = first, last_name = last, email = user + "@studio.example", is_active = true, user_type_id = NormalUserTypeId });

        var sintel = Project("sintel_redux", "Sintel Redux", _epoch);
        var assets = Context("Folder", sintel, "Assets", null);
        foreach (var (group, names) in new[] { ("Characters", new[] { "Sintel", "Scales", "Shaman" }), ("Props", new[] { "Sword", "Bracelet" }) })
        {
            var folder = Context("Folder", assets, group, null);
            foreach (var name in names)
            {
                var build = Context("AssetBuild", folder, name, null);
                foreach (var task in new[] { "Modeling", "Rigging", "Texture" })
                    Task(build, task);
            }
        }
        foreach (var sequence in new[] { "SQ010", "SQ020", "SQ030" })
        {
            var sequenceId = Context("Sequence", sintel, sequence, "Sequence " + sequence[2..]);
            for (var shot = 1; shot <= 4; shot++)
            {
                var shotId = Context("Shot", sequenceId, $"{sequence}_SH{shot * 10:000}", $"Shot {shot * 10} of {sequence}");
                Task(shotId, "Animation");
                Task(shotId, "Lighting");
                var comp = Task(shotId, "Compositing");
                _compositingTasks.Add(comp);
                Versions(shotId, comp, $"{sequence}_SH{shot * 10:000}");
                if (shot % 2 == 1)
                    Note(shotId, "TypedContext", $"Camera move on {sequence} shot {shot * 10} needs to be smoother.");
            }
        }
        Context("Milestone", sintel, "Client review", null);

        var spring = Project("spring_commercial", "Spring Commercial", _epoch.AddDays(30));
        var episode = Context("Episode", spring, "EP01", "Launch spot");
        var sequenceSpring = Context("Sequence", episode, "SC01", null);
        for (var shot = 1; shot <= 3; shot++)
        {
            var shotId = Context("Shot", sequenceSpring, $"SC01_SH{shot * 10:000}", null);
            Task(shotId, "Tracking");
            var comp = Task(shotId, "Compositing");
            Versions(shotId, comp, $"SC01_SH{shot * 10:000}");
        }
        Create("Metadata", "", new { parent_id = sintel, parent_type = "Project", key = "client", value = "Blender Studio" });
        Create("Metadata", "", new { parent_id = spring, parent_type = "Project", key = "client", value = "Spring Drinks Ltd" });
        var plateShot = IdOf($"context:{IdOf($"context:{sintel}:SQ010")}:SQ010_SH010");
        Create("Metadata", "", new { parent_id = plateShot, parent_type = "Shot", key = "plate", value = "/mnt/plates/SQ010_SH010/plate.%04d.exr" });
        Create("Metadata", "", new { parent_id = plateShot, parent_type = "Shot", key = "camera", value = "ARRI Alexa 35" });
        CustomAttributes(sintel, spring);
        Lists(sintel);
    }

    /// <summary>
    /// What studio scripts read most: frame rate on projects and shots, frame ranges, a delivery
    /// flag on versions, a brief on tasks, a plate format choice, a due date, the handles every
    /// context inherits, a user's department and a list's lock; with values on some entities.
    /// </summary>
    private void CustomAttributes(string sintel, string spring)
    {
        var group = Create("CustomAttributeGroup", IdOf("customattributegroup:pipeline"), new { name = "Pipeline" });
        string Configuration(string key, string label, string type, string entityType, string? objectType, object? defaultValue, string config = "{}", bool hierarchical = false) =>
            Create("CustomAttributeConfiguration", IdOf($"customattribute:{entityType}:{objectType}:{key}"), new
            {
                key, label, type_id = CustomAttributeTypeId(type), entity_type = entityType, object_type_id = objectType == null ? null : ObjectTypeId(objectType),
                @default = defaultValue, config, is_hierarchical = hierarchical, group_id = group, sort = _sort++,
            });
        const string decimals = "{\"isdecimal\": true}";
        var showFps = Configuration("fps", "Frame rate", "number", "show", null, 24, decimals);
        var shotFps = Configuration("fps", "Frame rate", "number", "task", "Shot", 24, decimals);
        var start = Configuration("fstart", "Frame start", "number", "task", "Shot", 1001);
        var end = Configuration("fend", "Frame end", "number", "task", "Shot", 1100);
        var delivered = Configuration("delivered", "Delivered to client", "boolean", "assetversion", null, false);
        Configuration("brief", "Artist brief", "text", "task", "Task", "", "{\"markdown\": true}");
        // ftrack's clients send an enumerator's choices as a JSON text inside the config.
        var choices = JsonSerializer.Serialize(new[] { new { menu = "OpenEXR", value = "exr" }, new { menu = "DPX", value = "dpx" }, new { menu = "QuickTime", value = "mov" } });
        var format = Configuration("plate_format", "Plate format", "enumerator", "task", "Shot", new[] { "exr" }, JsonSerializer.Serialize(new { multiSelect = false, data = choices }));
        var due = Configuration("client_due", "Client due date", "date", "task", "Shot", null);
        var handles = Configuration("handles", "Handles", "number", "show", null, 0, hierarchical: true);
        Configuration("department", "Department", "text", "user", null, "");
        Configuration("locked", "Locked", "boolean", "list", null, false);

        void Value(string configuration, string entity, object value) =>
            _operations.Add(new JsonObject
            {
                ["action"] = "update", ["entity_type"] = "CustomAttributeValue", ["entity_key"] = new JsonArray(configuration, entity),
                ["entity_data"] = new JsonObject { ["__entity_type__"] = "CustomAttributeValue", ["value"] = JsonSerializer.SerializeToNode(value) },
            });
        Value(showFps, spring, 25);
        Value(handles, sintel, 8);
        var sq020 = IdOf($"context:{sintel}:SQ020");
        Value(handles, sq020, 12);
        var sq020Sh010 = IdOf($"context:{sq020}:SQ020_SH010");
        Value(handles, sq020Sh010, 4);
        foreach (var (sequence, shot, first, last) in new[] { ("SQ010", 10, 1001, 1096), ("SQ010", 20, 1001, 1148), ("SQ020", 10, 1009, 1180) })
        {
            var shotId = IdOf($"context:{IdOf($"context:{sintel}:{sequence}")}:{sequence}_SH{shot:000}");
            Value(start, shotId, first);
            Value(end, shotId, last);
        }
        var sc01 = IdOf($"context:{IdOf($"context:{IdOf($"context:{spring}:EP01")}:SC01")}:SC01_SH010");
        Value(shotFps, sc01, 25);
        Value(format, sc01, new[] { "mov" });
        Value(due, sc01, Date(_epoch.AddDays(40)));
        foreach (var version in _latestVersions.Take(4))
            Value(delivered, version, true);
        Value(IdOf("customattribute:user::department"), _users["jane.doe"], "Compositing");
    }

    /// <summary>A dailies list of compositing tasks and a client review list of versions.</summary>
    private void Lists(string sintel)
    {
        var dailies = Create("TypedContextList", IdOf("list:dailies"), new { name = "Dailies 2026-01-20", project_id = sintel, category_id = IdOf("listcategory:Default"), user_id = _users["jane.doe"], date = Date(_epoch.AddDays(15)) });
        foreach (var task in _compositingTasks.Take(4))
            Create("ListObject", IdOf($"listobject:{dailies}:{task}"), new { list_id = dailies, entity_id = task });
        var review = Create("AssetVersionList", IdOf("list:client-review"), new { name = "Client review 01", project_id = sintel, category_id = IdOf("listcategory:Client review"), user_id = _users["john.smith"], date = Date(_epoch.AddDays(20)) });
        foreach (var version in _latestVersions.Take(3))
            Create("ListObject", IdOf($"listobject:{review}:{version}"), new { list_id = review, entity_id = version });
    }

    private int _sort;
    private readonly List<string> _latestVersions = new();
    private readonly List<string> _compositingTasks = new();

    private string Project(string name, string fullName, DateTime start)
    {
        return Create("Project", IdOf("project:" + name), new
        {
            name, full_name = fullName, project_schema_id = _projectSchema, status = "active", is_global = false, is_private = false,
            root = "/mnt/projects/" + name, start_date = Date(start), end_date = Date(start.AddDays(120)), created_at = Date(start.AddDays(-7)),
        });
    }

    private string Context(string type, string parent, string name, string? description)
    {
        return Create(type, IdOf($"context:{parent}:{name}"), new
        {
            name, description, parent_id = parent, sort = _sort++, created_at = Date(_epoch.AddHours(_sort)),
            status_id = _statuses[Pick(new[] { "Not started", "In progress", "Completed" })],
        });
    }

    private string Task(string parent, string typeName)
    {
        var start = _epoch.AddDays(_random.Next(0, 60));
        var status = Pick(new[] { "Not started", "Ready to start", "In progress", "In progress", "Pending review", "Approved", "On hold" });
        var id = Create("Task", IdOf($"task:{parent}:{typeName}"), new
        {
            name = typeName.ToLowerInvariant(), parent_id = parent, type_id = _types[typeName], status_id = _statuses[status],
            priority_id = DefaultPriorityId, bid = _random.Next(1, 10) * 3600 * 8, sort = _sort++,
            start_date = Date(start), end_date = Date(start.AddDays(_random.Next(3, 15))), created_at = Date(_epoch.AddHours(_sort)),
        });
        var artist = Pick(_users.Keys.Where(u => u != "admin").ToList());
        Create("Appointment", IdOf("assignment:" + id), new { context_id = id, resource_id = _users[artist], type = "assignment" });
        for (var i = 0; i < _random.Next(0, 4); i++)
        {
            Create("Timelog", IdOf($"timelog:{id}:{i}"), new
            {
                context_id = id, user_id = _users[artist], start = Date(start.AddDays(i).AddHours(1)), duration = _random.Next(1, 8) * 3600, comment = "",
            });
        }
        return id;
    }

    private void Versions(string shot, string task, string name)
    {
        var asset = Create("Asset", IdOf("asset:" + shot), new { name = name + "_comp", context_id = shot, type_id = IdOf("assettype:render") });
        var count = _random.Next(1, 4);
        for (var v = 1; v <= count; v++)
        {
            var version = Create("AssetVersion", IdOf($"version:{asset}:{v}"), new
            {
                asset_id = asset, task_id = task, version = v, comment = v == 1 ? "First pass" : $"Addressed notes from v{v - 1}",
                status_id = _statuses[v == count ? "Pending review" : "Approved"], is_published = true,
                user_id = _users[Pick(_users.Keys.ToList())], date = Date(_epoch.AddDays(10 + v)),
            });
            var component = Create("FileComponent", IdOf("component:" + version), new { name = "main", version_id = version, file_type = ".exr", size = 1048576L * _random.Next(50, 400), system_type = "file" });
            Create("ComponentLocation", IdOf("componentlocation:" + component), new { component_id = component, location_id = UnmanagedLocationId, resource_identifier = $"/mnt/renders/{name}/v{v:000}/{name}.%04d.exr" });
            if (v == count)
            {
                _latestVersions.Add(version);
                Note(version, "AssetVersion", "Looks good, please check the edges on the left.");
            }
        }
    }

    private void Note(string parent, string parentType, string content)
    {
        var author = _users[Pick(_users.Keys.ToList())];
        var note = Create("Note", IdOf($"note:{parent}:{content}"), new
        {
            parent_id = parent, parent_type = parentType, content, user_id = author, category_id = IdOf("notecategory:Client feedback"), date = Date(_epoch.AddDays(12)),
        });
        Create("Note", IdOf($"reply:{note}"), new { parent_id = parent, parent_type = parentType, content = "On it.", user_id = _users["jane.doe"], in_reply_to_id = note, date = Date(_epoch.AddDays(13)) });
        // The thread is addressed to jane.doe (or, when she wrote it, john.smith); notes on versions are for the client.
        var recipient = _users[author == _users["jane.doe"] ? "john.smith" : "jane.doe"];
        Create("Recipient", "", new { note_id = note, resource_id = recipient });
        if (parentType == "AssetVersion")
            Create("NoteLabelLink", "", new { note_id = note, label_id = IdOf("notelabel:For client") });
    }
}
