using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Ftrack.Server.Api;
using Ftrack.Server.Encoding;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Query;

/// <summary>One loaded row as a computed attribute sees it: its key and the stored columns read with it.</summary>
internal readonly record struct ComputedRow(string Key, Func<string, object?> Column);

/// <summary>
/// What a computed attribute may read: the request's transaction, and for URLs the signer of
/// component URLs with the server's address as the client reached it (null while seeding).
/// </summary>
internal sealed record ComputeContext(PreparedCommands Sql, ComponentUrls? Urls = null, string? ServerUrl = null);

/// <summary>
/// An attribute this server computes when it is projected instead of storing it.
/// <see cref="Compute"/> answers one value per row, in the order given, with one query for all
/// rows; for an attribute with a target type (<c>latest_version</c>) the values are the keys of
/// the related entities, which the loader then loads like a reference.
/// </summary>
internal sealed record ComputedAttribute(
    string Name,
    Func<EntityType, bool> AppliesTo,
    Func<ComputeContext, IReadOnlyList<ComputedRow>, object?[]> Compute,
    string? NeedsColumn = null,
    Func<string, string>? FilterExpression = null);

/// <summary>
/// The one table of computed attributes: what each is, for which types, how it is loaded, and
/// how it is filtered on where that is possible. An attribute named here but projected on a type
/// it does not apply to (<c>link</c> of an AssetVersion) reads as null.
/// </summary>
internal static class ComputedAttributes
{
    private static readonly ComputedAttribute[] Table =
    [
        new("link", t => t.IsContext, Link, FilterExpression: LinkText),
        new("_link", t => t.IsContext, Link, FilterExpression: LinkText),
        new("link", t => t.Name == "AssetVersion", VersionLink),
        new("_link", t => t.Name == "AssetVersion", VersionLink),
        new("time_logged", t => t.IsContext, (context, rows) => TimeLogged(context.Sql, rows).Select(total => (object?)total).ToArray()),
        new("bid_time_logged_difference", t => t.IsContext, BidTimeLoggedDifference, NeedsColumn: "bid"),
        new("is_latest_version", t => t.Name == "AssetVersion", IsLatestVersion),
        new("latest_version", t => t.Name == "Asset", LatestVersion),
        // Signed URLs of the ftrack.server location (see ComponentUrls); null on other types.
        new("thumbnail_url", t => t.Attributes.ContainsKey("thumbnail_id"), ThumbnailUrl, NeedsColumn: "thumbnail_id"),
        new("thumbnail_url", _ => true, Nothing),
        new("url", t => t.Name == "ComponentLocation", ComponentLocationUrl),
        new("url", t => t.Name == "JobComponent", JobComponentUrl, NeedsColumn: "component_id"),
        new("url", _ => true, Nothing),
    ];

    /// <summary>Names the model treats as computed even where the schema does not say so.</summary>
    public static IEnumerable<string> Names => Table.Select(a => a.Name);

    /// <summary>How an attribute of this type is computed; null: it reads as null here.</summary>
    public static ComputedAttribute? Find(EntityType type, string name) =>
        Table.FirstOrDefault(a => a.Name == name && a.AppliesTo(type));

    private static object?[] Nothing(ComputeContext context, IReadOnlyList<ComputedRow> rows) => new object?[rows.Count];

    /// <summary>
    /// As a real server answers it: <c>{"url": ...}</c>, a signed URL of the thumbnail component,
    /// or of the default image (<c>/img/thumbnail2.png</c>) when the entity has none.
    /// </summary>
    private static object?[] ThumbnailUrl(ComputeContext context, IReadOnlyList<ComputedRow> rows) =>
        rows.Select(r => context.Urls == null ? null : (object?)new JsonObject
        {
            ["url"] = r.Column("thumbnail_id") is string thumbnail ? context.Urls.Thumbnail(context.ServerUrl, thumbnail) : context.Urls.DefaultThumbnail(context.ServerUrl),
        }).ToArray();

    /// <summary><c>{"value": ...}</c>, a signed download URL, for a component in the ftrack.server location; null in other locations.</summary>
    private static object?[] ComponentLocationUrl(ComputeContext context, IReadOnlyList<ComputedRow> rows)
    {
        if (context.Urls == null)
            return new object?[rows.Count];
        var stored = new Dictionary<string, string>();
        using (var reader = context.Sql.Get("SELECT id, resource_identifier FROM component_location WHERE id IN (SELECT value FROM json_each($0)) AND location_id = $1 AND resource_identifier IS NOT NULL",
                   KeysOf(rows), SeedData.ServerLocationId).ExecuteReader())
            while (reader.Read())
                stored[reader.GetString(0)] = reader.GetString(1);
        return rows.Select(r => stored.TryGetValue(r.Key, out var resource) && ComponentStore.IsValidId(resource)
            ? (object?)new JsonObject { ["value"] = context.Urls.Get(context.ServerUrl, resource) }
            : null).ToArray();
    }

    /// <summary>An encode job's output: <c>{"value": ...}</c>, the signed download URL of its component.</summary>
    private static object?[] JobComponentUrl(ComputeContext context, IReadOnlyList<ComputedRow> rows) =>
        rows.Select(r => context.Urls != null && r.Column("component_id") is string component && ComponentStore.IsValidId(component)
            ? (object?)new JsonObject { ["value"] = context.Urls.Get(context.ServerUrl, component) }
            : null).ToArray();

    private static string KeysOf(IReadOnlyList<ComputedRow> rows) => System.Text.Json.JsonSerializer.Serialize(rows.Select(r => r.Key).Distinct());

