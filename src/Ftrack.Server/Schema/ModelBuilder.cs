using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Ftrack.Server.Query;

namespace Ftrack.Server.Schema;

/// <summary>
/// Derives tables, columns and relations from the served schemas. The schemas name a
/// reference's target type but not the column that holds it, nor which column of the other
/// side a collection follows: the conventions and the few exceptions are spelled out here.
/// </summary>
internal static class ModelBuilder
{
    /// <summary>Types that share one table, told apart by classifiers, as ftrack stores them.</summary>
    private static readonly Dictionary<string, string> TableOfType = new()
    {
        ["Context"] = "context", ["TypedContext"] = "context", ["Project"] = "context",
        ["Resource"] = "resource", ["User"] = "resource",
        ["Component"] = "component", ["FileComponent"] = "component", ["ContainerComponent"] = "component",
    };

    private static readonly Dictionary<string, string> Supertype = new()
    {
        ["TypedContext"] = "Context", ["Project"] = "Context", ["User"] = "Resource",
        ["FileComponent"] = "Component", ["ContainerComponent"] = "Component",
    };

    /// <summary>Typed contexts are stored as ftrack's Task table, classified by object type.</summary>
    private static bool IsTypedContext(JsonObject schema) =>
        schema["alias_for"] is JsonObject alias && (string?)alias["id"] == "Task";

    /// <summary>Every typed context (Task, Shot, ...) is a TypedContext.</summary>
    private static EntityType? SupertypeOf(EntityModel model, EntityType type)
    {
        if (Supertype.TryGetValue(type.Name, out var name))
            return model.Find(name);
        return type.IsContext && type.Name != "Context" ? model.Find("TypedContext") : null;
    }

    private static readonly HashSet<string> AbstractTypes = ["Context", "TypedContext", "Resource"];

    /// <summary>References whose foreign key column is not "&lt;name&gt;_id".</summary>
    private static readonly Dictionary<(string Type, string Attribute), string> ReferenceColumns = new()
    {
        [("Note", "author")] = "user_id",
        [("Note", "in_reply_to")] = "in_reply_to_id",
        [("Asset", "parent")] = "context_id",
        [("ProjectSchema", "_task_workflow")] = "task_workflow_schema_id",
        [("ProjectSchema", "_version_workflow")] = "asset_version_workflow_schema_id",
        [("ProjectSchema", "_task_type_schema")] = "task_type_schema_id",
        // Status has no state_id attribute: the key lives in a column clients never see.
        [("Status", "state")] = "state_id",
    };

    /// <summary>Columns that exist only to hold a reference the schema exposes without an *_id attribute.</summary>
    private static readonly Dictionary<string, string[]> HiddenColumns = new()
    {
        ["Status"] = ["state_id"],
    };

    private static readonly Dictionary<string, (string Table, string Source, string Target)> LinkCollections = new()
    {
        ["ProjectSchema.object_types"] = ("ProjectSchemaObjectType", "project_schema_id", "object_type_id"),
        ["ObjectType.project_schemas"] = ("ProjectSchemaObjectType", "object_type_id", "project_schema_id"),
        ["WorkflowSchema.statuses"] = ("WorkflowSchemaStatus", "workflow_schema_id", "status_id"),
        ["TaskTypeSchema.types"] = ("TaskTypeSchemaType", "task_type_schema_id", "type_id"),
        ["Type.task_type_schemas"] = ("TaskTypeSchemaType", "type_id", "task_type_schema_id"),
    };

    public static EntityModel Build(IReadOnlyList<JsonObject> schemas)
    {
        var model = new EntityModel();

        // Tables and types first, so relations can point at any type.
        foreach (var schema in schemas)
        {
            var name = (string)schema["id"]!;
            var tableName = TableOfType.TryGetValue(name, out var shared) ? shared : IsTypedContext(schema) ? "context" : Snake(name);
            if (!model.Tables.TryGetValue(tableName, out var table))
                model.Tables[tableName] = table = new TableDef { Name = tableName };
            var type = new EntityType { Name = name, Schema = schema, Table = table, IsAbstract = AbstractTypes.Contains(name) };
            table.Members.Add(type);
            model.Types[name] = type;
        }
        foreach (var type in model.Types.Values)
            for (var t = type; t != null; t = SupertypeOf(model, t))
                type.Lineage.Add(t.Name);

        foreach (var type in model.Types.Values)
            AddScalarsAndKeys(type);
        foreach (var type in model.Types.Values)
            AddClassifiers(type);
        // References first: collections are found through the references of their member type.
        foreach (var type in model.Types.Values)
            AddRelations(model, type, references: true);
        foreach (var type in model.Types.Values)
            AddRelations(model, type, references: false);
        foreach (var table in model.Tables.Values)
        {
            table.ClassifiedMembers.AddRange(table.Members.Where(m => m.Classifiers.Count > 0).OrderByDescending(m => m.Classifiers.Count));
            table.ClassifierColumns.UnionWith(table.Members.SelectMany(m => m.Classifiers).Select(c => c.Column));
            table.BaseType = table.Members.FirstOrDefault(m => m.Classifiers.Count == 0) ?? table.Members[0];
            table.PrimaryKey.AddRange(table.Members[0].PrimaryKey);
        }
        foreach (var type in model.Types.Values)
        {
            AddProjectionLists(type);
            AddForeignKeys(model, type);
        }
        return model;
    }

