using Ftrack.Server.Query;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Tests;

/// <summary>
/// The page-cursor cache stays small whatever is queried (issue #10 item 12): 16 paged queries
/// with a 16 MB literal took the server from 73 MB to 1.4 GB, because each remembered page end
/// kept the query's whole text. Checked through the cache's own accounting.
/// </summary>
public sealed class PageCursorCacheTests
{
    [Fact]
    public async Task QueriesWithHugeLiteralsAreNotRemembered()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Demo);
        var literal = new string('x', 4 * 1024 * 1024);
        for (var i = 0; i < 4; i++)
        {
            // Paging without order by: exactly the queries whose page ends are remembered.
            await server.QueryAsync($"select name from Task where name is_not \"{literal}{i}\" offset 0 limit 5");
            await server.QueryAsync($"select name from Task where name is_not \"{literal}{i}\" offset 5 limit 5");
        }
        Assert.True(server.Server.PageCursors.Bytes < 1024 * 1024, $"the cache holds {server.Server.PageCursors.Bytes:N0} bytes");
    }

    [Fact]
    public async Task ManyDistinctQueriesStayWithinTheByteBudget()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Demo);
        // Each query half the size still remembered: together more bytes than the budget.
        var filler = new string('y', PageCursorCache.MaxQueryLength / 2);
        for (var i = 0; i < 400; i++)
            await server.QueryAsync($"select name from Task where name is_not \"{filler}{i}\" offset 0 limit 3");
        var cache = server.Server.PageCursors;
        Assert.InRange(cache.Bytes, 1, PageCursorCache.MaxBytes);
        Assert.InRange(cache.Count, 1, PageCursorCache.MaxEntries);
    }

    [Fact]
    public async Task PagingStillUsesRememberedPageEnds()
    {
        await using var server = await TestServer.StartAsync(SeedKind.Demo);
        var all = (await server.QueryAsync("select name from Task")).Select(t => (string)t!["name"]!).ToList();
        var paged = new List<string>();
        for (var offset = 0; offset < all.Count; offset += 10)
            paged.AddRange((await server.QueryAsync($"select name from Task offset {offset} limit 10")).Select(t => (string)t!["name"]!));
        Assert.Equal(all, paged);
        Assert.True(server.Server.PageCursors.Count >= all.Count / 10 - 1, $"{server.Server.PageCursors.Count} page ends remembered");
    }
}
