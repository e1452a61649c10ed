using System.Globalization;
using System.Text;
using System.Text.Json;
using Ftrack.Core.Entities;
using Ftrack.Core.Json;
using Ftrack.Core.Operations;
using Ftrack.Core.Schema;
using Ftrack.Core.Tests.Support;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>The decoder on every response a real server recorded.</summary>
public class DecoderFixtureTests
{
    public static TheoryData<string> AllFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var name in Fixtures.All()) data.Add(name);
        return data;
    }

    [Fact]
    public void Fixture_folder_holds_the_recorded_responses()
    {
        // Guards the theory below against silently running over nothing.
        Assert.True(Fixtures.All().Count() >= 14, "fixtures found in " + Fixtures.Directory + ": " + string.Join(", ", Fixtures.All()));
    }

    [Theory]
    [MemberData(nameof(AllFixtures))]
    public void Every_recorded_response_decodes_through_the_session(string name)
    {
        var body = Fixtures.BodyFor(name);
        var operations = Fixtures.OperationsFor(name);
        var handler = new FakeHandler(_ => Responses.Json(body));
        using var session = TestSessions.Create(handler);
        var results = session.Call(operations, new Transport.CallOptions { Context = new DecodeContext(DateTimeKind.Utc) });

        Assert.Single(handler.Requests);
        Assert.Equal(operations.Select(o => o.Action), handler.Requests[0].Actions);
        Assert.Equal(operations.Length, results.Length);

        using var doc = JsonDocument.Parse(body);
        var check = new JsonAssert(DateTimeKind.Utc);
        for (var i = 0; i < operations.Length; i++)
        {
            var json = doc.RootElement[i];
            switch (operations[i].ResultShape)
            {
                case ResultShape.RawJson:
                    var raw = Assert.IsType<RawJsonResult>(results[i]);
                    Assert.Equal(json.GetRawText(), Encoding.UTF8.GetString(raw.Json));
                    break;
                case ResultShape.Query:
                    var result = Assert.IsType<QueryResult>(results[i]);
                    var data = json.GetProperty("data");
                    Assert.Equal(data.GetArrayLength(), result.Data.Count);
                    check.Matches(data, result.Data, "$[" + i + "].data");
                    var next = json.GetProperty("metadata").GetProperty("next").GetProperty("offset");
                    Assert.Equal(next.ValueKind == JsonValueKind.Null ? null : next.GetInt32(), result.NextOffset);
                    break;
                default:
                    check.Matches(json, results[i], "$[" + i + "]");
                    break;
            }
        }
    }

    [Fact]
    public void Second_row_status_reference_is_the_first_rows_status_with_its_attributes()
    {
        using var doc = Fixtures.Json(Fixtures.StatusState2);
        var rows = Decode.QueryRows(Fixtures.AsBody(Fixtures.StatusState2), new DecodeContext(DateTimeKind.Utc));
        Assert.Equal(2, rows.Count);
        var first = Assert.IsType<FtrackEntity>(rows[0]);
        var second = Assert.IsType<FtrackEntity>(rows[1]);
        Assert.NotSame(first, second);

        var firstStatus = Assert.IsType<FtrackEntity>(first["status"]);
        var secondStatus = Assert.IsType<FtrackEntity>(second["status"]);
        Assert.Same(firstStatus, secondStatus);

        // The second row's JSON carries only the reference; the decoded status is expanded.
        var secondJson = doc.RootElement.GetProperty("data")[1].GetProperty("status");
        Assert.False(secondJson.TryGetProperty("state", out _));
        var firstStateJson = doc.RootElement.GetProperty("data")[0].GetProperty("status").GetProperty("state");
        var state = Assert.IsType<FtrackEntity>(secondStatus["state"]);
        Assert.Equal("State", state.EntityType);
        Assert.Equal(firstStateJson.GetProperty("short").GetString(), state["short"]);
        Assert.Equal(firstStateJson.GetProperty("id").GetString(), state["id"]);
        Assert.False(secondStatus.IsLoaded("__entity_type__"));
    }

    [Fact]
    public void Cyclic_asset_versions_close_the_cycle_on_the_row_itself()
    {
        using var doc = Fixtures.Json(Fixtures.CyclicVersions);
        var rows = Decode.QueryRows(Fixtures.AsBody(Fixtures.CyclicVersions), new DecodeContext(DateTimeKind.Utc));
        var version = Assert.IsType<FtrackEntity>(Assert.Single(rows));
        var asset = Assert.IsType<FtrackEntity>(version["asset"]);
        var versions = Assert.IsAssignableFrom<IList<object?>>(asset["versions"]);
        var versionsJson = doc.RootElement.GetProperty("data")[0].GetProperty("asset").GetProperty("versions");
        Assert.Equal(versionsJson.GetArrayLength(), versions.Count);

        var self = versions.OfType<FtrackEntity>().Single(v => Equals(v["id"], version["id"]));
        Assert.Same(version, self);
        // The cycle: row → asset → versions → row.
        Assert.Same(asset, ((FtrackEntity)((IList<object?>)((FtrackEntity)self["asset"]!)["versions"]!)[0]!)["asset"]);

        var i = 0;
        foreach (var vJson in versionsJson.EnumerateArray())
        {
            var decoded = Assert.IsType<FtrackEntity>(versions[i++]);
            Assert.Equal(vJson.GetProperty("id").GetString(), decoded["id"]);
            foreach (var member in vJson.EnumerateObject().Where(m => m.Name != "__entity_type__"))
            {
                Assert.True(decoded.TryGetValue(member.Name, out var value), member.Name + " missing on version " + decoded);
                if (member.Value.ValueKind == JsonValueKind.Number) Assert.Equal(member.Value.GetInt32(), value);
                else Assert.Equal(member.Value.GetString(), value);
            }
        }
        // The row itself keeps its own attributes (version 1) although its reference came first.
        Assert.Equal(doc.RootElement.GetProperty("data")[0].GetProperty("version").GetInt32(), version["version"]);
        Assert.Equal(versionsJson.GetArrayLength(), versions.Distinct().Count());
    }

    [Theory]
    [InlineData(DateTimeKind.Utc)]
    [InlineData(DateTimeKind.Unspecified)]
    public void Created_at_decodes_to_a_DateTime_of_the_contexts_kind(DateTimeKind kind)
    {
        using var doc = Fixtures.Json(Fixtures.TaskCreatedAt);
        var text = doc.RootElement.GetProperty("data")[0].GetProperty("created_at").GetProperty("value").GetString()!;
        var expected = DateTime.ParseExact(text, "yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture);

        var row = Assert.IsType<FtrackEntity>(Assert.Single(Decode.QueryRows(Fixtures.AsBody(Fixtures.TaskCreatedAt), new DecodeContext(kind))));
        var createdAt = Assert.IsType<DateTime>(row["created_at"]);
        Assert.Equal(expected.Ticks, createdAt.Ticks);
        Assert.Equal(kind, createdAt.Kind);
    }

    [Theory]
    [InlineData(DateTimeKind.Utc)]
    [InlineData(DateTimeKind.Unspecified)]
    public void Date_values_decode_to_midnight_without_a_zone(DateTimeKind kind)
    {
        var rows = Decode.QueryRows(Decode.QueryBody(
            "{\"__entity_type__\":\"Task\",\"id\":\"d-1\",\"start_date\":{\"__type__\":\"date\",\"value\":\"2026-02-28\"},"
            + "\"end_date\":{\"value\":\"2024-02-29\",\"__type__\":\"date\"},\"due\":{\"__type__\":\"datetime\",\"value\":null}}"), new DecodeContext(kind));
        var task = Assert.IsType<FtrackEntity>(Assert.Single(rows));
        var start = Assert.IsType<DateTime>(task["start_date"]);
        Assert.Equal(new DateTime(2026, 2, 28), start);
        Assert.Equal(DateTimeKind.Unspecified, start.Kind);
        Assert.Equal(new DateTime(2024, 2, 29), Assert.IsType<DateTime>(task["end_date"]));
        Assert.True(task.IsLoaded("due"));
        Assert.Null(task["due"]);
    }

    [Fact]
    public void Invalid_datetime_value_is_reported_not_swallowed()
    {
        var body = Decode.QueryBody("{\"__entity_type__\":\"Task\",\"id\":\"bad\",\"created_at\":{\"__type__\":\"datetime\",\"value\":\"2026-13-01T00:00:00\"}}");
        Assert.ThrowsAny<JsonException>(() => Decode.QueryRows(body, new DecodeContext(DateTimeKind.Utc)));
    }

    // Regression: an escaped "value" once decoded to null.
    [Fact]
    public void Escaped_datetime_value_still_decodes()
    {
        var body = Decode.QueryBody("{\"__entity_type__\":\"Task\",\"id\":\"esc\",\"created_at\":{\"__type__\":\"datetime\",\"value\":\"2022\\u002d10-10T10:12:09\"}}");
        var task = Assert.IsType<FtrackEntity>(Assert.Single(Decode.QueryRows(body, new DecodeContext(DateTimeKind.Utc))));
        Assert.Equal(new DateTime(2022, 10, 10, 10, 12, 9, DateTimeKind.Utc), task["created_at"]);
    }

    [Fact]
    public void Plain_strings_that_look_like_dates_stay_strings()
    {
        var rows = Decode.QueryRows(Decode.QueryBody("{\"__entity_type__\":\"Note\",\"id\":\"n-1\",\"content\":\"2022-10-10T10:12:09\",\"meta\":{\"value\":\"2022-10-10\"}}"),
            new DecodeContext(DateTimeKind.Utc));
        var note = Assert.IsType<FtrackEntity>(Assert.Single(rows));
        Assert.Equal("2022-10-10T10:12:09", note["content"]);
        Assert.Equal("2022-10-10", Assert.IsAssignableFrom<IDictionary<string, object?>>(note["meta"])["value"]);
    }

    [Fact]
    public void Unknown_entity_types_decode_and_merge()
    {
        var registry = SchemaRegistry.Parse(Fixtures.Bytes(Fixtures.Schemas));
        Assert.Null(registry.Find("Frobnicator"));
        var rows = Decode.QueryRows(Decode.QueryBody(
            "{\"__entity_type__\":\"Frobnicator\",\"id\":\"f-1\",\"size\":3,\"parts\":[{\"__entity_type__\":\"Widget\",\"id\":7,\"w\":true}]},"
            + "{\"id\":\"f-2\",\"twin\":{\"__entity_type__\":\"Frobnicator\",\"id\":\"f-1\"},\"__entity_type__\":\"Frobnicator\"}"),
            new DecodeContext(DateTimeKind.Utc, registry));
        var f1 = Assert.IsType<FtrackEntity>(rows[0]);
        var f2 = Assert.IsType<FtrackEntity>(rows[1]);
        Assert.Equal("Frobnicator", f1.EntityType);
        Assert.Equal(3, f1["size"]);
        Assert.Same(f1, f2["twin"]);
        var widget = Assert.IsType<FtrackEntity>(Assert.Single(Assert.IsAssignableFrom<IList<object?>>(f1["parts"])));
        Assert.Equal("Widget", widget.EntityType);
        Assert.Equal(true, widget["w"]);
    }

    [Fact]
    public void Composite_primary_keys_merge_only_when_every_part_matches()
    {
        using var schemas = Fixtures.Json(Fixtures.Schemas);
        var metadataJson = schemas.RootElement.EnumerateArray().Single(s => s.GetProperty("id").GetString() == "Metadata");
        var expectedKey = metadataJson.GetProperty("primary_key").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.True(expectedKey.Length > 1, "Metadata is expected to have a composite key in the fixture");

        var registry = SchemaRegistry.Parse(Fixtures.Bytes(Fixtures.Schemas));
        Assert.Equal(expectedKey, registry.Find("Metadata")!.PrimaryKey);
        var context = new DecodeContext(DateTimeKind.Utc, registry);

        string Row(string parent, string key, string? value) =>
            "{\"__entity_type__\":\"Metadata\",\"" + expectedKey[0] + "\":\"" + parent + "\",\"" + expectedKey[1] + "\":\"" + key + "\""
            + (value is null ? "" : ",\"value\":\"" + value + "\"") + "}";
        var rows = Decode.QueryRows(Decode.QueryBody(string.Join(",",
            Row("p1", "k1", "v1"),
            Row("p1", "k2", "v2"),
            Row("p2", "k1", "v3"),
            Row("p1", "k1", null), // a reference to the first
            Row("p1\\u001fk1", "", "v5"), // must not collide with (p1, k1) through the join separator either
            "{\"__entity_type__\":\"Metadata\",\"" + expectedKey[0] + "\":\"p1\",\"value\":\"partial\"}")), context);

        var entities = rows.Cast<FtrackEntity>().ToArray();
        Assert.Same(entities[0], entities[3]);
        Assert.Equal("v1", entities[3]["value"]);
        Assert.NotSame(entities[0], entities[1]);
        Assert.NotSame(entities[0], entities[2]);
        Assert.NotSame(entities[1], entities[2]);
        Assert.Equal("v2", entities[1]["value"]);
        Assert.Equal("v3", entities[2]["value"]);
        // A row missing a key part is kept on its own, not merged into anything.
        Assert.DoesNotContain(entities[5], entities.Take(5));
        Assert.Equal("partial", entities[5]["value"]);
        Assert.Equal("v1", entities[0]["value"]);
    }

    [Fact]
    public void Composite_key_parts_containing_the_separator_do_not_collide()
    {
        var registry = SchemaRegistry.Parse(Fixtures.Bytes(Fixtures.Schemas));
        var key = registry.Find("Metadata")!.PrimaryKey;
        var context = new DecodeContext(DateTimeKind.Utc, registry);
        var rows = Decode.QueryRows(Decode.QueryBody(
            "{\"__entity_type__\":\"Metadata\",\"" + key[0] + "\":\"a\\u001fb\",\"" + key[1] + "\":\"c\",\"value\":\"1\"},"
            + "{\"__entity_type__\":\"Metadata\",\"" + key[0] + "\":\"a\",\"" + key[1] + "\":\"b\\u001fc\",\"value\":\"2\"}"), context);
        Assert.NotSame(rows[0], rows[1]);
    }

    [Fact]
    public void Query_schemas_parses_to_a_registry_matching_the_fixture()
    {
        using var doc = Fixtures.Json(Fixtures.Schemas);
        var registry = SchemaRegistry.Parse(Fixtures.Bytes(Fixtures.Schemas));
        Assert.Equal(doc.RootElement.GetArrayLength(), registry.EntityTypeNames.Count);
        Assert.Equal(116, registry.EntityTypeNames.Count); // what the fixture README states
        Assert.Equal(registry.EntityTypeNames.OrderBy(n => n, StringComparer.Ordinal), registry.EntityTypeNames);

        foreach (var schemaJson in doc.RootElement.EnumerateArray())
        {
            var id = schemaJson.GetProperty("id").GetString()!;
            var schema = registry.Find(id);
            Assert.NotNull(schema);
            Assert.Same(schema, registry.Find(id.ToUpperInvariant(), ignoreCase: true));
            var pk = schemaJson.TryGetProperty("primary_key", out var p) ? p.EnumerateArray().Select(e => e.GetString()).ToArray() : new[] { "id" };
            Assert.Equal(pk, schema!.PrimaryKey);
            Assert.Equal(pk, registry.Shapes.For(id).PrimaryKey);
            Assert.Equal(schemaJson.GetProperty("properties").EnumerateObject().Count(), schema.Attributes.Count);
        }

        var task = doc.RootElement.EnumerateArray().Single(s => s.GetProperty("id").GetString() == "Task");
        var taskSchema = registry.Find("Task")!;
        string[] Strings(string name) => task.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(Strings("default_projections"), taskSchema.DefaultProjections);
        Assert.Equal(Strings("system_projections"), taskSchema.SystemProjections);
        Assert.Equal(Strings("required"), taskSchema.Required);
        Assert.Equal(Strings("immutable"), taskSchema.Immutable);
        Assert.Equal(Strings("computed"), taskSchema.Computed);
        Assert.Equal(task.GetProperty("alias_for").GetProperty("id").GetString(), taskSchema.AliasFor);
        var status = task.GetProperty("properties").GetProperty("status");
        Assert.Equal(status.GetProperty("$ref").GetString(), taskSchema.Attributes["status"].Reference);
        Assert.True(taskSchema.Attributes["status"].IsReference);
        var managers = task.GetProperty("properties").GetProperty("managers");
        Assert.Equal(managers.GetProperty("items").GetProperty("$ref").GetString(), taskSchema.Attributes["managers"].ItemsReference);
        Assert.True(taskSchema.IsImmutable("created_at"));
        Assert.Equal("date-time", taskSchema.Attributes["created_at"].Format);
        var idDefault = task.GetProperty("properties").GetProperty("id").GetProperty("default").GetString();
        Assert.True(taskSchema.Attributes["id"].HasDefault);
        Assert.Equal(idDefault, taskSchema.Attributes["id"].Default);
    }

    [Fact]
    public void Batch_of_server_information_and_schemas_decodes_both()
    {
        using var doc = Fixtures.Json(Fixtures.ServerInformationAndSchemas);
        var results = Decode.Body(Fixtures.Bytes(Fixtures.ServerInformationAndSchemas),
            new FtrackOperation[] { new QueryServerInformationOperation(), new QuerySchemasOperation() }, new DecodeContext(DateTimeKind.Unspecified));
        var info = new Transport.ServerInformation(Assert.IsAssignableFrom<IDictionary<string, object?>>(results[0]));
        Assert.Equal(doc.RootElement[0].GetProperty("schema_hash").GetString(), info.SchemaHash);
        Assert.Equal(doc.RootElement[0].GetProperty("version").GetString(), info.Version);
        Assert.Equal(doc.RootElement[0].GetProperty("is_timezone_support_enabled").GetBoolean(), info.IsTimezoneSupportEnabled);
        var storage = Assert.IsAssignableFrom<IDictionary<string, object?>>(info.Values["storage_scenario"]);
        Assert.Equal(doc.RootElement[0].GetProperty("storage_scenario").GetProperty("scenario").GetString(), storage["scenario"]);

        var raw = Assert.IsType<RawJsonResult>(results[1]);
        Assert.Equal(doc.RootElement[1].GetRawText(), Encoding.UTF8.GetString(raw.Json));
        Assert.Equal(doc.RootElement[1].GetArrayLength(), SchemaRegistry.Parse(raw.Json).EntityTypeNames.Count);
    }

    [Fact]
    public void Rows_of_one_response_share_identity_across_operations_of_a_batch()
    {
        var body = "[" + Fixtures.Text(Fixtures.StatusState1) + "," + Fixtures.Text(Fixtures.StatusState2) + "]";
        var results = Decode.Body(body, new FtrackOperation[] { new QueryOperation("a"), new QueryOperation("b") }, new DecodeContext(DateTimeKind.Utc));
        var a = Assert.IsType<QueryResult>(results[0]).Data;
        var b = Assert.IsType<QueryResult>(results[1]).Data;
        Assert.Same(a[0], b[0]);
        Assert.Same(((FtrackEntity)a[0]!)["status"], ((FtrackEntity)b[1]!)["status"]);
    }

    [Fact]
    public void Wrong_number_of_results_is_a_protocol_error()
    {
        var one = Fixtures.AsBody(Fixtures.TaskName);
        Assert.Throws<FtrackProtocolException>(() => Decode.Body(one, new FtrackOperation[] { new QueryOperation("a"), new QueryOperation("b") }, new DecodeContext(DateTimeKind.Utc)));
        var two = "[" + Fixtures.Text(Fixtures.TaskName) + "," + Fixtures.Text(Fixtures.TaskName) + "]";
        Assert.Throws<FtrackProtocolException>(() => Decode.Body(two, new FtrackOperation[] { new QueryOperation("a") }, new DecodeContext(DateTimeKind.Utc)));
    }

    [Fact]
    public void Numbers_decode_to_int_long_and_double()
    {
        var rows = Decode.QueryRows(Decode.QueryBody("{\"__entity_type__\":\"Num\",\"id\":\"n\",\"a\":5,\"b\":-129,\"c\":3000000000,\"d\":1.5,\"e\":1e3,\"f\":-0.25,\"g\":2147483647}"),
            new DecodeContext(DateTimeKind.Utc));
        var n = Assert.IsType<FtrackEntity>(Assert.Single(rows));
        Assert.Equal(5, Assert.IsType<int>(n["a"]));
        Assert.Equal(-129, Assert.IsType<int>(n["b"]));
        Assert.Equal(3000000000L, Assert.IsType<long>(n["c"]));
        Assert.Equal(1.5, Assert.IsType<double>(n["d"]));
        Assert.Equal(1000d, Convert.ToDouble(n["e"], CultureInfo.InvariantCulture));
        Assert.Equal(-0.25, Assert.IsType<double>(n["f"]));
        Assert.Equal(int.MaxValue, Assert.IsType<int>(n["g"]));
    }

    [Fact]
    public void Repeated_numbers_and_dates_share_one_box_and_keep_their_types()
    {
        var date = "{\"__type__\":\"datetime\",\"value\":\"2026-11-28T10:39:00\"}";
        var rows = Decode.QueryRows(Decode.QueryBody(
            "{\"__entity_type__\":\"Num\",\"id\":\"a\",\"bid\":3600,\"w\":2.5,\"big\":3000000000,\"start\":" + date + "}," +
            "{\"__entity_type__\":\"Num\",\"id\":\"b\",\"bid\":3600,\"w\":2.5,\"big\":3000000000,\"start\":" + date + "}"),
            new DecodeContext(DateTimeKind.Utc));
        var a = (FtrackEntity)rows[0]!;
        var b = (FtrackEntity)rows[1]!;
        foreach (var name in new[] { "bid", "w", "big", "start" }) Assert.Same(a[name], b[name]);
        Assert.IsType<int>(a["bid"]);
        Assert.IsType<double>(a["w"]);
        Assert.IsType<long>(a["big"]);
        Assert.Equal(new DateTime(2026, 11, 28, 10, 39, 0, DateTimeKind.Utc), Assert.IsType<DateTime>(a["start"]));
    }
}
