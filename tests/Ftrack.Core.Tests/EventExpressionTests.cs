using System.Text.Json;
using Ftrack.Core.Events;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>
/// Subscription and target expressions as ftrack's Python client parses and matches them
/// (ftrack_api.event.expression): the same class decides on the server which connections get an
/// event, and in the module which subscriptions see it.
/// </summary>
public sealed class EventExpressionTests
{
    private static readonly JsonElement Update = JsonDocument.Parse("""
        {"topic": "ftrack.update", "data": {"kind": "plate", "count": 7, "name": "Jane Doe", "flag": true},
         "source": {"user": {"username": "jane.doe"}, "id": "hub-1"}}
        """).RootElement;

    [Theory]
    [InlineData("topic=ftrack.update", true)]
    [InlineData("topic=ftrack.action.launch", false)]
    [InlineData("topic=ftrack.*", true)]
    [InlineData("topic=*update", false)]         // only a trailing star is a wildcard
    [InlineData("topic=update*", true)]          // ftrack's wildcard: "contains what comes before the star"
    [InlineData("topic=other.*", false)]
    [InlineData("topic!=ftrack.update", false)]
    [InlineData("source.user.username=\"jane.doe\"", true)]
    [InlineData("source.user.username='jane.doe'", true)]
    [InlineData("data.name=\"Jane Doe\"", true)]
    [InlineData("topic=ftrack.update and data.kind=plate", true)]
    [InlineData("topic=ftrack.update and data.kind=edit", false)]
    [InlineData("data.kind=edit or data.kind=plate", true)]
    [InlineData("topic=x or topic=ftrack.update and data.kind=plate", true)]   // and binds tighter than or
    [InlineData("(topic=x or topic=ftrack.update) and data.kind=edit", false)]
    [InlineData("not data.kind=edit", true)]
    [InlineData("NOT data.kind=plate", false)]
    [InlineData("topic=ftrack.update AND data.kind=plate", true)]
    [InlineData("data.missing=x", false)]         // a key the event lacks never matches
    [InlineData("data.missing!=x", false)]
    [InlineData("data.count>5", true)]
    [InlineData("data.count>=7", true)]
    [InlineData("data.count<7", false)]
    [InlineData("data.count=7", true)]
    [InlineData("data.flag=true", false)]         // Python compares True with "true": unequal
    [InlineData("data.kind>plat", true)]          // text orders by code point
    public void MatchesAsFtrackDoes(string expression, bool expected)
    {
        var parsed = EventExpression.Parse(expression);
        Assert.Equal(expected, parsed.Matches(Update));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("topic=", 6)]
    [InlineData("topic=ftrack.update and", 23)]  // where the missing condition should be
    [InlineData("topic ftrack.update", 6)]
    [InlineData("(topic=a", 8)]
    [InlineData("data.name=\"unterminated", 10)]
    [InlineData("topic=a topic=b", 8)]
    public void ReportsWhereAnExpressionDoesNotParse(string expression, int position)
    {
        Assert.Null(EventExpression.TryParse(expression, out var error));
        Assert.NotNull(error);
        Assert.Equal(position, error!.Position);
        Assert.Contains("position " + (position + 1), error.Message);
        Assert.EndsWith("^", error.Pointer);
    }

    [Fact]
    public void ATargetMatchesSubscriberMetadata()
    {
        var subscriber = EventJson.ToElement(new Dictionary<string, object?> { ["id"] = "abc123", ["name"] = "farm" });
        Assert.True(EventExpression.Parse("id=abc123").Matches(subscriber));
        Assert.True(EventExpression.Parse("name=farm and id=abc123").Matches(subscriber));
        Assert.False(EventExpression.Parse("name=desk").Matches(subscriber));
    }

    [Fact]
    public void EventsRoundTripThroughTheirPacketWithIntegersKept()
    {
        var sent = new FtrackEvent("studio.test", new Dictionary<string, object?> { ["n"] = 42, ["ratio"] = 0.5, ["items"] = new List<object?> { "a", 1L }, ["when"] = new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc) })
        {
            Target = "id=abc",
            InReplyToEvent = "e0",
        };
        var packet = System.Text.Encoding.UTF8.GetString(EventJson.EventPacket(sent, 7));
        Assert.StartsWith("5:7+::", packet);
        var args = JsonDocument.Parse(packet[6..]).RootElement.GetProperty("args")[0];
        Assert.Equal("e0", args.GetProperty("inReplyToEvent").GetString());
        var received = EventJson.Read(args);
        Assert.Equal(sent.Id, received.Id);
        Assert.Equal(42L, received.Data["n"]);
        Assert.Equal(0.5, received.Data["ratio"]);
        Assert.Equal(new List<object?> { "a", 1L }, received.Data["items"]);
        Assert.Equal("2026-12-01T10:00:00Z", received.Data["when"]);
        Assert.Equal("id=abc", received.Target);
    }
}
