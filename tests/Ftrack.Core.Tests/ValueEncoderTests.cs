using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ftrack.Core.Entities;
using Ftrack.Core.Json;
using Ftrack.Core.Schema;
using Ftrack.Core.Tests.Support;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>How client values are written for the server.</summary>
public class ValueEncoderTests
{
    internal static string Encode(object? value, bool serverUsesUtc = true)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) new ValueEncoder(serverUsesUtc).WriteValue(writer, value);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static Dictionary<string, string> Members(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());
    }

    /// <summary>Independent of FtrackDates: the naive wire text of a wall-clock value.</summary>
    internal static string Naive(DateTime d)
    {
        var s = d.Year.ToString("D4", CultureInfo.InvariantCulture) + "-" + d.Month.ToString("D2", CultureInfo.InvariantCulture) + "-" + d.Day.ToString("D2", CultureInfo.InvariantCulture)
            + "T" + d.Hour.ToString("D2", CultureInfo.InvariantCulture) + ":" + d.Minute.ToString("D2", CultureInfo.InvariantCulture) + ":" + d.Second.ToString("D2", CultureInfo.InvariantCulture);
        var subSecond = d.Ticks % TimeSpan.TicksPerSecond;
        return subSecond == 0 ? s : s + "." + (subSecond / 10).ToString("D6", CultureInfo.InvariantCulture);
    }

    private static string DateJson(string naive) => "{\"__type__\":\"datetime\",\"value\":\"" + naive + "\"}";

    [Fact]
    public void Entity_is_written_as_a_reference_with_its_primary_key_only()
    {
        var task = new FtrackEntity("Task");
        task["name"] = "comp";
        task["id"] = "3f2a-task";
        task["status"] = new FtrackEntity("Status") { ["id"] = "st-1" };
        task["created_at"] = DateTime.UtcNow;
        Assert.Equal(new Dictionary<string, string> { ["__entity_type__"] = "Task", ["id"] = "3f2a-task" }, Members(Encode(task)));
    }

    [Fact]
    public void Composite_key_entity_reference_carries_every_key_part()
    {
        var registry = SchemaRegistry.Parse(Fixtures.Bytes(Fixtures.Schemas));
        var key = registry.Find("Metadata")!.PrimaryKey;
        var metadata = new FtrackEntity(registry.Shapes.For("Metadata")) { ["value"] = "v" };
        foreach (var part in key) metadata[part] = "part-" + part;
        var expected = new Dictionary<string, string> { ["__entity_type__"] = "Metadata" };
        foreach (var part in key) expected[part] = "part-" + part;
        Assert.Equal(expected, Members(Encode(metadata)));
    }

    [Fact]
    public void Entity_without_its_key_cannot_be_referenced()
    {
        var error = Assert.Throws<FtrackEncodingException>(() => Encode(new FtrackEntity("Task") { ["name"] = "no id" }));
        Assert.Contains("Task", error.Message);
        Assert.Contains("id", error.Message);
        Assert.Throws<FtrackEncodingException>(() => Encode(new FtrackEntity("Task") { ["id"] = null }));
    }

    [Fact]
    public void Hashtable_with_an_entity_type_is_a_reference()
    {
        var table = new Hashtable { ["__entity_type__"] = "Task", ["Id"] = "t-1", ["name"] = "ignored" };
        Assert.Equal(new Dictionary<string, string> { ["__entity_type__"] = "Task", ["id"] = "t-1" }, Members(Encode(table)));
        var ignoreCase = new Hashtable(StringComparer.OrdinalIgnoreCase) { ["__entity_type__"] = "Task", ["ID"] = "t-2" };
        Assert.Equal("t-2", Members(Encode(ignoreCase))["id"]);
        Assert.Throws<FtrackEncodingException>(() => Encode(new Hashtable { ["__entity_type__"] = "Task", ["name"] = "x" }));
        Assert.Throws<FtrackEncodingException>(() => Encode(new Hashtable { ["__entity_type__"] = "", ["id"] = "x" }));
    }

    [Fact]
    public void Plain_dictionaries_and_lists_are_written_in_full_with_entities_as_references()
    {
        var project = new FtrackEntity("Project") { ["id"] = "p-1", ["name"] = "Big" };
        var value = new Dictionary<string, object?>
        {
            ["a"] = 1,
            ["b"] = new List<object?> { "x", null, true, project },
            ["c"] = new Hashtable { ["nested"] = 2.5 },
        };
        using var doc = JsonDocument.Parse(Encode(value));
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("a").GetInt32());
        var b = root.GetProperty("b");
        Assert.Equal("x", b[0].GetString());
        Assert.Equal(JsonValueKind.Null, b[1].ValueKind);
        Assert.True(b[2].GetBoolean());
        Assert.Equal(new Dictionary<string, string> { ["__entity_type__"] = "Project", ["id"] = "p-1" }, Members(b[3].GetRawText()));
        Assert.Equal(2.5, root.GetProperty("c").GetProperty("nested").GetDouble());
    }

    [Theory]
    [InlineData("2026-11-28T10:39:00")]
    [InlineData("2026-11-28")]
    [InlineData("2026-11-28 10:39")]
    public void Strings_that_look_like_dates_stay_strings(string text)
    {
        Assert.Equal(JsonSerializer.Serialize(text), Encode(text));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_numbers_are_refused(double value)
    {
        var error = Assert.Throws<FtrackEncodingException>(() => Encode(value));
        Assert.Equal("Ftrack.InvalidValue", error.ErrorId);
        Assert.Throws<FtrackEncodingException>(() => Encode((float)value));
        Assert.Throws<FtrackEncodingException>(() => Encode(new List<object?> { 1, value }));
    }

    [Fact]
    public void Numbers_and_simple_values_keep_their_meaning()
    {
        Assert.Equal("42", Encode(42));
        Assert.Equal("-9000000000", Encode(-9_000_000_000L));
        Assert.Equal("18446744073709551615", Encode(ulong.MaxValue));
        Assert.Equal("7", Encode((short)7));
        Assert.Equal("255", Encode((byte)255));
        Assert.Equal("4294967295", Encode(uint.MaxValue));
        Assert.Equal("1.25", Encode(1.25m));
        Assert.Equal(0.1, JsonDocument.Parse(Encode(0.1)).RootElement.GetDouble());
        Assert.Equal("1.5", Encode(1.5f));
        Assert.Equal("true", Encode(true));
        Assert.Equal("null", Encode(null));
        var guid = Guid.NewGuid();
        Assert.Equal("\"" + guid + "\"", Encode(guid));
        Assert.Equal("\"Friday\"", Encode(DayOfWeek.Friday));
    }

    [Fact]
    public void Unknown_types_and_cycles_are_refused()
    {
        Assert.Throws<FtrackEncodingException>(() => Encode(new object()));
        var cycle = new List<object?>();
        cycle.Add(cycle);
        Assert.Throws<FtrackEncodingException>(() => Encode(cycle));
    }


    [Fact]
    public void Entity_data_is_written_in_full_with_references_inside()
    {
        var status = new FtrackEntity("Status") { ["id"] = "st-9", ["name"] = "Done" };
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            new ValueEncoder(true).WriteEntityData(writer, "Task", new Dictionary<string, object?>
            {
                ["__entity_type__"] = "Ignored",
                ["name"] = "shot 10",
                ["status"] = status,
                ["bid"] = 3600,
            });
        using var doc = JsonDocument.Parse(buffer.ToArray());
        Assert.Equal("Task", doc.RootElement.GetProperty("__entity_type__").GetString());
        Assert.Equal("shot 10", doc.RootElement.GetProperty("name").GetString());
        Assert.Equal(3600, doc.RootElement.GetProperty("bid").GetInt32());
        Assert.Equal(new Dictionary<string, string> { ["__entity_type__"] = "Status", ["id"] = "st-9" }, Members(doc.RootElement.GetProperty("status").GetRawText()));
        Assert.Equal(4, doc.RootElement.EnumerateObject().Count());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1234567L)]
    [InlineData(5_000_000L)]
    public void Utc_and_unspecified_datetimes_are_written_naive_as_given_to_a_utc_server(long subSecondTicks)
    {
        var wall = new DateTime(2026, 3, 4, 5, 6, 7).AddTicks(subSecondTicks);
        Assert.Equal(DateJson(Naive(wall)), Encode(DateTime.SpecifyKind(wall, DateTimeKind.Utc), serverUsesUtc: true));
        Assert.Equal(DateJson(Naive(wall)), Encode(DateTime.SpecifyKind(wall, DateTimeKind.Unspecified), serverUsesUtc: true));
        // And to a server without timezone support, local and unspecified values are its wall clock.
        Assert.Equal(DateJson(Naive(wall)), Encode(DateTime.SpecifyKind(wall, DateTimeKind.Unspecified), serverUsesUtc: false));
        Assert.Equal(DateJson(Naive(wall)), Encode(DateTime.SpecifyKind(wall, DateTimeKind.Local), serverUsesUtc: false));
    }

    [Fact]
    public void Fraction_is_written_to_the_microsecond()
    {
        var value = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1234567);
        Assert.Equal(DateJson("2026-03-04T05:06:07.123456"), Encode(value));
    }
}

