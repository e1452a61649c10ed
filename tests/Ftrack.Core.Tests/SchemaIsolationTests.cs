using Ftrack.Core.Entities;
using Ftrack.Core.Operations;
using Ftrack.Core.Tests.Support;
using Ftrack.Core.Transport;
using Ftrack.Core.Writes;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>
/// Entity shapes and primary keys belong to one server's schemas (issue #16): two sessions to
/// servers that key the same type differently each decode, merge and reference it their own way.
/// </summary>
public class SchemaIsolationTests
{
    // Server A keys Link by "id"; server B keys it by the pair (from_id, to_id).
    private const string SchemasById = "[{\"id\":\"Link\",\"properties\":{\"id\":{\"type\":\"string\",\"default\":\"{uid}\"},\"from_id\":{\"type\":\"string\"},\"to_id\":{\"type\":\"string\"},\"label\":{\"type\":\"string\"}},\"primary_key\":[\"id\"]}]";
    private const string SchemasByPair = "[{\"id\":\"Link\",\"properties\":{\"from_id\":{\"type\":\"string\"},\"to_id\":{\"type\":\"string\"},\"label\":{\"type\":\"string\"}},\"primary_key\":[\"from_id\",\"to_id\"]}]";

    // Two rows that are two entities when keyed by id, and one entity (seen twice) when keyed by the pair.
    private const string Rows =
        "{\"action\":\"query\",\"data\":[" +
        "{\"__entity_type__\":\"Link\",\"id\":\"1\",\"from_id\":\"a\",\"to_id\":\"b\",\"label\":\"first\"}," +
        "{\"__entity_type__\":\"Link\",\"id\":\"2\",\"from_id\":\"a\",\"to_id\":\"b\",\"label\":\"second\"}" +
        "],\"metadata\":{\"next\":{\"offset\":null}}}";

    private static FtrackSession Connect(string schemas, string host) =>
        TestSessions.Create(new FakeServer { SchemasJson = schemas, Query = _ => Rows }.Handler(), server: new Uri("https://" + host + "/"));

    [Fact]
    public void Two_sessions_with_different_schemas_keep_their_own_keys_in_any_order()
    {
        using var byPair = Connect(SchemasByPair, "b.test");
        using var byId = Connect(SchemasById, "a.test");
        // Interleaved, so a process-wide table would hold whichever schema loaded last.
        byPair.Connect();
        byId.Connect();
        var pairRows = byPair.Query("select label from Link").Data;
        var idRows = byId.Query("select label from Link").Data;
        byPair.Connect();

        Assert.Equal(new[] { "id" }, byId.GetSchemas().Shapes.For("Link").PrimaryKey);
        Assert.Equal(new[] { "from_id", "to_id" }, byPair.GetSchemas().Shapes.For("Link").PrimaryKey);
        // By id: two entities. By the pair: one entity, merged (the later row's label wins).
        Assert.NotSame(idRows[0], idRows[1]);
        Assert.Same(pairRows[0], pairRows[1]);
        Assert.Equal("second", ((FtrackEntity)pairRows[0]!).GetValue("label"));
        Assert.NotSame(((FtrackEntity)idRows[0]!).Shape, ((FtrackEntity)pairRows[0]!).Shape);
    }

    [Fact]
    public void Writes_address_entities_by_their_own_servers_key()
    {
        var bodies = new List<string>();
        FakeHandler Recording(string schemas) => new(r =>
        {
            if (r.Actions.Contains("update")) { bodies.Add(r.BodyText); return Responses.Json("[{\"action\":\"update\",\"data\":{}}]"); }
            return Responses.Json(new FakeServer { SchemasJson = schemas, Query = _ => Rows }.Respond(r));
        });
        using var byPair = TestSessions.Create(Recording(SchemasByPair), server: new Uri("https://b.test/"));
        using var byId = TestSessions.Create(Recording(SchemasById), server: new Uri("https://a.test/"));
        var pairLink = (FtrackEntity)byPair.Query("select label from Link").Data[0]!;
        var idLink = (FtrackEntity)byId.Query("select label from Link").Data[0]!;

        WriteExecutor.Execute(byPair, new FtrackOperation[] { WritePlanner.PlanUpdate(byPair, pairLink, new Dictionary<string, object?> { ["label"] = "x" }) });
        WriteExecutor.Execute(byId, new FtrackOperation[] { WritePlanner.PlanUpdate(byId, idLink, new Dictionary<string, object?> { ["label"] = "y" }) });

        Assert.Contains("\"entity_key\":[\"a\",\"b\"]", bodies[0]);
        Assert.Contains("\"entity_key\":[\"1\"]", bodies[1]);
    }
}
