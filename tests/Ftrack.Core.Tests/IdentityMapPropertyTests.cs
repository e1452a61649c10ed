using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using Ftrack.Core.Entities;
using Ftrack.Core.Json;
using Ftrack.Core.Tests.Support;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>
/// Random entity graphs (types, ids, scalar attributes, references, collections, cycles, references
/// wrapped in plain objects) written by an independent little encoder, then decoded: every
/// (type, id) must come back as exactly one object carrying the union of what was sent.
/// </summary>
public class IdentityMapPropertyTests
{
    // Types only these tests use: the process-wide shapes of real types stay untouched.
    private static readonly string[] Types = { "PropA", "PropB", "PropC" };
    private const int ScalarCount = 6;

    public sealed record EntitySpec(int Type, string Id, int ScalarMask, int Ref0, int Ref1, bool Ref1Wrapped, int[] Items);

    public sealed record GraphSpec(EntitySpec[] Entities, int[] Rows, int Seed)
    {
        public override string ToString() =>
            "rows [" + string.Join(",", Rows) + "] seed " + Seed + "; " + string.Join("; ", Entities.Select((e, i) =>
                i + "=" + Types[e.Type] + "/" + e.Id + " mask " + e.ScalarMask + " r0 " + e.Ref0 + " r1 " + e.Ref1 + (e.Ref1Wrapped ? "w" : "") + " items [" + string.Join(",", e.Items) + "]"));
    }

    private static Gen<EntitySpec> EntityGen(int n) =>
        Gen.Select(Gen.Int[0, Types.Length - 1], Gen.Int[0, 3], Gen.Int[0, (1 << ScalarCount) - 1], Gen.Int[-1, n - 1], Gen.Int[-1, n - 1], Gen.Bool,
            Gen.Int[0, n - 1].Array[0, 3],
            (type, id, mask, r0, r1, wrapped, items) => new EntitySpec(type, id.ToString(CultureInfo.InvariantCulture), mask, r0, r1, wrapped, items));

    private static readonly Gen<GraphSpec> Graphs =
        Gen.Int[1, 9].SelectMany(n => Gen.Select(EntityGen(n).Array[n], Gen.Int[0, n - 1].Array[1, 6], Gen.Int, (es, rows, seed) => new GraphSpec(UniqueKeys(es), rows, seed)));

    /// <summary>Same id on different types stays (those are different entities); same (type, id) is made unique.</summary>
    private static EntitySpec[] UniqueKeys(EntitySpec[] entities)
    {
        var seen = new HashSet<(int, string)>();
        var result = new EntitySpec[entities.Length];
        for (var i = 0; i < entities.Length; i++)
        {
            var e = entities[i];
            if (!seen.Add((e.Type, e.Id))) { e = e with { Id = e.Id + "-" + i.ToString(CultureInfo.InvariantCulture) }; seen.Add((e.Type, e.Id)); }
            result[i] = e;
        }
        return result;
    }

    private enum Mode { Normalized, Partial, Denormalized }

    /// <summary>Writes the graph as a query response; records which attributes each entity was sent with.</summary>
    private sealed class GraphWriter
    {
        private readonly GraphSpec _graph;
        private readonly Mode _mode;
        private readonly Random _random;
        private readonly HashSet<int> _fullyWritten = new();
        private readonly List<int> _path = new();
        public readonly Dictionary<int, HashSet<string>> Sent = new();

        public GraphWriter(GraphSpec graph, Mode mode)
        {
            _graph = graph;
            _mode = mode;
            _random = new Random(graph.Seed);
        }

