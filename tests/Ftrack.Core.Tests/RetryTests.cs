using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using Ftrack.Core;
using Ftrack.Core.Operations;
using Ftrack.Core.Tests.Support;
using Ftrack.Core.Transport;
using Ftrack.Core.Writes;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>Reads are retried on transient failures, bounded and logged; writes never are.</summary>
public sealed class RetryTests
{
    private static readonly FtrackOperation[] Read = { new QueryServerInformationOperation() };

    private static FtrackSession Session(FakeHandler handler, int retries = 3)
    {
        var session = TestSessions.Create(handler);
        session.MaxRetries = retries;
        session.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
        return session;
    }

    private static HttpResponseMessage Info() => Responses.Json("[" + Fixtures.Text(Fixtures.ServerInformation) + "]");

    [Theory]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData((HttpStatusCode)429)]
    public void A_read_is_retried_after_a_transient_status_and_each_retry_is_logged(HttpStatusCode status)
    {
        var handler = new FakeHandler(r => r.Index < 2 ? Responses.Html(status, "<html><title>busy</title></html>") : Info());
        using var session = Session(handler);
        var log = new List<string>();
        var result = session.Call(Read, new CallOptions { Log = log.Add });
        Assert.IsType<Dictionary<string, object?>>(result[0]);
        Assert.Equal(3, handler.Count);
        Assert.Equal(2, session.RetryCount);
        Assert.Equal(2, log.Count(l => l.StartsWith("Retrying query_server_information", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_refused_or_reset_connection_is_retried()
    {
        var handler = new FakeHandler(r => r.Index switch
        {
            0 => throw new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused)),
            1 => throw new HttpRequestException("reset", new IOException("reset", new SocketException((int)SocketError.ConnectionReset))),
            _ => Info(),
        });
        using var session = Session(handler);
        session.Call(Read);
        Assert.Equal(3, handler.Count);
    }

    [Fact]
    public void Retries_are_bounded()
    {
        var handler = new FakeHandler(_ => Responses.Html(HttpStatusCode.ServiceUnavailable, "<title>down</title>"));
        using var session = Session(handler, retries: 2);
        var error = Assert.Throws<FtrackProtocolException>(() => session.Call(Read));
        Assert.Equal(503, error.HttpStatus);
        Assert.Equal(3, handler.Count);
    }

    [Fact]
    public void Retry_After_is_honoured()
    {
        var handler = new FakeHandler(r =>
        {
            if (r.Index > 0) return Info();
            var busy = Responses.Html((HttpStatusCode)429, "<title>slow down</title>");
            busy.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
            return busy;
        });
        using var session = Session(handler);
        var watch = Stopwatch.StartNew();
        session.Call(Read);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), "waited only " + watch.ElapsedMilliseconds + " ms");
    }

    [Fact]
    public void Errors_that_are_not_transient_are_not_retried()
    {
        var handler = new FakeHandler(_ => Responses.Json("{\"exception\":\"ValidationError\",\"content\":\"no\",\"error_code\":null}", HttpStatusCode.BadRequest));
        using var session = Session(handler);
        Assert.Throws<FtrackValidationException>(() => session.Call(Read));
        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public void A_write_is_never_retried()
    {
        var handler = new FakeHandler(_ => Responses.Html(HttpStatusCode.ServiceUnavailable, "<title>down</title>"));
        using var session = Session(handler);
        var create = new RawOperation(new Dictionary<string, object?> { ["action"] = "create", ["entity_type"] = "Task", ["entity_data"] = new Dictionary<string, object?> { ["name"] = "x" } });
        Assert.Throws<FtrackProtocolException>(() => session.Call(new FtrackOperation[] { create }, new CallOptions { Context = new Json.DecodeContext(DateTimeKind.Utc) }));
        Assert.Equal(1, handler.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_batch_whose_answer_was_lost_reports_outcome_unknown_and_checks_whether_it_was_applied(bool applied)
    {
        string? createdId = null;
        var server = new FakeServer
        {
            SchemasJson = "[{\"id\":\"Sequence\",\"properties\":{\"id\":{\"type\":\"string\",\"default\":\"{uid}\"},\"name\":{\"type\":\"string\"}},\"primary_key\":[\"id\"]}]",
            Query = op => "{\"action\":\"query\",\"data\":[" + (applied ? "{\"__entity_type__\":\"Sequence\",\"id\":\"" + createdId + "\"}" : "") + "],\"metadata\":{\"next\":{\"offset\":null}}}",
        };
        var handler = new FakeHandler(r =>
        {
            if (r.Actions.Contains("create"))
            {
                createdId = r.Operations[0].GetProperty("entity_data").GetProperty("id").GetString();
                // The request went out; the answer never came back whole.
                return Responses.FromStream(new FailingStream(Encoding.UTF8.GetBytes("[{\"action\":\"create\",")), HttpStatusCode.OK, "application/json");
            }
            return Responses.Json(server.Respond(r));
        });
        using var session = Session(handler);
        var create = WritePlanner.PlanCreate(session, "Sequence", new Dictionary<string, object?> { ["name"] = "SQ" });
        var error = Assert.Throws<FtrackOutcomeUnknownException>(() => WriteExecutor.Execute(session, new FtrackOperation[] { create }));
        Assert.Equal(applied, error.Applied);
        Assert.Equal(1, handler.Requests.Count(r => r.Actions.Contains("create")));
        // Not finding the entity right away proves nothing (the server may still be applying it).
        Assert.Contains(applied ? "WAS applied" : "outcome is unknown", error.Message);
        Assert.DoesNotContain("NOT applied", error.Message);
        Assert.Equal("Get-FtrackEntity Sequence -Id " + createdId, error.CheckCommand);
        Assert.Equal("Ftrack.OutcomeUnknown", error.ErrorId);
    }

    /// <summary>Yields its bytes, then fails as a dropped connection does.</summary>
    private sealed class FailingStream : MemoryStream
    {
        public FailingStream(byte[] head) : base(head) { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = base.Read(buffer, offset, count);
            return n > 0 ? n : throw new IOException("The connection was reset by the peer.");
        }
    }
}
