using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Ftrack.Core.Json;
using Ftrack.Core.Operations;
using Ftrack.Core.Tests.Support;
using Ftrack.Core.Transport;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>Every way a call can fail, mapped to one typed exception with a message a person can act on.</summary>
public class ErrorMappingTests
{
    private const string Expression = "select name from Task where id is \"00a574b0\"";

    private static readonly FtrackOperation Query = new QueryOperation(Expression);

    /// <summary>Runs one query against the handler (with a given decode context, so no metadata request).</summary>
    private static T Fails<T>(FakeHandler handler, TimeSpan? timeout = null, FtrackOperation? operation = null) where T : Exception
    {
        using var session = TestSessions.Create(handler, timeout: timeout);
        var error = Assert.ThrowsAny<T>(() => session.Call(new[] { operation ?? Query }, new CallOptions { Context = new DecodeContext(DateTimeKind.Utc) }));
        AssertNoApiKey(error);
        Assert.DoesNotContain(TestSessions.ApiKey, session.ToString());
        return error;
    }

    internal static void AssertNoApiKey(Exception error)
    {
        for (var e = error; e != null; e = e.InnerException)
        {
            Assert.DoesNotContain(TestSessions.ApiKey, e.Message);
            if (e is FtrackException f) Assert.DoesNotContain(TestSessions.ApiKey, f.Operation ?? "");
        }
        Assert.DoesNotContain(TestSessions.ApiKey, error.ToString());
    }

    private static string ErrorBody(string name, string content, string? code = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?> { ["exception"] = name, ["content"] = content, ["error_code"] = code });

    public static TheoryData<string, int, Type, string> ServerErrors() => new()
    {
        { "InvalidCredentialsError", 401, typeof(FtrackAuthenticationException), "Ftrack.AuthenticationFailed" },
        { "InvalidCredentialsError", 200, typeof(FtrackAuthenticationException), "Ftrack.AuthenticationFailed" },
        { "PermissionError", 200, typeof(FtrackPermissionException), "Ftrack.PermissionDenied" },
        { "PermissionError", 403, typeof(FtrackPermissionException), "Ftrack.PermissionDenied" },
        { "ValidationError", 200, typeof(FtrackValidationException), "Ftrack.ValidationFailed" },
        { "ValidationError", 400, typeof(FtrackValidationException), "Ftrack.ValidationFailed" },
        { "DuplicateEntryError", 200, typeof(FtrackValidationException), "Ftrack.ValidationFailed" },
        { "ParseError", 200, typeof(FtrackParseException), "Ftrack.QueryParseFailed" },
        { "ParseError", 400, typeof(FtrackParseException), "Ftrack.QueryParseFailed" },
        { "ServerError", 200, typeof(FtrackServerException), "Ftrack.ServerError" },
        { "ServerError", 500, typeof(FtrackServerException), "Ftrack.ServerError" },
        { "NoResultFoundError", 200, typeof(FtrackServerException), "Ftrack.ServerError" },
        { "SomethingNewError", 401, typeof(FtrackAuthenticationException), "Ftrack.AuthenticationFailed" },
    };

    [Theory]
    [MemberData(nameof(ServerErrors))]
    public void Server_error_objects_map_to_typed_exceptions(string name, int status, Type expectedType, string errorId)
    {
        var content = "Details for " + name + ": 'Task' \"00a574b0\" ünïcode";
        var handler = new FakeHandler(_ => Responses.Json(ErrorBody(name, content, "E" + status), (HttpStatusCode)status));
        var error = Fails<FtrackServerException>(handler);

        Assert.Equal(expectedType, error.GetType());
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(name, error.ServerExceptionName);
        Assert.Equal(content, error.ServerMessage);
        Assert.Equal("E" + status, error.ErrorCode);
        Assert.Equal(status, error.HttpStatus);
        Assert.Contains(name, error.Message);
        Assert.Contains(content, error.Message);
        Assert.Contains(Expression, error.Message);
        Assert.Equal(Query.Describe(), error.Operation);
    }

    [Fact]
    public void Unable_to_parse_content_is_a_parse_error_whatever_the_name()
    {
        var handler = new FakeHandler(_ => Responses.Json(ErrorBody("ServerError", "Unable to parse expression \"select\"")));
        var error = Fails<FtrackParseException>(handler);
        Assert.Equal("Ftrack.QueryParseFailed", error.ErrorId);
    }

