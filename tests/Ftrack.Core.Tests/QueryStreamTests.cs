using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsCheck;
using Ftrack.Core.Entities;
using Ftrack.Core.Query;
using Ftrack.Core.Tests.Support;
using Ftrack.Core.Transport;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>QueryStream against a fake server that pages a synthetic dataset by the expression's offset/limit.</summary>
public class QueryStreamTests
{
    /// <summary>
    /// Tasks t00000..t{n-1}, each with a project and one of three statuses; per response the first
    /// occurrence of a project/status is full and later ones are references, as the real server does.
    /// </summary>
    private sealed class PagedTaskServer
    {
        private static readonly Regex Paging = new(@"^(?<body>.*?)(?: offset (?<o>\d+))?(?: limit (?<l>\d+))?$", RegexOptions.Singleline);
        private readonly object _lock = new();
        private readonly List<string> _expressions = new();

        public PagedTaskServer(int total) { Total = total; }

        public int Total { get; }
        /// <summary>Called before a query page is answered (page index from 0, the request's cancellation); may block or throw.</summary>
        public Action<int, CancellationToken>? BeforePage { get; set; }
        private CancellationToken _token;
        /// <summary>Answers this page with a server error instead.</summary>
        public int? FailPage { get; set; }

        public IReadOnlyList<string> Expressions { get { lock (_lock) return _expressions.ToArray(); } }
        public int QueryCount { get { lock (_lock) return _expressions.Count; } }

        public static string TaskId(int i) => "t" + i.ToString("D5", CultureInfo.InvariantCulture);

        public string Query(JsonElement op)
        {
            var expression = op.GetProperty("expression").GetString()!;
            int page;
            lock (_lock) { page = _expressions.Count; _expressions.Add(expression); }
            BeforePage?.Invoke(page, _token);
            if (FailPage == page) throw new FakeServerError("{\"exception\":\"ServerError\",\"content\":\"page " + page + " failed\",\"error_code\":null}");
            var m = Paging.Match(expression);
            Assert.Equal("select name, project.name, status.name from Task", m.Groups["body"].Value);
            var offset = m.Groups["o"].Success ? long.Parse(m.Groups["o"].Value, CultureInfo.InvariantCulture) : 0;
            var end = m.Groups["l"].Success ? Math.Min(Total, offset + long.Parse(m.Groups["l"].Value, CultureInfo.InvariantCulture)) : Total;
            var sb = new StringBuilder("{\"action\":\"query\",\"data\":[");
            var seen = new HashSet<string>();
            for (var i = offset; i < end; i++)
            {
                if (i > offset) sb.Append(',');
                var status = "s" + (i % 3).ToString(CultureInfo.InvariantCulture);
                sb.Append("{\"__entity_type__\":\"Task\",\"id\":\"").Append(TaskId((int)i)).Append("\",\"name\":\"Task ").Append(i).Append("\",\"project\":");
                sb.Append(seen.Add("proj") ? "{\"__entity_type__\":\"Project\",\"id\":\"proj\",\"name\":\"Shared\"}" : "{\"__entity_type__\":\"Project\",\"id\":\"proj\"}");
                sb.Append(",\"status\":");
                sb.Append(seen.Add(status) ? "{\"__entity_type__\":\"Status\",\"id\":\"" + status + "\",\"name\":\"Status " + status + "\"}" : "{\"__entity_type__\":\"Status\",\"id\":\"" + status + "\"}");
                sb.Append('}');
            }
            var next = end < Total && offset < end ? end.ToString(CultureInfo.InvariantCulture) : "null";
            sb.Append("],\"metadata\":{\"next\":{\"offset\":").Append(next).Append("}}}");
            return sb.ToString();
        }

        public FakeHandler Handler()
        {
            // No schemas needed here (every type keys on "id"); skip parsing 200 KB per session.
            var server = new FakeServer { Query = Query, SchemasJson = "[]" };
            return new FakeHandler((r, ct) =>
            {
                _token = ct;
                try { return Task.FromResult(Responses.Json(server.Respond(r))); }
                catch (FakeServerError e) { return Task.FromResult(Responses.Json(e.Message)); }
            });
        }
    }

    private sealed class FakeServerError : Exception { public FakeServerError(string body) : base(body) { } }

    private const string Expression = "select name, project.name, status.name from Task";

