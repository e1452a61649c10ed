using System.Text;
using CsCheck;
using Ftrack.Core.Entities;
using Ftrack.Core.Json;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>The pieces the decoder builds on: entity slots, shared shapes, the string cache.</summary>
public class EntityModelTests
{
    [Fact]
    public void Not_loaded_differs_from_null_and_unset_forgets()
    {
        var entity = new FtrackEntity("ModelA");
        Assert.False(entity.IsLoaded("name"));
        Assert.False(entity.TryGetValue("name", out _));
        entity["name"] = null;
        Assert.True(entity.IsLoaded("name"));
        Assert.Null(entity["name"]);
        entity["name"] = "x";
        Assert.Equal("x", entity["name"]);
        Assert.True(entity.Unset("name"));
        Assert.False(entity.IsLoaded("name"));
        Assert.False(entity.Unset("name"));
        Assert.Equal(0, entity.LoadedCount);
    }

    [Fact]
    public void Entities_of_one_type_share_a_shape_but_not_values()
    {
        var a = new FtrackEntity("ModelB") { ["first"] = 1 };
        var b = new FtrackEntity("ModelB") { ["second"] = 2 };
        Assert.Same(a.Shape, b.Shape);
        Assert.Same(EntityShapes.Unbound.For("ModelB"), a.Shape);
        Assert.False(a.IsLoaded("second"));
        Assert.False(b.IsLoaded("first"));
        a["second"] = "late"; // the slot exists already; a's value array grows to reach it
        Assert.Equal("late", a["second"]);
        Assert.Equal(2, b["second"]);
        Assert.Equal(new[] { "first", "second" }, a.Attributes.Select(p => p.Key));
        Assert.Equal(new[] { "second" }, b.Attributes.Select(p => p.Key));
    }

    [Fact]
    public void Case_insensitive_lookup_is_opt_in()
    {
        var entity = new FtrackEntity("ModelC") { ["full_name"] = "Fu" };
        Assert.False(entity.TryGetValue("FULL_NAME", out _));
        Assert.True(entity.TryGetValue("FULL_NAME", ignoreCase: true, out var value));
        Assert.Equal("Fu", value);
    }

    [Fact]
    public void ToString_names_type_label_and_key()
    {
        var entity = new FtrackEntity("ModelD") { ["id"] = "k-1", ["name"] = "comp" };
        Assert.Contains("ModelD", entity.ToString());
        Assert.Contains("comp", entity.ToString());
        Assert.Contains("k-1", entity.ToString());
        Assert.Equal(new object?[] { "k-1" }, entity.PrimaryKeyValues);
    }

    [Fact]
    public void Concurrent_attribute_registration_gives_every_name_one_slot()
    {
        var shape = EntityShapes.Unbound.For("ModelConcurrent" + Guid.NewGuid().ToString("N"));
        var names = Enumerable.Range(0, 400).Select(i => "attr" + i).ToArray();
        var slots = new int[8][];
        Parallel.For(0, slots.Length, t =>
        {
            var order = names.OrderBy(n => (n.GetHashCode() * (t + 1)) & 0xffff).ToArray();
            slots[t] = names.Select(_ => -1).ToArray();
            foreach (var n in order) slots[t][Array.IndexOf(names, n)] = shape.GetOrAdd(n);
        });
        for (var i = 0; i < names.Length; i++)
        {
            Assert.All(slots, s => Assert.Equal(slots[0][i], s[i]));
            Assert.Equal(names[i], shape.NameAt(slots[0][i]));
        }
        Assert.Equal(names.Length, slots[0].Distinct().Count());
        // Every name once, beside the key's slot, which a shape has from the start.
        Assert.Equal(names.Length + 1, shape.Count);
        Assert.Equal("id", shape.NameAt(shape.KeySlot));
    }

    [Fact]
    public void String_cache_returns_the_decoded_text_and_reuses_instances()
    {
        var cache = new Utf8StringCache(16); // tiny: collisions all the time
        Gen.String[Gen.Char.AlphaNumeric, 0, 60].Array[1, 30].Sample(strings =>
        {
            foreach (var s in strings)
            {
                var bytes = Encoding.UTF8.GetBytes(s);
                var first = cache.Get(bytes);
                Assert.Equal(s, first);
                var again = cache.Get(bytes);
                Assert.Equal(s, again);
                if (bytes.Length <= Utf8StringCache.MaxLength) Assert.Same(first, again);
            }
        }, iter: 300, threads: 1);
        Assert.Equal("ünï – 漢字", cache.Get(Encoding.UTF8.GetBytes("ünï – 漢字")));
        Assert.Same(string.Empty, cache.Get(ReadOnlySpan<byte>.Empty));
    }
}
