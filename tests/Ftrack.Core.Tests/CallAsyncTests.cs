using System.Net;
using Ftrack.Core.Json;
using Ftrack.Core.Operations;
using Ftrack.Core.Tests.Support;
using Ftrack.Core.Transport;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>FtrackSession.CallAsync: the same answers and retry rules as Call, with no thread waiting on the network.</summary>
public sealed class CallAsyncTests
{
    private static readonly FtrackOperation[] Read = { new QueryServerInformationOperation() };

    private static HttpResponseMessage Info() => Responses.Json("[" + Fixtures.Text(Fixtures.ServerInformation) + "]");

    [Fact]
    public async Task Answers_as_Call_does()
    {
        using var session = TestSessions.Create(new FakeHandler(_ => Info()));
        var sync = (IDictionary<string, object?>)session.Call(Read)[0]!;
        var async = (IDictionary<string, object?>)(await session.CallAsync(Read))[0]!;
        Assert.Equal(sync.OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Value), async.OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Value));
        Assert.Equal(2, session.RequestCount);
    }

    [Fact]
    public async Task Many_calls_are_in_flight_at_once_while_the_caller_goes_on()
    {
        // The handler holds every answer until released: if CallAsync blocked a thread per call, the
        // loop below could not start the next call before the previous one was answered.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new FakeHandler(async (_, token) => { await release.Task.WaitAsync(token); return Info(); });
        using var session = TestSessions.Create(handler);

        var starting = Task.Run(() => Enumerable.Range(0, 32).Select(_ => session.CallAsync(Read)).ToArray());
        Task<object?[]>[] calls;
        try
        {
            Assert.True(await Task.WhenAny(starting, Task.Delay(TimeSpan.FromSeconds(10))) == starting, "CallAsync did not return while its request was in flight");
            calls = await starting;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (handler.Count < calls.Length && DateTime.UtcNow < deadline) await Task.Delay(10);
            Assert.Equal(calls.Length, handler.Count);
            Assert.All(calls, c => Assert.False(c.IsCompleted));
        }
        finally
        {
            release.TrySetResult();
        }
        var results = await Task.WhenAll(calls);
        Assert.All(results, r => Assert.IsType<Dictionary<string, object?>>(r[0]));
    }

    [Fact]
    public async Task A_read_is_retried_after_a_transient_failure_and_logged()
    {
        var handler = new FakeHandler(r => r.Index < 2 ? Responses.Html(HttpStatusCode.ServiceUnavailable, "<title>busy</title>") : Info());
        using var session = TestSessions.Create(handler);
        session.MaxRetries = 3;
        session.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
        var log = new List<string>();

        await session.CallAsync(Read, new CallOptions { Log = log.Add });

        Assert.Equal(3, handler.Count);
        Assert.Equal(2, session.RetryCount);
        Assert.Equal(2, log.Count(l => l.StartsWith("Retrying query_server_information", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_write_is_never_retried()
    {
        var handler = new FakeHandler(_ => Responses.Html(HttpStatusCode.ServiceUnavailable, "<title>down</title>"));
        using var session = TestSessions.Create(handler);
        session.MaxRetries = 3;
        session.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
        var create = new RawOperation(new Dictionary<string, object?> { ["action"] = "create", ["entity_type"] = "Task", ["entity_data"] = new Dictionary<string, object?> { ["name"] = "x" } });

        await Assert.ThrowsAsync<FtrackProtocolException>(() => session.CallAsync(new FtrackOperation[] { create }, new CallOptions { Context = new DecodeContext(DateTimeKind.Utc) }));
        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public async Task Cancelling_abandons_the_request_in_flight()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new FakeHandler(async (_, token) => { arrived.TrySetResult(); await Task.Delay(Timeout.Infinite, token); return Info(); });
        using var session = TestSessions.Create(handler);
        using var cancel = new CancellationTokenSource();

        var call = session.CallAsync(Read, new CallOptions { CancellationToken = cancel.Token });
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        cancel.Cancel();

        // As Call reports it: a transport failure of kind Cancelled, naming the operation.
        var error = await Assert.ThrowsAsync<FtrackTransportException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(TransportFailure.Cancelled, error.Failure);
        Assert.Contains("query_server_information", error.Message);
    }

    [Fact]
    public async Task A_closed_session_refuses_before_sending()
    {
        var handler = new FakeHandler(_ => Info());
        var session = TestSessions.Create(handler);
        session.Dispose();
        await Assert.ThrowsAsync<FtrackSessionClosedException>(() => session.CallAsync(Read));
        Assert.Equal(0, handler.Count);
    }
}
