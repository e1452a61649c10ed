using System.Text.Json;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Query;

/// <summary>
/// Runs an aggregate query and writes its result as ftrack does: plain rows (no entity type)
/// keyed by the grouped paths and the aggregates, <c>{"count_id": 4, "status_id": "..."}</c>,
/// paged like any query. A real server answers aggregates only under the strict API.
/// </summary>
internal static class AggregateQuery
{
    public static void Write(Utf8JsonWriter json, PreparedCommands sql, EntityModel model, ParsedQuery query, string expression, bool strict)
    {
        if (!strict)
            throw QueryParser.Error(expression, "aggregate functions and group by are only available with the strict API (send the header ftrack-strict-api: true)");
        var compiled = SqlCompiler.CompileAggregate(model, query);
        var offset = query.Offset ?? 0;
        // One row beyond the page tells whether another page exists.
        var text = compiled.Sql + $" LIMIT {(query.Limit is { } limit ? limit + 1 : -1)} OFFSET {offset}";
        json.WriteStartObject();
        json.WriteString("action", "query");
        json.WriteStartArray("data");
        long rows = 0;
        var more = false;
        using (var reader = sql.Get(text, [.. compiled.Parameters]).ExecuteReader())
        {
            while (reader.Read())
            {
                if (query.Limit is { } pageSize && rows == pageSize)
                {
                    more = true;
                    break;
                }
                rows++;
                json.WriteStartObject();
                for (var i = 0; i < compiled.Columns.Count; i++)
                {
                    json.WritePropertyName(compiled.Columns[i].Name);
                    ValueCodec.Write(json, reader.IsDBNull(i) ? null : reader.GetValue(i), compiled.Columns[i].Type);
                }
                json.WriteEndObject();
            }
        }
        json.WriteEndArray();
        json.WriteStartObject("metadata");
        json.WriteStartObject("next");
        if (more && rows > 0) json.WriteNumber("offset", offset + rows); else json.WriteNull("offset");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
