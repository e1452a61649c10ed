using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ftrack.Core.Entities;
using Ftrack.Core.Json;
using Ftrack.Core.Operations;
using Ftrack.Core.Tests.Support;
using Ftrack.Core.Transport;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>The reader works on a network stream: any chunking, rows handed over before the body ends.</summary>
public class StreamingReaderTests
{
    public static TheoryData<string> SmallFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var name in Fixtures.All().Where(n => n != Fixtures.Schemas && n != Fixtures.ServerInformationAndSchemas)) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(SmallFixtures))]
    public void Tiny_chunks_decode_like_one_big_read(string name)
    {
        var body = Fixtures.BodyFor(name);
        var operations = Fixtures.OperationsFor(name);
        var whole = GraphText.Describe(Decode.Body(body, operations, new DecodeContext(DateTimeKind.Utc)));
        for (var seed = 1; seed <= 25; seed++)
        {
            var stream = new ChunkedStream(body, seed, maxChunk: 7);
            var chunked = GraphText.Describe(Decode.Body(body, operations, new DecodeContext(DateTimeKind.Utc), stream: stream));
            Assert.Equal(whole, chunked);
            Assert.True(stream.ReadCalls > body.Length / 7, "the stream was not read in small chunks");
        }
    }

    [Fact]
    public void Tiny_chunks_decode_a_synthetic_page_like_one_big_read()
    {
        var body = Encoding.UTF8.GetBytes(Decode.QueryBody(string.Join(",", Rows(300)), next: "300"));
        var whole = GraphText.Describe(Decode.QueryRows(body, new DecodeContext(DateTimeKind.Utc)));
        for (var seed = 1; seed <= 5; seed++)
        {
            var chunked = GraphText.Describe(Decode.QueryRows(body, new DecodeContext(DateTimeKind.Utc), new ChunkedStream(body, seed, maxChunk: 7)));
            Assert.Equal(whole, chunked);
        }
    }

    [Fact]
    public void Rows_larger_than_the_read_buffer_decode_whole()
    {
        var big = new string('x', 150_000) + "é";
        var body = Encoding.UTF8.GetBytes(Decode.QueryBody(
            "{\"__entity_type__\":\"Note\",\"id\":\"n-0\",\"content\":\"small\"},"
            + "{\"__entity_type__\":\"Note\",\"id\":\"n-1\",\"content\":\"" + big + "\",\"parent\":{\"__entity_type__\":\"Note\",\"id\":\"n-0\"}},"
            + "{\"__entity_type__\":\"Note\",\"id\":\"n-2\",\"content\":\"" + big.Substring(0, 70_000) + "\"}"));
        foreach (var stream in new Stream[] { new MemoryStream(body), new ChunkedStream(body, seed: 8, maxChunk: 8192) })
        {
            var rows = Decode.QueryRows(body, new DecodeContext(DateTimeKind.Utc), stream).Cast<FtrackEntity>().ToList();
            Assert.Equal(3, rows.Count);
            Assert.Equal(big, rows[1]["content"]);
            Assert.Equal(big.Substring(0, 70_000), rows[2]["content"]);
            Assert.Same(rows[0], rows[1]["parent"]);
        }
    }

    [Fact]
    public void Server_information_and_schemas_in_tiny_chunks_decode_like_one_big_read()
    {
        var body = Fixtures.Bytes(Fixtures.ServerInformationAndSchemas);
        var operations = Fixtures.OperationsFor(Fixtures.ServerInformationAndSchemas);
        var whole = GraphText.Describe(Decode.Body(body, operations, new DecodeContext(DateTimeKind.Utc)));
        // 1..2048 bytes per read: network-sized packets, still many partial values.
        var chunked = GraphText.Describe(Decode.Body(body, operations, new DecodeContext(DateTimeKind.Utc), stream: new ChunkedStream(body, 3, maxChunk: 2048)));
        Assert.Equal(whole, chunked);
    }

    [Fact]
    public void Large_value_in_tiny_chunks_decodes_in_linear_time()
    {
        var body = Fixtures.Bytes(Fixtures.ServerInformationAndSchemas);
        var operations = Fixtures.OperationsFor(Fixtures.ServerInformationAndSchemas);
        var whole = GraphText.Describe(Decode.Body(body, operations, new DecodeContext(DateTimeKind.Utc)));
        var watch = Stopwatch.StartNew();
        var chunked = GraphText.Describe(Decode.Body(body, operations, new DecodeContext(DateTimeKind.Utc), stream: new ChunkedStream(body, 5, maxChunk: 7)));
        watch.Stop();
        Assert.Equal(whole, chunked);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), "207 KB in 1-7 byte reads took " + watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s");
    }

    [Fact]
    public void Each_row_reaches_the_callback_as_soon_as_its_bytes_have_arrived()
    {
        var rows = Rows(40);
        var prefix = "[{\"action\":\"query\",\"data\":[";
        var rowEnds = new List<int>();
        var sb = new StringBuilder(prefix);
        for (var i = 0; i < rows.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(rows[i]);
            rowEnds.Add(Encoding.UTF8.GetByteCount(sb.ToString()));
        }
        sb.Append("],\"metadata\":{\"next\":{\"offset\":null}}}]");
        var body = Encoding.UTF8.GetBytes(sb.ToString());

        var stream = new ChunkedStream(body, seed: 11, maxChunk: 7);
        var delivered = new List<(int Delivered, int Unread)>();
        var result = Decode.Body(body, new FtrackOperation[] { new QueryOperation("Task") }, new DecodeContext(DateTimeKind.Utc),
            onRow: (index, row) =>
            {
                Assert.Equal(0, index);
                Assert.IsType<FtrackEntity>(row);
                delivered.Add((stream.Delivered, stream.Unread));
            }, stream: stream);

        Assert.Equal(rows.Count, delivered.Count);
        Assert.Empty(Assert.IsType<QueryResult>(result[0]).Data); // streamed, not collected
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.True(delivered[i].Unread > 0, "row " + i + " was handed over only after the whole body was read");
            // At most one more small read (≤ 7 bytes, plus the separator) beyond the row's last byte.
            Assert.True(delivered[i].Delivered <= rowEnds[i] + 8,
                "row " + i + " ends at byte " + rowEnds[i] + " but was handed over after " + delivered[i].Delivered + " bytes");
        }
    }

    [Fact]
    public void First_row_is_handed_over_while_the_server_still_holds_back_the_rest()
    {
        var rows = Rows(3);
        var head = Encoding.UTF8.GetBytes("[{\"action\":\"query\",\"data\":[" + rows[0] + ",");
        var tail = Encoding.UTF8.GetBytes(rows[1] + "," + rows[2] + "],\"metadata\":{\"next\":{\"offset\":null}}}]");
        using var gate = new ManualResetEventSlim(false);
        var stream = new GatedStream(head, tail, gate);
        var count = 0;
        Decode.Body(Array.Empty<byte>(), new FtrackOperation[] { new QueryOperation("Task") }, new DecodeContext(DateTimeKind.Utc),
            onRow: (_, _) => { if (Interlocked.Increment(ref count) == 1) gate.Set(); }, stream: stream);
        Assert.Equal(3, count);
        Assert.False(stream.TimedOut, "the first row was not delivered until the rest of the body was requested");
    }

    [Fact]
    public void Session_streams_rows_to_OnRow_before_the_response_ends()
    {
        var rows = Rows(20);
        var body = Encoding.UTF8.GetBytes(Decode.QueryBody(string.Join(",", rows)));
        ChunkedStream? stream = null;
        var handler = new FakeHandler(_ =>
        {
            stream = new ChunkedStream(body, seed: 2, maxChunk: 7);
            return Responses.FromStream(stream, System.Net.HttpStatusCode.OK, "application/json");
        });
        using var session = TestSessions.Create(handler);
        var unreadAtRow = new List<int>();
        var options = new CallOptions { Context = new DecodeContext(DateTimeKind.Utc), OnRow = (_, _) => unreadAtRow.Add(stream!.Unread) };
        var result = Assert.IsType<QueryResult>(session.Call(new FtrackOperation[] { new QueryOperation("select name from Task") }, options)[0]);
        Assert.Empty(result.Data);
        Assert.Equal(rows.Count, unreadAtRow.Count);
        Assert.All(unreadAtRow, unread => Assert.True(unread > 0));
        Assert.True(unreadAtRow[0] > body.Length / 2, "the first row came only after half the body");
    }

    private static List<string> Rows(int count)
    {
        var rows = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var project = i == 0
                ? "{\"__entity_type__\":\"Project\",\"id\":\"proj-1\",\"name\":\"Shared project\",\"full_name\":\"Shared \\\"quoted\\\" é\"}"
                : "{\"__entity_type__\":\"Project\",\"id\":\"proj-1\"}";
            rows.Add("{\"__entity_type__\":\"Task\",\"id\":\"task-" + i.ToString(CultureInfo.InvariantCulture) + "\",\"name\":\"Task ñ " + i.ToString(CultureInfo.InvariantCulture)
                + "\",\"bid\":" + (i * 1.5).ToString(CultureInfo.InvariantCulture) + ",\"created_at\":{\"__type__\":\"datetime\",\"value\":\"2026-01-0" + (1 + i % 9).ToString(CultureInfo.InvariantCulture)
                + "T10:00:0" + (i % 10).ToString(CultureInfo.InvariantCulture) + ".25\"},\"project\":" + project + ",\"tags\":[1,\"two\",null,true]}");
        }
        return rows;
    }

    /// <summary>Serves the head, then waits (bounded) for the gate before serving the tail.</summary>
    private sealed class GatedStream : ReadOnlyStream
    {
        private readonly byte[] _head, _tail;
        private readonly ManualResetEventSlim _gate;
        private int _position;

        public GatedStream(byte[] head, byte[] tail, ManualResetEventSlim gate) { _head = head; _tail = tail; _gate = gate; }

        public bool TimedOut { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position < _head.Length)
            {
                var n = Math.Min(count, _head.Length - _position);
                Buffer.BlockCopy(_head, _position, buffer, offset, n);
                _position += n;
                return n;
            }
            if (!_gate.Wait(TimeSpan.FromSeconds(3))) TimedOut = true;
            var t = _position - _head.Length;
            if (t >= _tail.Length) return 0;
            var m = Math.Min(count, _tail.Length - t);
            Buffer.BlockCopy(_tail, t, buffer, offset, m);
            _position += m;
            return m;
        }

    }
}