        public byte[] Write()
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartArray();
                w.WriteStartObject();
                w.WriteString("action", "query");
                w.WritePropertyName("data");
                w.WriteStartArray();
                foreach (var row in _graph.Rows) Occurrence(w, row);
                w.WriteEndArray();
                w.WritePropertyName("metadata");
                w.WriteStartObject();
                w.WritePropertyName("next");
                w.WriteStartObject();
                w.WriteNull("offset");
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
            }
            return buffer.ToArray();
        }

        private void Occurrence(Utf8JsonWriter w, int e)
        {
            var spec = _graph.Entities[e];
            var onPath = _path.Contains(e);
            var attributes = AttributesOf(spec);
            List<string> chosen = _mode switch
            {
                Mode.Normalized => _fullyWritten.Contains(e) ? new List<string>() : attributes,
                Mode.Denormalized => onPath || _path.Count > 5 ? new List<string>() : attributes,
                _ => onPath || _path.Count > 5 ? new List<string>() : attributes.Where(_ => _random.Next(3) != 0).ToList(),
            };
            _fullyWritten.Add(e);
            if (!Sent.TryGetValue(e, out var sent)) Sent[e] = sent = new HashSet<string> { "id" };
            foreach (var a in chosen) sent.Add(a);

            var members = new List<string>(chosen) { "id" };
            Shuffle(members);
            var typeAt = _random.Next(members.Count + 1);
            _path.Add(e);
            w.WriteStartObject();
            for (var i = 0; i <= members.Count; i++)
            {
                if (i == typeAt) w.WriteString("__entity_type__", Types[spec.Type]);
                if (i < members.Count) Member(w, e, spec, members[i]);
            }
            w.WriteEndObject();
            _path.RemoveAt(_path.Count - 1);
        }

        private void Member(Utf8JsonWriter w, int e, EntitySpec spec, string name)
        {
            w.WritePropertyName(name);
            switch (name)
            {
                case "id": w.WriteStringValue(spec.Id); break;
                case "r0": Occurrence(w, spec.Ref0); break;
                case "r1":
                    if (spec.Ref1Wrapped)
                    {
                        w.WriteStartObject();
                        w.WritePropertyName("w");
                        w.WriteStartArray();
                        Occurrence(w, spec.Ref1);
                        w.WriteNumberValue(1);
                        w.WriteEndArray();
                        w.WriteEndObject();
                    }
                    else Occurrence(w, spec.Ref1);
                    break;
                case "items":
                    w.WriteStartArray();
                    foreach (var item in spec.Items) Occurrence(w, item);
                    w.WriteEndArray();
                    break;
                default:
                    WriteScalar(w, Scalar(e, name[1] - '0'));
                    break;
            }
        }

        private void Shuffle(List<string> list)
        {
            for (var i = list.Count - 1; i > 0; i--)
            {
                var j = _random.Next(i + 1);
                (list[i], list[j]) = (list[j], list[i]);
            }
        }
    }

    private static List<string> AttributesOf(EntitySpec spec)
    {
        var names = new List<string>();
        for (var k = 0; k < ScalarCount; k++) if ((spec.ScalarMask & (1 << k)) != 0) names.Add("s" + k);
        if (spec.Ref0 >= 0) names.Add("r0");
        if (spec.Ref1 >= 0) names.Add("r1");
        if (spec.Items.Length > 0) names.Add("items");
        return names;
    }

    private static object? Scalar(int e, int k) => k switch
    {
        0 => e * 7 - 3,
        1 => "s" + e + " é\"\\\n",
        2 => e % 2 == 0,
        3 => null,
        4 => e + 0.5,
        _ => 3_000_000_000L + e,
    };

    private static void WriteScalar(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case double d: w.WriteNumberValue(d); break;
            case bool b: w.WriteBooleanValue(b); break;
            case string s: w.WriteStringValue(s); break;
        }
    }

    private static string KeyOf(GraphSpec g, int e) => Types[g.Entities[e].Type] + "/" + g.Entities[e].Id;

    private static (List<object?> Rows, DecodeContext Context) DecodeGraph(byte[] body)
    {
        var context = new DecodeContext(DateTimeKind.Utc);
        return (Decode.QueryRows(body, context), context);
    }

    /// <summary>Every FtrackEntity reachable from the rows, by (type/id); fails on two objects for one key.</summary>
    private static Dictionary<string, FtrackEntity> Reachable(IEnumerable<object?> roots)
    {
        var byKey = new Dictionary<string, FtrackEntity>(StringComparer.Ordinal);
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<object?>(roots);
        while (stack.Count > 0)
        {
            var value = stack.Pop();
            if (value is null || value is string || !visited.Add(value)) continue;
            switch (value)
            {
                case FtrackEntity entity:
                    var key = entity.EntityType + "/" + entity["id"];
                    if (byKey.TryGetValue(key, out var other))
                        Assert.Fail("Two objects for " + key + ": every occurrence must merge into one.");
                    byKey[key] = entity;
                    foreach (var a in entity.Attributes) stack.Push(a.Value);
                    break;
                case IDictionary<string, object?> dict:
                    foreach (var v in dict.Values) stack.Push(v);
                    break;
                case IList<object?> list:
                    foreach (var v in list) stack.Push(v);
                    break;
            }
        }
        return byKey;
    }

    private static void CheckAgainstSpec(GraphSpec g, GraphWriter writer, List<object?> rows, DecodeContext context)
    {
        var objects = Reachable(rows);
        var expectedKeys = writer.Sent.Keys.Select(e => KeyOf(g, e)).ToHashSet();
        Assert.Equal(expectedKeys.OrderBy(k => k, StringComparer.Ordinal), objects.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(expectedKeys.Count, context.IdentityMap.Count);

        Assert.Equal(g.Rows.Length, rows.Count);
        for (var i = 0; i < rows.Count; i++) Assert.Same(objects[KeyOf(g, g.Rows[i])], rows[i]);

        foreach (var (e, sent) in writer.Sent)
        {
            var spec = g.Entities[e];
            var entity = objects[KeyOf(g, e)];
            Assert.Equal(Types[spec.Type], entity.EntityType);
            Assert.True(context.IdentityMap.TryGet(entity.Shape, spec.Id, out var mapped));
            Assert.Same(entity, mapped);
            Assert.Equal(sent.OrderBy(s => s, StringComparer.Ordinal), entity.Attributes.Select(a => a.Key).OrderBy(s => s, StringComparer.Ordinal));
            foreach (var name in sent)
            {
                var value = entity[name];
                switch (name)
                {
                    case "id": Assert.Equal(spec.Id, value); break;
                    case "r0": Assert.Same(objects[KeyOf(g, spec.Ref0)], value); break;
                    case "r1":
                        if (spec.Ref1Wrapped)
                        {
                            var wrapper = Assert.IsAssignableFrom<IDictionary<string, object?>>(value);
                            var list = Assert.IsAssignableFrom<IList<object?>>(wrapper["w"]);
                            Assert.Same(objects[KeyOf(g, spec.Ref1)], list[0]);
                            Assert.Equal(1, list[1]);
                        }
                        else Assert.Same(objects[KeyOf(g, spec.Ref1)], value);
                        break;
                    case "items":
                        var items = Assert.IsAssignableFrom<IList<object?>>(value);
                        Assert.Equal(spec.Items.Length, items.Count);
                        for (var i = 0; i < items.Count; i++) Assert.Same(objects[KeyOf(g, spec.Items[i])], items[i]);
                        break;
                    default:
                        Assert.Equal(Scalar(e, name[1] - '0'), value);
                        break;
                }
            }
        }
    }

    [Fact]
    public void Normalized_responses_decode_to_one_object_per_entity()
    {
        Graphs.Sample(g =>
        {
            var writer = new GraphWriter(g, Mode.Normalized);
            var (rows, context) = DecodeGraph(writer.Write());
            CheckAgainstSpec(g, writer, rows, context);
        }, iter: 200);
    }

    [Fact]
    public void Partial_occurrences_merge_into_the_union_of_their_attributes()
    {
        Graphs.Sample(g =>
        {
            var writer = new GraphWriter(g, Mode.Partial);
            var (rows, context) = DecodeGraph(writer.Write());
            CheckAgainstSpec(g, writer, rows, context);
        }, iter: 200);
    }

    [Fact]
    public void Denormalized_and_normalized_encodings_decode_to_the_same_graph()
    {
        var compared = 0;
        Graphs.Sample(g =>
        {
            var normalized = new GraphWriter(g, Mode.Normalized);
            var denormalized = new GraphWriter(g, Mode.Denormalized);
            var (rowsN, contextN) = DecodeGraph(normalized.Write());
            var (rowsD, contextD) = DecodeGraph(denormalized.Write());
            CheckAgainstSpec(g, denormalized, rowsD, contextD);
            Assert.Equal(contextN.IdentityMap.Count, contextD.IdentityMap.Count);
            // The writer stops expanding below depth 5, so an entity met only that deep is sent as a
            // bare reference: then the two encodings carry different data, and only the spec check applies.
            if (!normalized.Sent.All(p => denormalized.Sent.TryGetValue(p.Key, out var d) && d.SetEquals(p.Value))) return;
            Assert.Equal(Describe(rowsN), Describe(rowsD));
            Interlocked.Increment(ref compared);
        }, iter: 150);
        Assert.True(compared > 75, "Too few graphs were fully expanded to compare (" + compared + " of 150).");
    }

    [Fact]
    public void Decoding_twice_into_one_context_adds_nothing_new()
    {
        // One identity map over several responses (the pages of a query): the second decode merges.
        Graphs.Sample(g =>
        {
            var body = new GraphWriter(g, Mode.Normalized).Write();
            var context = new DecodeContext(DateTimeKind.Utc);
            var first = Decode.QueryRows(body, context);
            var count = context.IdentityMap.Count;
            var second = Decode.QueryRows(body, context);
            Assert.Equal(count, context.IdentityMap.Count);
            for (var i = 0; i < first.Count; i++) Assert.Same(first[i], second[i]);
        }, iter: 50);
    }

    [Fact]
    public void Entities_registered_before_decoding_receive_the_response()
    {
        var context = new DecodeContext(DateTimeKind.Utc);
        var local = new FtrackEntity("PropA") { ["id"] = "made-here", ["s0"] = 1 };
        context.IdentityMap.Add(local);
        Assert.Equal("made-here", IdentityMap.KeyOf(local));
        Assert.Null(IdentityMap.KeyOf(new FtrackEntity("PropA")));
        var rows = Decode.QueryRows(Decode.QueryBody("{\"__entity_type__\":\"PropA\",\"id\":\"made-here\",\"s1\":\"from server\"}"), context);
        Assert.Same(local, rows[0]);
        Assert.Equal(1, local["s0"]);
        Assert.Equal("from server", local["s1"]);
        Assert.Equal(1, context.IdentityMap.Count);
        // A different type with the same id is another entity.
        var other = Decode.QueryRows(Decode.QueryBody("{\"__entity_type__\":\"PropB\",\"id\":\"made-here\"}"), context);
        Assert.NotSame(local, other[0]);
    }

    /// <summary>A canonical text of a decoded graph: entities by key, attributes sorted, references by key.</summary>
    private static string Describe(List<object?> rows)
    {
        var objects = Reachable(rows);
        var sb = new StringBuilder();
        sb.Append("rows: ").AppendJoin(",", rows.Select(Render)).Append('\n');
        foreach (var key in objects.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            sb.Append(key).Append(" {");
            foreach (var a in objects[key].Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
                sb.Append(a.Key).Append('=').Append(Render(a.Value)).Append(';');
            sb.Append("}\n");
        }
        return sb.ToString();
    }

    private static string Render(object? value) => value switch
    {
        null => "null",
        FtrackEntity e => "->" + e.EntityType + "/" + e["id"],
        IDictionary<string, object?> d => "{" + string.Join(",", d.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + Render(p.Value))) + "}",
        IList<object?> l => "[" + string.Join(",", l.Select(Render)) + "]",
        IFormattable f => value.GetType().Name + ":" + f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.GetType().Name + ":" + value,
    };
}
