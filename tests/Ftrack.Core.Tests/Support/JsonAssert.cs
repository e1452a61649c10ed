using System.Globalization;
using System.Text.Json;
using Ftrack.Core.Entities;
using Xunit;

namespace Ftrack.Core.Tests.Support;

/// <summary>
/// Checks a decoded value against the JSON it came from, independently of the decoder: every
/// member of every JSON occurrence of an entity must be on the decoded entity (a later, fuller
/// occurrence may add more), datetimes must be DateTime with the expected kind, and every
/// occurrence of one (type, key) must be the same object.
/// </summary>
internal sealed class JsonAssert
{
    private readonly DateTimeKind _dateKind;
    private readonly Dictionary<string, FtrackEntity> _identity = new(StringComparer.Ordinal);

    public JsonAssert(DateTimeKind dateKind) { _dateKind = dateKind; }

    public int EntityCount => _identity.Count;
    public IReadOnlyDictionary<string, FtrackEntity> Entities => _identity;

    public void Matches(JsonElement json, object? decoded, string path = "$")
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Null:
                Assert.True(decoded is null, path + ": expected null, got " + decoded);
                return;
            case JsonValueKind.True:
            case JsonValueKind.False:
                Assert.Equal(json.GetBoolean(), Assert.IsType<bool>(decoded));
                return;
            case JsonValueKind.String:
                Assert.True(decoded is string, path + ": expected a string, got " + decoded?.GetType().Name);
                Assert.Equal(json.GetString(), (string)decoded!);
                return;
            case JsonValueKind.Number:
                if (json.TryGetInt64(out var l))
                {
                    Assert.True(decoded is int or long, path + ": expected an integer, got " + decoded?.GetType().Name);
                    Assert.Equal(l, Convert.ToInt64(decoded, CultureInfo.InvariantCulture));
                }
                else Assert.Equal(json.GetDouble(), Assert.IsType<double>(decoded));
                return;
            case JsonValueKind.Array:
            {
                var list = Assert.IsAssignableFrom<IList<object?>>(decoded);
                Assert.Equal(json.GetArrayLength(), list.Count);
                var i = 0;
                foreach (var item in json.EnumerateArray()) { Matches(item, list[i], path + "[" + i + "]"); i++; }
                return;
            }
            case JsonValueKind.Object:
                MatchesObject(json, decoded, path);
                return;
        }
    }

    private void MatchesObject(JsonElement json, object? decoded, string path)
    {
        if (json.TryGetProperty("__entity_type__", out var typeElement) && typeElement.ValueKind == JsonValueKind.String)
        {
            var entity = Assert.IsType<FtrackEntity>(decoded);
            var type = typeElement.GetString()!;
            Assert.Equal(type, entity.EntityType);
            var key = type + "|" + string.Join("|", entity.Shape.PrimaryKey.Select(k => json.TryGetProperty(k, out var v) ? v.ToString() : "<missing>"));
            if (_identity.TryGetValue(key, out var seen))
                Assert.True(ReferenceEquals(seen, entity), path + ": a second " + key + " object; every occurrence must be the same instance");
            else _identity[key] = entity;
            foreach (var member in json.EnumerateObject())
            {
                if (member.Name == "__entity_type__") continue;
                Assert.True(entity.TryGetValue(member.Name, out var value), path + "." + member.Name + " is not loaded on the decoded " + type);
                Matches(member.Value, value, path + "." + member.Name);
            }
            return;
        }
        if (json.TryGetProperty("__type__", out var valueType) && valueType.ValueKind == JsonValueKind.String
            && valueType.GetString() is "datetime" or "date")
        {
            var text = json.GetProperty("value").GetString();
            if (text is null) { Assert.Null(decoded); return; }
            var dt = Assert.IsType<DateTime>(decoded);
            var isDate = valueType.GetString() == "date";
            var expected = DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            Assert.Equal(expected.Ticks, dt.Ticks);
            Assert.Equal(isDate ? DateTimeKind.Unspecified : _dateKind, dt.Kind);
            return;
        }
        var dict = Assert.IsAssignableFrom<IDictionary<string, object?>>(decoded);
        var count = 0;
        foreach (var member in json.EnumerateObject())
        {
            count++;
            Assert.True(dict.TryGetValue(member.Name, out var value), path + "." + member.Name + " is missing");
            Matches(member.Value, value, path + "." + member.Name);
        }
        Assert.Equal(count, dict.Count);
    }
}
