using System.Net;
using System.Text;
using CsCheck;
using Ftrack.Core.Json;
using Ftrack.Core.Operations;
using Ftrack.Core.Tests.Support;
using Ftrack.Core.Transport;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>
/// Mutated and truncated versions of every recorded response, and random JSON, fed through the
/// whole session path: each case ends in a decoded result or the client's own protocol error —
/// never another exception type, never a hang, never unbounded nesting.
/// </summary>
public sealed class DecoderFuzzTests
{
    private static readonly string[] Recorded = Fixtures.All().Where(n => n != Fixtures.Schemas && n != Fixtures.ServerInformationAndSchemas).ToArray();
    private static int _cases;

    /// <summary>Cases run across this class (reported by the README's Reliability section).</summary>
    public static int Cases => _cases;

    private static void DecodeOrProtocolError(byte[] body, FtrackOperation[] operations)
    {
        Interlocked.Increment(ref _cases);
        using var session = TestSessions.Create(new FakeHandler(_ => Responses.Json(body)));
        try
        {
            session.Call(operations, new CallOptions { Context = new DecodeContext(DateTimeKind.Utc) });
        }
        catch (FtrackProtocolException) { }
        catch (FtrackServerException) when (Encoding.UTF8.GetString(body).Contains("exception")) { }
    }

    private const string Structure = "[]{},:\"0tn\\";

    private static readonly Gen<(string Fixture, int Kind, int Position, byte Value)> Mutations =
        Gen.Select(Gen.OneOf<string>(Recorded), Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Byte);

    [Fact]
    public void Mutated_recorded_responses_decode_or_fail_with_a_protocol_error()
    {
        Mutations.Sample(m =>
        {
            var body = Fixtures.BodyFor(m.Fixture).ToList();
            var at = m.Position % body.Count;
            switch (m.Kind)
            {
                case 0: body[at] = m.Value; break;                                  // flip a byte
                case 1: body.RemoveAt(at); break;                                   // drop a byte
                case 2: body.Insert(at, (byte)Structure[m.Value % Structure.Length]); break; // insert structure
                default: body.RemoveRange(at, body.Count - at); break;              // truncate
            }
            DecodeOrProtocolError(body.ToArray(), Fixtures.OperationsFor(m.Fixture));
        }, iter: 3000, threads: 1);
    }

    private static readonly Gen<string> JsonValue = Gen.Recursive<string>((depth, self) =>
    {
        var scalar = Gen.OneOf(
            Gen.Const("null"), Gen.Const("true"), Gen.Const("false"),
            Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "1e308"),
            Gen.String[Gen.Char.AlphaNumeric, 0, 12].Select(s => "\"" + s + "\""),
            Gen.OneOf<string>("\"__entity_type__\"", "\"id\"", "\"__type__\"", "\"datetime\"", "\"2026-11-28T10:39:00\"", "\"Task\""));
        if (depth > 5) return scalar;
        var key = Gen.OneOf<string>("__entity_type__", "id", "__type__", "value", "name", "data", "action", "metadata", "next", "offset");
        return Gen.Frequency(
            (4, (IGen<string>)scalar),
            (1, self.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (2, Gen.Select(key, self).Array[0, 5].Select(members => "{" + string.Join(",", members.Select(m => "\"" + m.Item1 + "\":" + m.Item2)) + "}")));
    });

    [Fact]
    public void Random_json_decodes_or_fails_with_a_protocol_error()
    {
        var operations = new FtrackOperation[] { new QueryOperation("select name from Task"), new QueryServerInformationOperation() };
        Gen.Select(JsonValue, JsonValue).Sample(pair =>
        {
            DecodeOrProtocolError(Encoding.UTF8.GetBytes("[" + pair.Item1 + "," + pair.Item2 + "]"), operations);
            DecodeOrProtocolError(Encoding.UTF8.GetBytes(pair.Item1), operations);
        }, iter: 2000, threads: 1);
    }

    [Theory]
    [InlineData(100_000)]
    [InlineData(300)]
    public void Deep_nesting_is_refused_not_followed(int depth)
    {
        var body = "[{\"action\":\"query\",\"data\":[" + new string('[', depth) + new string(']', depth) + "]}]";
        using var session = TestSessions.Create(new FakeHandler(_ => Responses.Json(body)));
        var error = Assert.Throws<FtrackProtocolException>(() =>
            session.Call(new FtrackOperation[] { new QueryOperation("select name from Task") }, new CallOptions { Context = new DecodeContext(DateTimeKind.Utc) }));
        Assert.Contains("not valid JSON", error.Message);
    }
}
