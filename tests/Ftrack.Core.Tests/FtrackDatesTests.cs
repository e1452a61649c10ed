using System.Globalization;
using System.Text;
using CsCheck;
using Ftrack.Core.Json;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>Parsing and formatting ftrack's naive ISO date strings.</summary>
public class FtrackDatesTests
{
    private static bool Parse(string text, DateTimeKind kind, out DateTime value) => FtrackDates.TryParse(Encoding.UTF8.GetBytes(text), kind, out value);

    [Theory]
    [InlineData("2026-11-28")]
    [InlineData("2024-02-29")]
    [InlineData("2026-11-28T10:39")]
    [InlineData("2026-11-28 10:39")]
    [InlineData("2026-11-28T10:39:05")]
    [InlineData("2026-11-28 10:39:05")]
    [InlineData("2026-11-28T10:39:05.1")]
    [InlineData("2026-11-28T10:39:05.123")]
    [InlineData("2026-11-28T10:39:05.123456")]
    [InlineData("2026-11-28T10:39:05.1234567")]
    [InlineData("2026-11-28T23:59:59.9999999")]
    [InlineData("0001-01-01T00:00:00")]
    [InlineData("9999-12-31T23:59:59.9999999")]
    public void Naive_values_parse_exactly_with_the_requested_kind(string text)
    {
        var expected = DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None);
        foreach (var kind in new[] { DateTimeKind.Utc, DateTimeKind.Unspecified })
        {
            Assert.True(Parse(text, kind, out var value), text);
            Assert.Equal(expected.Ticks, value.Ticks);
            Assert.Equal(kind, value.Kind);
        }
    }

    [Fact]
    public void Fractions_beyond_seven_digits_are_truncated()
    {
        Assert.True(Parse("2026-11-28T10:39:05.123456789", DateTimeKind.Utc, out var value));
        Assert.Equal(new DateTime(2026, 11, 28, 10, 39, 5, DateTimeKind.Utc).AddTicks(1234567), value);
    }

    [Theory]
    [InlineData("2026-11-28T10:39:05Z")]
    [InlineData("2026-11-28 10:39:05Z")]
    [InlineData("2026-11-28T10:39Z")]
    [InlineData("2026-11-28T10:39:05.25Z")]
    [InlineData("2026-11-28T10:39:05+02:00")]
    [InlineData("2026-11-28T10:39:05-05:30")]
    [InlineData("2026-11-28T01:00:00+03:00")]
    [InlineData("2026-12-31T23:30:00-01:00")]
    [InlineData("2026-11-28T10:39:05.5+14:00")]
    public void Zone_designators_give_the_utc_instant(string text)
    {
        var expected = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).UtcDateTime;
        Assert.True(Parse(text, DateTimeKind.Utc, out var value), text);
        Assert.Equal(expected, value);
        Assert.Equal(DateTimeKind.Utc, value.Kind);
        // For a server-local reading the instant becomes this machine's wall clock.
        Assert.True(Parse(text, DateTimeKind.Unspecified, out var local), text);
        Assert.Equal(DateTimeKind.Unspecified, local.Kind);
        Assert.Equal(TimeZoneInfo.ConvertTimeFromUtc(expected, TimeZoneInfo.Local).Ticks, local.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026")]
    [InlineData("2026-11-2")]
    [InlineData("2026/11/28")]
    [InlineData("26-11-28T10:39")]
    [InlineData("2026-13-01")]
    [InlineData("2026-00-10")]
    [InlineData("2026-11-00")]
    [InlineData("2026-02-29")]
    [InlineData("2026-04-31")]
    [InlineData("2026-11-28T")]
    [InlineData("2026-11-28T1:00")]
    [InlineData("2026-11-28T10:3")]
    [InlineData("2026-11-28T10-39")]
    [InlineData("2026-11-28X10:39")]
    [InlineData("2026-11-28T24:00")]
    [InlineData("2026-11-28T10:60")]
    [InlineData("2026-11-28T10:39:60")]
    [InlineData("2026-11-28T10:39:5")]
    [InlineData("2026-11-28T10:39:05.")]
    [InlineData("2026-11-28T10:39:05.x")]
    [InlineData("2026-11-28T10:39:05Zjunk")]
    [InlineData("2026-11-28T10:39:05 ")]
    [InlineData("2026-11-28T10:39:05+0200")]
    [InlineData("2026-11-28T10:39:05+02")]
    [InlineData("2026-11-28T10:39:05+2:00")]
    [InlineData("2026-11-28T10:39:05+ab:00")]
    [InlineData("2026-11-28junk")]
    [InlineData("abcd-ef-gh")]
    [InlineData("-026-11-28")]
    [InlineData("2026-1a-28")]
    [InlineData("２０２６-11-28")]
    public void Malformed_values_are_rejected(string text)
    {
        Assert.False(Parse(text, DateTimeKind.Utc, out _), text);
        Assert.False(Parse(text, DateTimeKind.Unspecified, out _), text);
    }

    [Theory]
    [InlineData("0000-01-01")]
    [InlineData("0000-06-15T10:00:00")]
    [InlineData("9999-12-31T23:59:59-01:00")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    public void Out_of_range_values_are_rejected_not_thrown(string text)
    {
        Assert.False(Parse(text, DateTimeKind.Utc, out _), text);
        Assert.False(Parse(text, DateTimeKind.Unspecified, out _), text);
    }

    private static readonly Gen<DateTime> Instants =
        Gen.Long[DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks].Select(t => new DateTime(t, DateTimeKind.Utc));

    [Fact]
    public void Any_instant_written_with_seven_digits_parses_back_exactly()
    {
        Gen.Select(Instants, Gen.Bool).Sample((value, space) =>
        {
            var text = value.ToString(space ? "yyyy'-'MM'-'dd' 'HH':'mm':'ss'.'fffffff" : "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff", CultureInfo.InvariantCulture);
            Assert.True(Parse(text, DateTimeKind.Utc, out var parsed), text);
            Assert.Equal(value, parsed);
            Assert.Equal(DateTimeKind.Utc, parsed.Kind);
        }, iter: 2000);
    }

    [Fact]
    public void Format_then_parse_round_trips_to_the_microsecond()
    {
        Instants.Sample(value =>
        {
            var text = FtrackDates.FormatDateTime(value, serverUsesUtc: true);
            Assert.True(Parse(text, DateTimeKind.Utc, out var parsed), text);
            Assert.Equal(value.Ticks - value.Ticks % 10, parsed.Ticks);
            Assert.DoesNotContain("Z", text);
            Assert.DoesNotContain("+", text);
        }, iter: 2000);
    }

    [Fact]
    public void Whole_seconds_are_written_without_a_fraction_and_dates_without_a_time()
    {
        var value = new DateTime(2026, 11, 28, 10, 39, 0, DateTimeKind.Utc);
        Assert.Equal(value.ToString("s", CultureInfo.InvariantCulture), FtrackDates.FormatDateTime(value, serverUsesUtc: true));
        Assert.Equal(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), FtrackDates.FormatDate(value));
    }

    [Fact]
    public void Formatting_ignores_the_current_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("ar-SA"); // another calendar and digits
            var value = new DateTime(2026, 11, 28, 10, 39, 5, DateTimeKind.Utc).AddTicks(5_000_000);
            Assert.Equal(ValueEncoderTests.Naive(value), FtrackDates.FormatDateTime(value, serverUsesUtc: true));
            Assert.Equal("2026-11-28", FtrackDates.FormatDate(value));
        }
        finally { CultureInfo.CurrentCulture = previous; }
    }
}
