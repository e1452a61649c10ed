namespace Ftrack.Server.Storage;

/// <summary>
/// Where custom attribute values live. Values that were set are rows of <see cref="StoreTable"/>
/// (configuration, entity, JSON value). Clients read them through <see cref="ValueView"/>, the
/// table of every *CustomAttributeValue type: one row for every entity and every configuration
/// that applies to it, as ftrack's values are dense (an entity has a value for each of its
/// attributes, the configuration's default until one is set). A hierarchical attribute without
/// a value of its own takes the nearest one above it: an asset version's asset, then the
/// contexts from the asset's parent up to the project.
/// </summary>
internal static class CustomAttributeStore
{
    public const string StoreTable = "custom_attribute_store";

    public const string ValueView = "custom_attribute_value";

    /// <summary>The view's column telling which kind of entity a value belongs to (ContextCustomAttributeValue: context).</summary>
    public const string KindColumn = "entity_kind";

    /// <summary>The kinds, by the legacy names ftrack's configurations use for entity types.</summary>
    private const string Context = "context", AssetVersion = "assetversion", Asset = "asset", User = "user", List = "list";

    public const string StoreDdl =
        $"CREATE TABLE IF NOT EXISTS {StoreTable} (configuration_id TEXT NOT NULL, entity_id TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (configuration_id, entity_id));\n"
        + $"CREATE INDEX IF NOT EXISTS ix_{StoreTable}_entity ON {StoreTable} (entity_id);\n";

    /// <summary>The stored value of configuration c for an entity (SQL NULL when none was set).</summary>
    private static string Own(string entity) =>
        $"(SELECT s.value FROM {StoreTable} s WHERE s.configuration_id = c.id AND s.entity_id = {entity})";

    /// <summary>The nearest stored value of c on a context or one of its ancestors.</summary>
    private static string Inherited(string context) =>
        $"(SELECT s.value FROM {Database.ClosureTable} cl JOIN {StoreTable} s ON s.entity_id = cl.ancestor_id AND s.configuration_id = c.id WHERE cl.descendant_id = {context} ORDER BY cl.depth LIMIT 1)";

    /// <summary>Configurations in scope of a project: global ones and the project's own.</summary>
    private static string InProject(string projectId) => $"(c.project_id IS NULL OR c.project_id = {projectId})";

    private const string ViewColumns = "configuration_id, entity_id, \"key\", value, " + KindColumn + ", rowid";

    /// <summary>
    /// Every value, one arm per kind of entity. rowid orders the rows by kind, entity and
    /// configuration (creation order), so an entity's values come in the order they were configured.
    /// </summary>
    public static string ViewDdl =>
        $"DROP VIEW IF EXISTS {ValueView};\n"
        + $"CREATE VIEW {ValueView} ({ViewColumns}) AS\n"
        + $"SELECT c.id, e.id, c.\"key\", COALESCE(CASE WHEN c.is_hierarchical = 1 THEN {Inherited("e.id")} ELSE {Own("e.id")} END, c.\"default\"), '{Context}', (e.rowid << 20) + c.rowid\n"
        + "FROM context e JOIN custom_attribute_configuration c ON " + InProject("e.project_id")
        + " AND (c.is_hierarchical = 1 OR (c.entity_type = 'show' AND e.context_type = 'show') OR (c.entity_type = 'task' AND e.context_type = 'task' AND c.object_type_id = e.object_type_id))\n"
        + "UNION ALL\n"
        + $"SELECT c.id, e.id, c.\"key\", COALESCE({Own("e.id")}, CASE WHEN c.is_hierarchical = 1 THEN COALESCE({Own("a.id")}, {Inherited("a.context_id")}) END, c.\"default\"), '{AssetVersion}', (1 << 58) + (e.rowid << 20) + c.rowid\n"
        + "FROM asset_version e LEFT JOIN asset a ON a.id = e.asset_id LEFT JOIN context p ON p.id = a.context_id JOIN custom_attribute_configuration c ON "
        + InProject("p.project_id") + $" AND (c.is_hierarchical = 1 OR c.entity_type = '{AssetVersion}')\n"
        + "UNION ALL\n"
        + $"SELECT c.id, e.id, c.\"key\", COALESCE({Own("e.id")}, CASE WHEN c.is_hierarchical = 1 THEN {Inherited("e.context_id")} END, c.\"default\"), '{Asset}', (2 << 58) + (e.rowid << 20) + c.rowid\n"
        + "FROM asset e LEFT JOIN context p ON p.id = e.context_id JOIN custom_attribute_configuration c ON "
        + InProject("p.project_id") + $" AND (c.is_hierarchical = 1 OR c.entity_type = '{Asset}')\n"
        + "UNION ALL\n"
        + $"SELECT c.id, e.id, c.\"key\", COALESCE({Own("e.id")}, c.\"default\"), '{User}', (3 << 58) + (e.rowid << 20) + c.rowid\n"
        + $"FROM resource e JOIN custom_attribute_configuration c ON c.entity_type = '{User}' AND c.is_hierarchical = 0 WHERE e.resource_type = 'user'\n"
        + "UNION ALL\n"
        + $"SELECT c.id, e.id, c.\"key\", COALESCE({Own("e.id")}, c.\"default\"), '{List}', (4 << 58) + (e.rowid << 20) + c.rowid\n"
        + $"FROM \"list\" e JOIN custom_attribute_configuration c ON c.entity_type = '{List}' AND c.is_hierarchical = 0 AND " + InProject("e.project_id") + ";\n";
}