    [Fact]
    public void Error_in_a_batch_names_the_batch()
    {
        var handler = new FakeHandler(_ => Responses.Json(ErrorBody("ValidationError", "name is required")));
        using var session = TestSessions.Create(handler);
        var operations = new FtrackOperation[]
        {
            new RawOperation(new Dictionary<string, object?> { ["action"] = "create", ["entity_type"] = "Task", ["entity_data"] = new Dictionary<string, object?> { ["__entity_type__"] = "Task" } }),
            new QueryOperation(Expression),
        };
        var error = Assert.Throws<FtrackValidationException>(() => session.Call(operations, new CallOptions { Context = new DecodeContext(DateTimeKind.Utc) }));
        Assert.Contains("batch", error.Message);
        Assert.Contains("2", error.Operation);
        Assert.Contains("name is required", error.Message);
    }

    [Fact]
    public void Html_502_page_is_a_protocol_error_naming_status_and_title()
    {
        const string title = "502 Bad Gateway - upstream unavailable";
        var handler = new FakeHandler(_ => Responses.Html(HttpStatusCode.BadGateway,
            "<!DOCTYPE html>\n<html><head><title>" + title + "</title></head><body><h1>Bad Gateway</h1></body></html>"));
        var error = Fails<FtrackProtocolException>(handler);
        Assert.Equal("Ftrack.InvalidResponse", error.ErrorId);
        Assert.Equal(502, error.HttpStatus);
        Assert.Contains("502", error.Message);
        Assert.Contains(title, error.Message);
        Assert.Contains("text/html", error.Message);
        Assert.Equal(Query.Describe(), error.Operation);
    }

    [Fact]
    public void Html_502_page_arriving_in_small_reads_still_names_its_title()
    {
        const string title = "502 Bad Gateway - upstream unavailable";
        var html = Encoding.UTF8.GetBytes("<!DOCTYPE html>\n<html><head><title>" + title + "</title></head><body></body></html>");
        var handler = new FakeHandler(_ => Responses.FromStream(new ChunkedStream(html, seed: 4, maxChunk: 7), HttpStatusCode.BadGateway, "text/html"));
        var error = Fails<FtrackProtocolException>(handler);
        Assert.Contains(title, error.Message);
    }