/// <summary>Local ↔ UTC conversion of datetimes, under a local zone that is not UTC.</summary>
[Collection(LocalTimeZoneCollection.Name)]
public class ValueEncoderLocalTimeTests
{
    private static string DateJson(DateTime wall) => "{\"__type__\":\"datetime\",\"value\":\"" + ValueEncoderTests.Naive(wall) + "\"}";

    [Theory]
    [InlineData("Asia/Kolkata")]
    [InlineData("America/New_York")]
    public void Local_values_are_converted_for_a_utc_server_and_utc_values_for_a_local_one(string zone)
    {
        LocalTimeZone.Run(zone, () =>
        {
            var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
            foreach (var wall in new[] { new DateTime(2026, 1, 15, 22, 30, 0), new DateTime(2026, 7, 1, 1, 15, 30).AddTicks(5_000_000) })
            {
                var local = DateTime.SpecifyKind(wall, DateTimeKind.Local);
                var offset = tz.GetUtcOffset(wall);
                Assert.NotEqual(TimeSpan.Zero, offset);
                // Local → UTC for a server that keeps UTC.
                Assert.Equal(DateJson(wall - offset), ValueEncoderTests.Encode(local, serverUsesUtc: true));
                // UTC → local wall clock for a server that keeps local time.
                var utc = DateTime.SpecifyKind(wall, DateTimeKind.Utc);
                Assert.Equal(DateJson(wall + tz.GetUtcOffset(utc)), ValueEncoderTests.Encode(utc, serverUsesUtc: false));
                // DateTimeOffset: the instant, in the server's convention.
                var dto = new DateTimeOffset(wall, TimeSpan.FromHours(2));
                Assert.Equal(DateJson(wall - TimeSpan.FromHours(2)), ValueEncoderTests.Encode(dto, serverUsesUtc: true));
                Assert.Equal(DateJson(TimeZoneInfo.ConvertTime(dto, tz).DateTime), ValueEncoderTests.Encode(dto, serverUsesUtc: false));
            }
        });
    }

    [Theory]
    [InlineData("Asia/Kolkata")]
    [InlineData("America/New_York")]
    public void Offsets_in_decoded_strings_are_honoured(string zone)
    {
        LocalTimeZone.Run(zone, () =>
        {
            var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
            var text = "2026-07-01T12:00:00+02:00"u8;
            Assert.True(FtrackDates.TryParse(text, DateTimeKind.Utc, out var utc));
            Assert.Equal(new DateTime(2026, 7, 1, 10, 0, 0, DateTimeKind.Utc), utc);
            Assert.Equal(DateTimeKind.Utc, utc.Kind);
            Assert.True(FtrackDates.TryParse(text, DateTimeKind.Unspecified, out var local));
            Assert.Equal(DateTimeKind.Unspecified, local.Kind);
            Assert.Equal(TimeZoneInfo.ConvertTimeFromUtc(new DateTime(2026, 7, 1, 10, 0, 0), tz), local);
        });
    }
}
