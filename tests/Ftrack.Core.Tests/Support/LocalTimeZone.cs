using Xunit;

namespace Ftrack.Core.Tests.Support;

/// <summary>Tests that change the process's local time zone run alone, after every parallel test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LocalTimeZoneCollection
{
    public const string Name = "Local time zone";
}

/// <summary>Runs code with TimeZoneInfo.Local switched to a given IANA zone (via TZ), then restores it.</summary>
internal static class LocalTimeZone
{
    public static void Run(string ianaId, Action action)
    {
        var previous = Environment.GetEnvironmentVariable("TZ");
        Environment.SetEnvironmentVariable("TZ", ianaId);
        TimeZoneInfo.ClearCachedData();
        try
        {
            var expected = TimeZoneInfo.FindSystemTimeZoneById(ianaId);
            if (TimeZoneInfo.Local.BaseUtcOffset != expected.BaseUtcOffset)
                throw new InvalidOperationException("Could not switch the local time zone to " + ianaId + " (is tzdata installed?).");
            action();
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", previous);
            TimeZoneInfo.ClearCachedData();
        }
    }
}
