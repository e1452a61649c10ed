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
        ["Component"] = "component", ["FileComponent"] = "component", ["ContainerComponent"] = "component", ["SequenceComponent"] = "component",
        // Labels are note categories in ftrack (both schemas alias NoteCategory): a label's id is a category's.
        ["NoteCategory"] = "note_category", ["NoteLabel"] = "note_category",
        // A link seen from its target is the same row.
        ["CustomAttributeLink"] = "custom_attribute_link", ["CustomAttributeLinkFrom"] = "custom_attribute_link",
    };

    private static readonly Dictionary<string, string> Supertype = new()
    {
        ["TypedContext"] = "Context", ["Project"] = "Context", ["User"] = "Resource",
        ["FileComponent"] = "Component", ["ContainerComponent"] = "Component", ["SequenceComponent"] = "ContainerComponent",
        ["TypedContextList"] = "List", ["AssetVersionList"] = "List",
    };

    /// <summary>
    /// The values of custom attributes of each kind of entity (ContextCustomAttributeValue, ...):
    /// one view over every entity and the configurations that apply to it (see CustomAttributeStore).
    /// </summary>
    private static bool IsCustomAttributeValue(string name) => name.EndsWith("CustomAttributeValue", StringComparison.Ordinal);

    /// <summary>The kind of entity a value type's entity_id names (the view's classifier), by type name.</summary>
    private static readonly Dictionary<string, string> ValueKinds = new()
    {
        ["ContextCustomAttributeValue"] = "context", ["AssetVersionCustomAttributeValue"] = "assetversion",
        ["AssetCustomAttributeValue"] = "asset", ["UserCustomAttributeValue"] = "user", ["ListCustomAttributeValue"] = "list",
    };

    /// <summary>A type an alias makes a classified member of another type's table (typed contexts of Task's, lists of List's).</summary>
    private static string? AliasTable(JsonObject schema) =>
        schema["alias_for"] is JsonObject alias && (string?)alias["id"] is { } id ? (id == "Task" ? "context" : Snake(id)) : null;

    /// <summary>Every typed context (Task, Shot, ...) is a TypedContext; every value type a CustomAttributeValue.</summary>
    private static EntityType? SupertypeOf(EntityModel model, EntityType type)
    {
        if (Supertype.TryGetValue(type.Name, out var name))
            return model.Find(name);
        if (IsCustomAttributeValue(type.Name) && type.Name != "CustomAttributeValue")
            return model.Find("CustomAttributeValue");
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
        // A recipient is a resource; "user" is the same resource seen as a User.
        [("Recipient", "recipient")] = "resource_id",
        [("Recipient", "user")] = "resource_id",
        [("SchemaStatus", "task_status")] = "status_id",
        [("SchemaType", "task_type")] = "type_id",
        [("CustomAttributeLinkConfiguration", "object_type_to")] = "object_type_id_to",
        [("List", "owner")] = "user_id",
        [("TypedContextList", "owner")] = "user_id",
        [("AssetVersionList", "owner")] = "user_id",
    };

    /// <summary>Scalars that are another attribute's column (both alias the same server column).</summary>
    private static readonly Dictionary<(string Type, string Attribute), string> ScalarColumns = new()
    {
        [("Schema", "object_type_id")] = "type_id",
    };

    /// <summary>Columns that exist only to hold a reference the schema exposes without an *_id attribute.</summary>
    private static readonly Dictionary<string, string[]> HiddenColumns = new()
    {
        ["Status"] = ["state_id"],
    };

    /// <summary>
    /// Many-to-many collections, by attribute and member type: the link table, its column naming
    /// the owner and its column naming the member. Tables that are no served type (context_scope,
    /// the security roles of a configuration) exist only as these links.
    /// </summary>
    private static readonly Dictionary<(string Attribute, string Target), (string Table, string Source, string Target)> LinkCollections = new()
    {
        [("object_types", "ObjectType")] = ("ProjectSchemaObjectType", "project_schema_id", "object_type_id"),
        [("project_schemas", "ProjectSchema")] = ("ProjectSchemaObjectType", "object_type_id", "project_schema_id"),
        [("statuses", "Status")] = ("WorkflowSchemaStatus", "workflow_schema_id", "status_id"),
        [("types", "Type")] = ("TaskTypeSchemaType", "task_type_schema_id", "type_id"),
        [("task_type_schemas", "TaskTypeSchema")] = ("TaskTypeSchemaType", "type_id", "task_type_schema_id"),
        // AssetVersionLink: "to" (version) uses "from" (linked_version).
        [("uses_versions", "AssetVersion")] = ("AssetVersionLink", "to_id", "from_id"),
        [("used_in_versions", "AssetVersion")] = ("AssetVersionLink", "from_id", "to_id"),
        [("items", "Task")] = ("ListObject", "list_id", "entity_id"),
        [("items", "AssetVersion")] = ("ListObject", "list_id", "entity_id"),
        [("lists", "TypedContextList")] = ("ListObject", "entity_id", "list_id"),
        [("lists", "AssetVersionList")] = ("ListObject", "entity_id", "list_id"),
        [("scopes", "Scope")] = ("ContextScope", "context_id", "scope_id"),
        [("read_security_roles", "SecurityRole")] = ("CustomAttributeReadRole", "configuration_id", "security_role_id"),
        [("write_security_roles", "SecurityRole")] = ("CustomAttributeWriteRole", "configuration_id", "security_role_id"),
    };

    /// <summary>Collections whose member column is not found by convention (two references back, or none).</summary>
    private static readonly Dictionary<(string Attribute, string Target), string> CollectionColumns = new()
    {
        [("incoming_links", "TypedContextLink")] = "to_id",
        [("outgoing_links", "TypedContextLink")] = "from_id",
        [("incoming_links", "AssetVersionLink")] = "to_id",
        [("outgoing_links", "AssetVersionLink")] = "from_id",
        [("custom_attribute_links", "CustomAttributeLink")] = "from_id",
        [("custom_attribute_links_from", "CustomAttributeLinkFrom")] = "to_id",
        [("metadata", "Metadata")] = "parent_id",
        [("notes", "Note")] = "parent_id",
        [("assets", "Asset")] = "context_id",
    };

    public static EntityModel Build(IReadOnlyList<JsonObject> schemas)
    {
        var model = new EntityModel();

        // Tables and types first, so relations can point at any type.
        foreach (var schema in schemas)
        {
            var name = (string)schema["id"]!;
            var tableName = TableOfType.TryGetValue(name, out var shared) ? shared
                : IsCustomAttributeValue(name) ? Storage.CustomAttributeStore.ValueView
                : AliasTable(schema) ?? Snake(name);
            if (!model.Tables.TryGetValue(tableName, out var table))
                model.Tables[tableName] = table = new TableDef { Name = tableName, IsView = tableName == Storage.CustomAttributeStore.ValueView };
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
        foreach (var type in model.Types.Values)
            AddRowClassifiers(type);
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
            var column = ScalarColumns.GetValueOrDefault((type.Name, name)) ?? name;
            type.Attributes[name] = new AttributeDef { Name = name, Kind = AttributeKind.Scalar, ScalarType = scalar, Column = column };
            if (!type.Table.Columns.ContainsKey(column))
                type.Table.Columns[column] = scalar;
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
        else if (type.Name == "SequenceComponent")
            type.Classifiers.Add(("system_type", "sequence"));
        else if (ValueKinds.TryGetValue(type.Name, out var kind))
        {
            // The kind is not an attribute: it is the view's own column (CustomAttributeStore).
            type.Classifiers.Add((Storage.CustomAttributeStore.KindColumn, kind));
            type.Table.Columns.TryAdd(Storage.CustomAttributeStore.KindColumn, ScalarType.String);
        }
        else if (type.Schema["alias_for"] is JsonObject alias && alias["classifiers"] is JsonObject classifiers)
        {
            if (type.IsContext)
                type.Classifiers.Add(("context_type", "task"));
            // The classifiers name server columns (object_typeid, entity): the attributes aliasing them hold them.
            foreach (var (column, value) in classifiers)
            {
                var attribute = type.Schema["properties"]!.AsObject().FirstOrDefault(p => (string?)p.Value!["alias_for"] == column).Key ?? column;
                type.Classifiers.Add((attribute, (string)value!));
            }
        }
    }

    /// <summary>
    /// The classifier sets of rows that are of a type: its own, and those of subtypes not implied by
    /// it (a SequenceComponent, "sequence", is a ContainerComponent, "container").
    /// </summary>
    private static void AddRowClassifiers(EntityType type)
    {
        if (type.Classifiers.Count == 0)
            return;
        type.RowClassifiers.Add(type.Classifiers);
        foreach (var member in type.Table.Members)
        {
            if (member != type && member.IsA(type) && member.Classifiers.Count > 0 && !type.Classifiers.All(member.Classifiers.Contains))
                type.RowClassifiers.Add(member.Classifiers);
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
        if (LinkCollections.TryGetValue((name, targetName), out var link))
            return new AttributeDef { Name = name, Kind = AttributeKind.Collection, Target = target, Shape = CollectionShape.LinkTable, LinkTable = Snake(link.Table), LinkSourceColumn = link.Source, LinkTargetColumn = link.Target };

        var targetColumn = name == "children" ? "parent_id"
            : name == "custom_attributes" && IsCustomAttributeValue(targetName) ? "entity_id"
            : CollectionColumns.GetValueOrDefault((name, targetName));
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
            // Else a key column named after the owner without a reference beside it (SchemaStatus.schema_id).
            else if (candidates.Count == 0)
                targetColumn = type.Lineage.Select(t => Snake(t) + "_id").FirstOrDefault(target.Table.Columns.ContainsKey);
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
            if ((string?)node!["format"] != "foreign_key" || type.Attributes.GetValueOrDefault(name) is not { Kind: AttributeKind.Scalar } scalar
                || type.ForeignKeys.Any(k => k.Column == scalar.Column))
                continue;
            var description = (string?)node["description"] ?? "";
            const string prefix = "Foreign key(s): ";
            if (!description.StartsWith(prefix, StringComparison.Ordinal) || model.Find(description[prefix.Length..].Split('.')[0]) is not { } target)
                continue;
            if (target.Table != type.Table || !type.PrimaryKey.Contains(name))
                type.ForeignKeys.Add(new ForeignKey(name, scalar.Column!, target, type.Required.Contains(name)));
        }
    }

    private static void AddProjectionLists(EntityType type)
    {
        var always = new List<string>();
        foreach (var key in type.PrimaryKey)
            always.Add(key);
        foreach (var projection in Strings(type.Schema["system_projections"]))
        {
            // System projections name server columns (showid, assetid, _casted_value for casted_value):
            // map them to attributes.
            var attribute = type.Attributes.ContainsKey(projection) && type.Attributes[projection].Kind == AttributeKind.Scalar
                ? projection
                : type.Schema["properties"]!.AsObject()
                    .Where(p => (string?)p.Value!["alias_for"] is { } alias && (alias == projection || "_" + alias == projection)
                        && type.Attributes.TryGetValue(p.Key, out var a) && a.Kind == AttributeKind.Scalar)
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