    private static List<FtrackEntity> ReadAll(QueryStream stream)
    {
        var rows = new List<FtrackEntity>();
        foreach (var item in stream.Read())
            if (item.Kind == QueryStream.ItemKind.Row) rows.Add(Assert.IsType<FtrackEntity>(item.Value));
        return rows;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void All_rows_arrive_in_order_across_pages_and_shared_entities_are_one_object(int pagesInFlight)
    {
        var server = new PagedTaskServer(53);
        using var session = TestSessions.Create(server.Handler());
        using var stream = new QueryStream(session, Expression, new QueryPaging { PageSize = 10, PagesInFlight = pagesInFlight });
        var rows = ReadAll(stream);

        Assert.Equal(Enumerable.Range(0, server.Total).Select(PagedTaskServer.TaskId), rows.Select(r => (string)r["id"]!));
        var needed = Enumerable.Range(0, (server.Total + 9) / 10).Select(p => Expression + " offset " + p * 10 + " limit 10").ToList();
        if (pagesInFlight == 1) Assert.Equal(needed, server.Expressions);
        else
        {
            // Every page needed was asked for once; beyond the last, at most the pages sent ahead.
            Assert.Subset(server.Expressions.ToHashSet(), needed.ToHashSet());
            Assert.Equal(server.QueryCount, server.Expressions.Distinct().Count());
            Assert.InRange(server.QueryCount - needed.Count, 0, pagesInFlight);
        }
        var project = Assert.IsType<FtrackEntity>(rows[0]["project"]);
        Assert.All(rows, r => Assert.Same(project, r["project"]));
        Assert.Equal("Shared", project["name"]);
        // Statuses repeat across pages: one object per status, expanded everywhere.
        Assert.Equal(3, rows.Select(r => r["status"]).Distinct().Count());
        Assert.All(rows, r => Assert.NotNull(((FtrackEntity)r["status"]!)["name"]));
        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.True(stream.ReachedEnd);
        Assert.Equal(needed.Count, stream.Pages);
        Assert.Equal(server.Total, stream.RowCount);
    }

    [Fact]
    public void Page_size_zero_sends_the_expression_as_given_once()
    {
        var server = new PagedTaskServer(25);
        using var session = TestSessions.Create(server.Handler());
        using var stream = new QueryStream(session, Expression, new QueryPaging { PageSize = 0 });
        var rows = ReadAll(stream);
        Assert.Equal(server.Total, rows.Count);
        Assert.Equal(new[] { Expression }, server.Expressions);
    }

    public sealed record Case(int Total, int PageSize, int? ExprOffset, int? ExprLimit, long Skip, long? First)
    {
        public string ExpressionText =>
            Expression + (ExprOffset is { } o ? " offset " + o : "") + (ExprLimit is { } l ? " limit " + l : "");
    }

    private static List<string> Expected(Case c) =>
        Enumerable.Range(0, c.Total).Select(PagedTaskServer.TaskId)
            .Skip(c.ExprOffset ?? 0).Take(c.ExprLimit ?? int.MaxValue)
            .Skip((int)c.Skip).Take((int)(c.First ?? int.MaxValue)).ToList();

    private static void Check(Case c)
    {
        var server = new PagedTaskServer(c.Total);
        using var session = TestSessions.Create(server.Handler());
        using var stream = new QueryStream(session, c.ExpressionText, new QueryPaging { PageSize = c.PageSize, Skip = c.Skip, First = c.First });
        var rows = ReadAll(stream).Select(r => (string)r["id"]!).ToList();
        Assert.Equal(Expected(c), rows);
        if (c.PageSize > 0)
        {
            Assert.All(server.Expressions, e => Assert.True(int.Parse(Regex.Match(e, @"limit (\d+)$").Groups[1].Value, CultureInfo.InvariantCulture) <= c.PageSize, e));
        }
        // No request beyond what the result needs, but for the pages sent ahead (the window) after the last row.
        Assert.True(server.QueryCount <= Expected(c).Count / Math.Max(1, c.PageSize) + 1 + QueryPaging.DefaultPagesInFlight, string.Join(" | ", server.Expressions));
    }

    [Theory]
    [InlineData(50, 10, null, null, 0, null)]
    [InlineData(50, 10, null, null, 7, null)]
    [InlineData(50, 10, null, null, 0, 23)]
    [InlineData(50, 10, null, null, 5, 12)]
    [InlineData(50, 10, 4, null, 3, null)]
    [InlineData(50, 10, null, 12, 0, null)]
    [InlineData(50, 10, null, 12, 0, 30)]
    [InlineData(50, 10, null, 30, 0, 12)]
    [InlineData(50, 7, 3, 20, 0, 6)]
    [InlineData(50, 10, 45, null, 10, null)]
    [InlineData(50, 10, null, 0, 0, null)]
    [InlineData(50, 10, null, null, 0, 0)]
    [InlineData(0, 10, null, null, 0, null)]
    [InlineData(30, 10, null, null, 0, null)]
    public void Skip_and_First_combine_with_the_expressions_own_paging(int total, int pageSize, int? exprOffset, int? exprLimit, int skip, int? first)
        => Check(new Case(total, pageSize, exprOffset, exprLimit, skip, first));

    [Theory]
    [InlineData(50, 10, null, 10, 2, null)]
    [InlineData(50, 10, 3, 10, 2, null)]
    [InlineData(50, 10, 3, 10, 2, 100)]
    public void Skip_stays_within_the_expressions_own_limit(int total, int pageSize, int? exprOffset, int? exprLimit, int skip, int? first)
        => Check(new Case(total, pageSize, exprOffset, exprLimit, skip, first));

    [Fact]
    public void Any_paging_combination_without_an_expression_limit_returns_the_expected_rows()
    {
        Gen.Select(Gen.Int[0, 40], Gen.Int[0, 12], Gen.Int[0, 10].Nullable(), Gen.Int[0, 15], Gen.Int[0, 30].Nullable())
            .Sample((total, pageSize, exprOffset, skip, first) =>
                Check(new Case(total, pageSize, exprOffset, null, skip, first)), iter: 40, threads: 1);
    }

    [Fact]
    public void Any_paging_combination_with_an_expression_limit_and_no_skip_returns_the_expected_rows()
    {
        Gen.Select(Gen.Int[0, 40], Gen.Int[0, 12], Gen.Int[0, 10].Nullable(), Gen.Int[0, 30], Gen.Int[0, 30].Nullable())
            .Sample((total, pageSize, exprOffset, exprLimit, first) =>
                Check(new Case(total, pageSize, exprOffset, exprLimit, 0, first)), iter: 40, threads: 1);
    }

    private static (int Requests, int Rows) StopEarly(int total, int pageSize)
    {
        var server = new PagedTaskServer(total);
        using var session = TestSessions.Create(server.Handler());
        var stream = new QueryStream(session, Expression, new QueryPaging { PageSize = pageSize });
        var rows = 0;
        foreach (var item in stream.Read())
        {
            if (item.Kind != QueryStream.ItemKind.Row) continue;
            if (++rows == 5)
            {
                // A slow consumer: give the producer every chance to run ahead before stopping.
                Thread.Sleep(300);
                break;
            }
        }
        stream.Dispose();
        var requests = server.QueryCount;
        Thread.Sleep(100);
        Assert.Equal(requests, server.QueryCount); // nothing more after Dispose
        return (requests, rows);
    }

    [Fact]
    public void Stopping_early_requests_at_most_the_pages_in_flight_beyond_the_buffered_one_with_the_default_page_size()
    {
        var (requests, rows) = StopEarly(total: 4 * QueryPaging.DefaultPageSize, pageSize: QueryPaging.DefaultPageSize);
        Assert.Equal(5, rows);
        Assert.InRange(requests, 1, 2 + QueryPaging.DefaultPagesInFlight);
    }

    [Fact]
    public void Stopping_early_requests_at_most_the_pages_in_flight_beyond_the_buffered_one_with_small_pages()
    {
        // The consumer holds page 1; page 2 waits in the queue, page 3 is decoded and blocked on
        // handing over; beyond them only the window of pages sent ahead.
        var (requests, rows) = StopEarly(total: 5000, pageSize: 10);
        Assert.Equal(5, rows);
        Assert.InRange(requests, 1, 3 + QueryPaging.DefaultPagesInFlight);
    }

    [Fact]
    public void Pages_sent_ahead_are_in_flight_together_but_never_more_than_the_window()
    {
        var concurrent = 0;
        var most = 0;
        var pages = new PagedTaskServer(200);
        var server = new FakeServer { Query = pages.Query, SchemasJson = "[]" };
        // An answer that takes a while, as a server 30 ms away would.
        var handler = new FakeHandler((r, ct) => Task.Run(async () =>
        {
            var now = Interlocked.Increment(ref concurrent);
            lock (pages) most = Math.Max(most, now);
            await Task.Delay(30, ct);
            Interlocked.Decrement(ref concurrent);
            return Responses.Json(server.Respond(r));
        }, ct));
        using var session = TestSessions.Create(handler);
        using var stream = new QueryStream(session, Expression, new QueryPaging { PageSize = 10, PagesInFlight = 4 });
        var rows = ReadAll(stream);
        Assert.Equal(Enumerable.Range(0, 200).Select(PagedTaskServer.TaskId), rows.Select(r => (string)r["id"]!));
        Assert.InRange(most, 2, 4);
    }

    [Fact]
    public void Dispose_during_a_slow_page_stops_without_further_requests()
    {
        var server = new PagedTaskServer(100);
        using var release = new ManualResetEventSlim(false);
        // The slow page honours the request's cancellation, as a socket read does.
        server.BeforePage = (page, ct) => { if (page == 1) release.Wait(TimeSpan.FromSeconds(5), ct); };
        using var session = TestSessions.Create(server.Handler());
        var stream = new QueryStream(session, Expression, new QueryPaging { PageSize = 10 });
        var rows = 0;
        foreach (var item in stream.Read())
            if (item.Kind == QueryStream.ItemKind.Row && ++rows == 3) break;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        stream.Dispose();
        release.Set();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), "Dispose waited for the slow page");
        Thread.Sleep(100);
        Assert.InRange(server.QueryCount, 1, 2);
    }

    [Fact]
    public void Cancel_while_reading_ends_the_enumeration_quietly()
    {
        var server = new PagedTaskServer(100);
        using var inSecondPage = new ManualResetEventSlim(false);
        server.BeforePage = (page, ct) =>
        {
            if (page != 1) return;
            inSecondPage.Set();
            Task.Delay(TimeSpan.FromSeconds(5), ct).Wait(ct);
        };
        using var session = TestSessions.Create(server.Handler());
        using var stream = new QueryStream(session, Expression, new QueryPaging { PageSize = 10 });
        var rows = 0;
        foreach (var item in stream.Read())
        {
            if (item.Kind != QueryStream.ItemKind.Row || ++rows != 3) continue;
            // Ctrl+C while the next page is on the wire.
            Assert.True(inSecondPage.Wait(TimeSpan.FromSeconds(5)));
            stream.Cancel();
        }
        Assert.InRange(rows, 3, 10);
        Assert.False(stream.ReachedEnd);
    }

    [Fact]
    public void Huge_skip_is_never_sent_as_a_negative_offset()
    {
        var server = new PagedTaskServer(10);
        using var session = TestSessions.Create(server.Handler());
        using var stream = new QueryStream(session, Expression, new QueryPaging { PageSize = 10, Skip = 3_000_000_000L });
        Assert.Empty(ReadAll(stream));
        // The one request asks for the skip as it is: never wrapped into a negative offset.
        Assert.Equal(new[] { Expression + " offset 3000000000 limit 10" }, server.Expressions);
    }

    [Fact]
    public void A_next_offset_that_does_not_advance_stops_paging_with_a_protocol_error()
    {
        var queries = 0;
        var server = new FakeServer
        {
            SchemasJson = "[]",
            Query = _ =>
            {
                Interlocked.Increment(ref queries);
                return "{\"action\":\"query\",\"data\":[{\"__entity_type__\":\"Task\",\"id\":\"same\"}],\"metadata\":{\"next\":{\"offset\":0}}}";
            },
        };
        using var session = TestSessions.Create(server.Handler());
        using var stream = new QueryStream(session, Expression, new QueryPaging { PageSize = 1, PagesInFlight = 1 });
        var error = Assert.Throws<FtrackProtocolException>(() => ReadAll(stream));
        Assert.Contains("next offset", error.Message);
        Assert.Equal(1, queries);
    }

    [Fact]
    public void A_failing_page_surfaces_its_error_after_the_earlier_rows()
    {
        var server = new PagedTaskServer(40) { FailPage = 2 };
        using var session = TestSessions.Create(server.Handler());
        using var stream = new QueryStream(session, Expression, new QueryPaging { PageSize = 10 });
        var rows = new List<object?>();
        var error = Assert.Throws<FtrackServerException>(() =>
        {
            foreach (var item in stream.Read()) if (item.Kind == QueryStream.ItemKind.Row) rows.Add(item.Value);
        });
        Assert.Equal(20, rows.Count);
        Assert.Contains("page 2 failed", error.Message);
        Assert.Contains("offset 20", error.Message);
        Assert.False(stream.ReachedEnd);
    }

    [Fact]
    public void Verbose_lines_and_page_markers_accompany_the_rows()
    {
        var server = new PagedTaskServer(25);
        using var session = TestSessions.Create(server.Handler());
        using var stream = new QueryStream(session, Expression, new QueryPaging { PageSize = 10 }, verbose: true);
        var items = stream.Read().ToList();
        var pages = items.Where(i => i.Kind == QueryStream.ItemKind.Page).Select(i => Convert.ToInt64(i.Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(new long[] { 10, 10, 5 }, pages);
        var verbose = items.Where(i => i.Kind == QueryStream.ItemKind.Verbose).Select(i => (string)i.Value!).ToList();
        // One line per page decoded (a page sent ahead and then not needed is cancelled unlogged).
        Assert.Equal(3, verbose.Count(v => v.Contains("query", StringComparison.Ordinal) && v.Contains("offset", StringComparison.Ordinal)));
        Assert.All(verbose, v => Assert.DoesNotContain(TestSessions.ApiKey, v));
    }
}