    [Fact]
    public void Html_error_without_title_and_plain_text_bodies_are_described()
    {
        var html = Fails<FtrackProtocolException>(new FakeHandler(_ => Responses.Html(HttpStatusCode.GatewayTimeout, "<html><body>gateway timeout</body></html>")));
        Assert.Contains("504", html.Message);
        Assert.Contains("HTML", html.Message);
        var text = Fails<FtrackProtocolException>(new FakeHandler(_ => Responses.FromStream(new MemoryStream(Encoding.UTF8.GetBytes("Service Unavailable\nretry later")), HttpStatusCode.ServiceUnavailable, "text/plain")));
        Assert.Contains("503", text.Message);
        Assert.Contains("Service Unavailable", text.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \r\n  ")]
    public void Empty_200_body_is_a_protocol_error(string body)
    {
        var error = Fails<FtrackProtocolException>(new FakeHandler(_ => Responses.Json(body)));
        Assert.Equal(200, error.HttpStatus);
        Assert.Contains("empty", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("JsonException", error.Message);
    }

    [Fact]
    public void Truncated_body_is_a_protocol_error_saying_it_ended_early()
    {
        var full = Fixtures.AsBody(Fixtures.StatusState2);
        var text = Encoding.UTF8.GetString(full);
        var cut = Encoding.UTF8.GetBytes(text.Substring(0, text.IndexOf("d9b69620", StringComparison.Ordinal))); // inside the second row
        var rows = 0;
        using var session = TestSessions.Create(new FakeHandler(_ => Responses.Json(cut)));
        var error = Assert.Throws<FtrackProtocolException>(() => session.Call(new[] { Query },
            new CallOptions { Context = new DecodeContext(DateTimeKind.Utc), OnRow = (_, _) => rows++ }));
        AssertNoApiKey(error);
        Assert.Contains("ended", error.Message);
        Assert.Contains(cut.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), error.Message);
        Assert.Equal(1, rows); // the complete first row was still delivered
        Assert.Equal(Query.Describe(), error.Operation);
    }

    [Theory]
    [InlineData("[{\"action\":\"query\",\"data\":[{\"id\":}]}]")]
    [InlineData("[{\"action\" \"query\"}]")]
    [InlineData("[{\"action\":\"query\",\"data\":[],}]")]
    [InlineData("{\"exception\":\"ServerError\",\"content\":\"x\"} trailing")]
    public void Invalid_json_is_a_protocol_error(string body)
    {
        var error = Fails<FtrackProtocolException>(new FakeHandler(_ => Responses.Json(body)));
        Assert.Equal("Ftrack.InvalidResponse", error.ErrorId);
        Assert.Contains("JSON", error.Message);
    }

    private static string TaskWithCreatedAt(string value) => Decode.QueryBody(
        "{\"__entity_type__\":\"Task\",\"id\":\"t-1\",\"created_at\":{\"__type__\":\"datetime\",\"value\":\"" + value + "\"}}");

    [Fact]
    public void Invalid_datetime_in_a_response_is_a_protocol_error()
    {
        var error = Fails<FtrackProtocolException>(new FakeHandler(_ => Responses.Json(TaskWithCreatedAt("2026-13-01T00:00:00"))));
        Assert.Contains("2026-13-01T00:00:00", error.Message);
    }

    [Fact]
    public void Out_of_range_datetime_in_a_response_is_a_protocol_error()
    {
        Fails<FtrackProtocolException>(new FakeHandler(_ => Responses.Json(TaskWithCreatedAt("0000-01-01T00:00:00"))));
    }

    [Fact]
    public void Number_too_large_for_a_double_is_infinity_or_a_protocol_error_never_an_untyped_one()
    {
        var body = Decode.QueryBody("{\"__entity_type__\":\"Task\",\"id\":\"t-1\",\"bid\":1e400}");
        using var session = TestSessions.Create(new FakeHandler(_ => Responses.Json(body)));
        try
        {
            var result = (QueryResult)session.Call(new[] { Query }, new CallOptions { Context = new DecodeContext(DateTimeKind.Utc) })[0]!;
            Assert.Equal(double.PositiveInfinity, ((Ftrack.Core.Entities.FtrackEntity)result.Data[0]!)["bid"]);
        }
        catch (FtrackProtocolException) { }
    }

    [Fact]
    public void Integers_beyond_long_decode_as_doubles()
    {
        var rows = Decode.QueryRows(Decode.QueryBody("{\"__entity_type__\":\"Task\",\"id\":\"t-1\",\"big\":123456789012345678901234}"), new DecodeContext(DateTimeKind.Utc));
        Assert.Equal(123456789012345678901234d, Assert.IsType<double>(((Ftrack.Core.Entities.FtrackEntity)rows[0]!)["big"]));
    }

    [Fact]
    public void Json_object_that_is_not_an_error_is_a_protocol_error()
    {
        var error = Fails<FtrackProtocolException>(new FakeHandler(_ => Responses.Json("{\"hello\":\"world\"}")));
        Assert.Contains("neither", error.Message);
    }

    [Fact]
    public void Results_with_an_error_status_are_a_protocol_error()
    {
        var error = Fails<FtrackProtocolException>(new FakeHandler(_ => Responses.Json(Fixtures.AsBody(Fixtures.TaskName), HttpStatusCode.InternalServerError)));
        Assert.Equal(500, error.HttpStatus);
        Assert.Contains("500", error.Message);
    }

    [Fact]
    public void Body_with_a_utf8_byte_order_mark_decodes()
    {
        var body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Fixtures.AsBody(Fixtures.TaskName)).ToArray();
        using var session = TestSessions.Create(new FakeHandler(_ => Responses.Json(body)));
        var result = Assert.IsType<QueryResult>(session.Call(new[] { Query }, new CallOptions { Context = new DecodeContext(DateTimeKind.Utc) })[0]);
        Assert.Single(result.Data);
    }

    [Fact]
    public void Connection_refused_is_a_transport_error()
    {
        var handler = new FakeHandler(_ => throw new HttpRequestException("Connection refused (ftrack.test:443)", new SocketException((int)SocketError.ConnectionRefused)));
        var error = Fails<FtrackTransportException>(handler);
        Assert.Equal(TransportFailure.ConnectionRefused, error.Failure);
        Assert.Equal("Ftrack.ConnectionFailed", error.ErrorId);
        Assert.Contains("ftrack.test", error.Message);
        Assert.Equal(Query.Describe(), error.Operation);
    }

    [Fact]
    public void Unknown_host_is_a_name_resolution_failure()
    {
        var handler = new FakeHandler(_ => throw new HttpRequestException("Name or service not known (ftrack.test:443)", new SocketException((int)SocketError.HostNotFound)));
        var error = Fails<FtrackTransportException>(handler);
        Assert.Equal(TransportFailure.NameResolution, error.Failure);
        Assert.Contains("ftrack.test", error.Message);
    }

    [Fact]
    public void No_answer_within_the_timeout_is_a_timeout()
    {
        var handler = new FakeHandler(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), ct);
            return Responses.Json(Fixtures.AsBody(Fixtures.TaskName));
        });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var error = Fails<FtrackTransportException>(handler, timeout: TimeSpan.FromMilliseconds(250));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "the timeout did not cut the call short");
        Assert.Equal(TransportFailure.Timeout, error.Failure);
        Assert.Equal("Ftrack.Timeout", error.ErrorId);
        Assert.Contains("timeout", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Body_stalling_beyond_the_timeout_is_a_timeout()
    {
        var body = Fixtures.AsBody(Fixtures.StatusState2);
        var handler = new FakeHandler(_ => Responses.FromStream(new StallingStream(body.Take(body.Length / 2).ToArray()), HttpStatusCode.OK, "application/json"));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var error = Fails<FtrackTransportException>(handler, timeout: TimeSpan.FromMilliseconds(300));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "the timeout did not cut the read short");
        Assert.Equal(TransportFailure.Timeout, error.Failure);
    }

    [Fact]
    public void Tls_failure_is_reported_as_tls()
    {
        var wrapped = Fails<FtrackTransportException>(new FakeHandler(_ =>
            throw new HttpRequestException("The SSL connection could not be established", new AuthenticationException("The remote certificate is invalid"))));
        Assert.Equal(TransportFailure.Tls, wrapped.Failure);
        Assert.Contains("certificate is invalid", wrapped.Message);
        var bare = Fails<FtrackTransportException>(new FakeHandler(_ => throw new AuthenticationException("handshake failed")));
        Assert.Equal(TransportFailure.Tls, bare.Failure);
    }

    [Fact]
    public void Stream_breaking_mid_body_is_a_connection_reset()
    {
        var body = Fixtures.AsBody(Fixtures.StatusState2);
        var handler = new FakeHandler(_ => Responses.FromStream(new ChunkedStream(body, seed: 9, maxChunk: 64, failAfter: body.Length / 2), HttpStatusCode.OK, "application/json"));
        var error = Fails<FtrackTransportException>(handler);
        Assert.Equal(TransportFailure.ConnectionReset, error.Failure);
        Assert.IsAssignableFrom<IOException>(error.InnerException);
        Assert.Equal(Query.Describe(), error.Operation);
    }

    [Fact]
    public void Caller_cancellation_is_not_reported_as_a_timeout()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));
        var handler = new FakeHandler(async (_, ct) => { await Task.Delay(TimeSpan.FromSeconds(10), ct); return Responses.Json("[]"); });
        using var session = TestSessions.Create(handler);
        var error = Assert.Throws<FtrackTransportException>(() => session.Call(new[] { Query },
            new CallOptions { Context = new DecodeContext(DateTimeKind.Utc), CancellationToken = cancel.Token }));
        Assert.NotEqual(TransportFailure.Timeout, error.Failure);
        Assert.Contains("cancel", error.Message);
    }

    [Fact]
    public void Encoding_errors_name_the_operation_and_send_nothing()
    {
        var handler = new FakeHandler(_ => Responses.Json("[{}]"));
        using var session = TestSessions.Create(handler);
        var create = new RawOperation(new Dictionary<string, object?> { ["action"] = "create", ["entity_type"] = "Task", ["entity_data"] = new Dictionary<string, object?> { ["bid"] = double.NaN } });
        var error = Assert.Throws<FtrackEncodingException>(() => session.Call(new FtrackOperation[] { create }, new CallOptions { Context = new DecodeContext(DateTimeKind.Utc) }));
        Assert.Equal(0, handler.Count);
        Assert.Contains("create Task", error.Operation);
        Assert.Equal("Ftrack.InvalidValue", error.ErrorId);
    }
}