    private static void AddScalarsAndKeys(EntityType type)
    {
        var schema = type.Schema;
        var computed = Strings(schema["computed"]).ToHashSet();
        foreach (var (name, node) in schema["properties"]!.AsObject())
        {
            var prop = node!.AsObject();
            if (prop["$ref"] != null || prop["items"] != null)
                continue;
            if (computed.Contains(name) || ComputedAttributes.Names.Contains(name) || (string?)prop["type"] == "object")
            {
                type.Attributes[name] = new AttributeDef { Name = name, Kind = AttributeKind.Computed };
                continue;
            }
            var scalar = ScalarOf(prop);
            type.Attributes[name] = new AttributeDef { Name = name, Kind = AttributeKind.Scalar, ScalarType = scalar, Column = name };
            if (!type.Table.Columns.ContainsKey(name))
                type.Table.Columns[name] = scalar;
        }
        foreach (var hidden in HiddenColumns.GetValueOrDefault(type.Name) ?? [])
            type.Table.Columns.TryAdd(hidden, ScalarType.String);
        type.PrimaryKey.AddRange(Strings(schema["primary_key"]));
        if (type.PrimaryKey.Count == 0)
            type.PrimaryKey.Add("id");
        type.Required.UnionWith(Strings(schema["required"]));
        type.Immutable.UnionWith(Strings(schema["immutable"]));
        type.DefaultProjections.AddRange(Strings(schema["default_projections"]));
    }

    private static void AddClassifiers(EntityType type)
    {
        if (type.Name == "Project")
            type.Classifiers.Add(("context_type", "show"));
        else if (type.Name == "TypedContext")
            type.Classifiers.Add(("context_type", "task"));
        else if (type.Name == "User")
            type.Classifiers.Add(("resource_type", "user"));
        else if (type.Name == "FileComponent")
            type.Classifiers.Add(("system_type", "file"));
        else if (type.Name == "ContainerComponent")
            type.Classifiers.Add(("system_type", "container"));
        else if (type.IsContext && type.Schema["alias_for"] is JsonObject alias && alias["classifiers"] is JsonObject classifiers)
        {
            type.Classifiers.Add(("context_type", "task"));
            foreach (var (column, value) in classifiers)
                type.Classifiers.Add((column == "object_typeid" ? "object_type_id" : column, (string)value!));
        }
    }

    private static void AddRelations(EntityModel model, EntityType type, bool references)
    {
        foreach (var (name, node) in type.Schema["properties"]!.AsObject())
        {
            var prop = node!.AsObject();
            if (prop["$ref"] is JsonNode refNode)
            {
                if (references)
                    type.Attributes[name] = ResolveReference(model, type, name, (string)refNode!);
            }
            else if (!references && prop["items"] is JsonObject items && items["$ref"] is JsonNode itemRef)
                type.Attributes[name] = ResolveCollection(model, type, name, (string)itemRef!);
        }
    }

    private static AttributeDef ResolveReference(EntityModel model, EntityType type, string name, string targetName)
    {
        var target = model.Find(targetName);
        // A reference the server computes (latest_version) has no column: the computed table loads it.
        if (target != null && ComputedAttributes.Names.Contains(name))
            return new AttributeDef { Name = name, Kind = AttributeKind.Computed, Target = target };
        var column = ReferenceColumns.GetValueOrDefault((type.Name, name)) ?? name + "_id";
        if (target == null || !type.Table.Columns.ContainsKey(column))
            return new AttributeDef { Name = name, Kind = AttributeKind.Unsupported, Target = target };
        return new AttributeDef { Name = name, Kind = AttributeKind.Reference, Column = column, Target = target };
    }