    /// <summary>The contexts from the project down to each row, as {id, name, type} items.</summary>
    private static object?[] Link(ComputeContext context, IReadOnlyList<ComputedRow> rows)
    {
        var sql = context.Sql;
        var links = ContextLinks(sql, KeysOf(rows));
        return rows.Select(r => (object?)(links.GetValueOrDefault(r.Key) ?? new List<LinkItem>())).ToArray();
    }

    /// <summary>The links of contexts (a JSON array of their ids), by context.</summary>
    private static Dictionary<string, List<LinkItem>> ContextLinks(PreparedCommands sql, string contextIds)
    {
        var links = new Dictionary<string, List<LinkItem>>();
        using var reader = sql.Get($"SELECT c.descendant_id, a.id, a.name, a.context_type FROM {Database.ClosureTable} c JOIN context a ON a.id = c.ancestor_id WHERE c.descendant_id IN (SELECT value FROM json_each($0)) ORDER BY c.descendant_id, c.depth DESC", contextIds).ExecuteReader();
        while (reader.Read())
        {
            var owner = reader.GetString(0);
            if (!links.TryGetValue(owner, out var list))
                links[owner] = list = new List<LinkItem>();
            list.Add(new LinkItem(reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) || reader.GetString(3) != "show" ? "TypedContext" : "Project"));
        }
        return links;
    }

    /// <summary>A version's link: its asset's context's link, then the asset, then the version ("v3").</summary>
    private static object?[] VersionLink(ComputeContext context, IReadOnlyList<ComputedRow> rows)
    {
        var sql = context.Sql;
        var versions = new Dictionary<string, (string? AssetId, string? AssetName, long? Version, string? ContextId)>();
        using (var reader = sql.Get("SELECT v.id, a.id, a.name, v.version, a.context_id FROM asset_version v LEFT JOIN asset a ON a.id = v.asset_id WHERE v.id IN (SELECT value FROM json_each($0))", KeysOf(rows)).ExecuteReader())
            while (reader.Read())
                versions[reader.GetString(0)] = (reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetString(4));
        var contexts = ContextLinks(sql, System.Text.Json.JsonSerializer.Serialize(versions.Values.Select(v => v.ContextId).OfType<string>().Distinct()));
        return rows.Select(r =>
        {
            var link = new List<LinkItem>();
            if (versions.TryGetValue(r.Key, out var version))
            {
                if (version.ContextId != null && contexts.TryGetValue(version.ContextId, out var above))
                    link.AddRange(above);
                if (version.AssetId != null)
                    link.Add(new LinkItem(version.AssetId, version.AssetName, "Asset"));
                link.Add(new LinkItem(r.Key, "v" + version.Version, "AssetVersion"));
            }
            return (object?)link;
        }).ToArray();
    }

    /// <summary>"link like '%SQ010%SH010%'": the link compares as its names from the project down, joined by " / ".</summary>
    private static string LinkText(string alias) =>
        $"(SELECT group_concat(name, ' / ') FROM (SELECT a.name AS name FROM {Database.ClosureTable} c JOIN context a ON a.id = c.ancestor_id WHERE c.descendant_id = {alias}.\"id\" ORDER BY c.depth DESC))";

    /// <summary>Seconds logged on each context (its own timelogs, as ftrack counts them).</summary>
    private static double[] TimeLogged(PreparedCommands sql, IReadOnlyList<ComputedRow> rows)
    {
        var logged = new Dictionary<string, double>();
        using (var reader = sql.Get("SELECT context_id, TOTAL(duration) FROM timelog WHERE context_id IN (SELECT value FROM json_each($0)) GROUP BY context_id", KeysOf(rows)).ExecuteReader())
            while (reader.Read())
                logged[reader.GetString(0)] = reader.GetDouble(1);
        return rows.Select(r => logged.GetValueOrDefault(r.Key)).ToArray();
    }

    private static object?[] BidTimeLoggedDifference(ComputeContext context, IReadOnlyList<ComputedRow> rows)
    {
        var sql = context.Sql;
        var logged = TimeLogged(sql, rows);
        return rows.Select((r, i) => (object?)((r.Column("bid") is { } bid ? Convert.ToDouble(bid, System.Globalization.CultureInfo.InvariantCulture) : 0) - logged[i])).ToArray();
    }

    private static object?[] IsLatestVersion(ComputeContext context, IReadOnlyList<ComputedRow> rows)
    {
        var sql = context.Sql;
        var latest = new Dictionary<string, bool>();
        using (var reader = sql.Get("SELECT v.id, v.version >= (SELECT MAX(w.version) FROM asset_version w WHERE w.asset_id = v.asset_id) FROM asset_version v WHERE v.id IN (SELECT value FROM json_each($0))", KeysOf(rows)).ExecuteReader())
            while (reader.Read())
                latest[reader.GetString(0)] = !reader.IsDBNull(1) && reader.GetInt64(1) != 0;
        return rows.Select(r => (object?)latest.GetValueOrDefault(r.Key, true)).ToArray();
    }

    /// <summary>The key of each asset's highest version.</summary>
    private static object?[] LatestVersion(ComputeContext context, IReadOnlyList<ComputedRow> rows)
    {
        var sql = context.Sql;
        var latest = new Dictionary<string, string>();
        using (var reader = sql.Get("SELECT v.asset_id, v.id FROM asset_version v WHERE v.asset_id IN (SELECT value FROM json_each($0)) AND v.version = (SELECT MAX(w.version) FROM asset_version w WHERE w.asset_id = v.asset_id)", KeysOf(rows)).ExecuteReader())
            while (reader.Read())
                latest[reader.GetString(0)] = reader.GetString(1);
        return rows.Select(r => (object?)latest.GetValueOrDefault(r.Key)).ToArray();
    }
}