    private static AttributeDef ResolveCollection(EntityModel model, EntityType type, string name, string targetName)
    {
        var target = model.Find(targetName);
        if (target == null)
            return new AttributeDef { Name = name, Kind = AttributeKind.Unsupported };
        if (type.IsContext && name is "ancestors" or "descendants")
            return new AttributeDef { Name = name, Kind = AttributeKind.Collection, Target = target, Shape = name == "ancestors" ? CollectionShape.Ancestors : CollectionShape.Descendants };
        if (LinkCollections.TryGetValue(type.Name + "." + name, out var link))
            return new AttributeDef { Name = name, Kind = AttributeKind.Collection, Target = target, Shape = CollectionShape.LinkTable, LinkTable = Snake(link.Table), LinkSourceColumn = link.Source, LinkTargetColumn = link.Target };

        string? targetColumn = (name, targetName) switch
        {
            ("children", _) => "parent_id",
            ("notes", "Note") => "parent_id",
            ("metadata", "Metadata") => "parent_id",
            ("assets", "Asset") => "context_id",
            _ => null,
        };
        (string, string)? filter = null;
        if (targetName == "Appointment")
        {
            targetColumn = type.IsContext ? "context_id" : "resource_id";
            filter = name switch { "assignments" => ("type", "assignment"), "allocations" => ("type", "allocation"), _ => null };
        }
        if (targetColumn == null)
        {
            // Convention: the member type has exactly one reference back to this type (or a supertype).
            var candidates = target.Attributes.Values
                .Where(a => a.Kind == AttributeKind.Reference && a.Target != null && type.Lineage.Contains(a.Target.Name))
                .ToList();
            if (candidates.Count == 1)
                targetColumn = candidates[0].Column;
        }
        if (targetColumn == null || !target.Table.Columns.ContainsKey(targetColumn))
            return new AttributeDef { Name = name, Kind = AttributeKind.Unsupported, Target = target };
        return new AttributeDef { Name = name, Kind = AttributeKind.Collection, Target = target, Shape = CollectionShape.ForeignKeyOnTarget, TargetColumn = targetColumn, MemberFilter = filter };
    }

    /// <summary>
    /// A reference's column, or a scalar the schema describes as "Foreign key(s): Type.id" with no
    /// reference beside it (the link tables). The key of a subtype's row naming its base row
    /// (FileComponent.id) is the row itself, not a foreign key.
    /// </summary>
    private static void AddForeignKeys(EntityModel model, EntityType type)
    {
        foreach (var attribute in type.Attributes.Values.Where(a => a.Kind == AttributeKind.Reference))
            type.ForeignKeys.Add(new ForeignKey(attribute.Name, attribute.Column!, attribute.Target!, type.Required.Contains(attribute.Column!)));
        foreach (var (name, node) in type.Schema["properties"]!.AsObject())
        {
            if ((string?)node!["format"] != "foreign_key" || type.ForeignKeys.Any(k => k.Column == name)
                || type.Attributes.GetValueOrDefault(name) is not { Kind: AttributeKind.Scalar })
                continue;
            var description = (string?)node["description"] ?? "";
            const string prefix = "Foreign key(s): ";
            if (!description.StartsWith(prefix, StringComparison.Ordinal) || model.Find(description[prefix.Length..].Split('.')[0]) is not { } target)
                continue;
            if (target.Table != type.Table || !type.PrimaryKey.Contains(name))
                type.ForeignKeys.Add(new ForeignKey(name, name, target, type.Required.Contains(name)));
        }
    }

    private static void AddProjectionLists(EntityType type)
    {
        var always = new List<string>();
        foreach (var key in type.PrimaryKey)
            always.Add(key);
        foreach (var projection in Strings(type.Schema["system_projections"]))
        {
            // System projections name server columns (showid, assetid): map them to attributes.
            var attribute = type.Attributes.ContainsKey(projection) && type.Attributes[projection].Kind == AttributeKind.Scalar
                ? projection
                : type.Schema["properties"]!.AsObject()
                    .Where(p => (string?)p.Value!["alias_for"] == projection && type.Attributes.TryGetValue(p.Key, out var a) && a.Kind == AttributeKind.Scalar)
                    .Select(p => p.Key).FirstOrDefault();
            if (attribute != null)
                always.Add(attribute);
        }
        foreach (var (column, _) in type.Classifiers)
            if (type.Attributes.TryGetValue(column, out var a) && a.Kind == AttributeKind.Scalar)
                always.Add(column);
        type.AlwaysProjected.AddRange(always.Distinct());
    }

    private static ScalarType ScalarOf(JsonObject prop)
    {
        if ((string?)prop["format"] == "date-time")
            return ScalarType.DateTime;
        return (string?)prop["type"] switch
        {
            "integer" => ScalarType.Integer,
            "number" => ScalarType.Number,
            "boolean" => ScalarType.Boolean,
            "variable" => ScalarType.Variable,
            _ => ScalarType.String,
        };
    }

    private static IEnumerable<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => (string)n!) : [];

    /// <summary>ProjectSchemaObjectType → project_schema_object_type.</summary>
    public static string Snake(string name)
    {
        var chars = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
                chars.Append('_');
            chars.Append(char.ToLowerInvariant(name[i]));
        }
        return chars.ToString();
    }
}
