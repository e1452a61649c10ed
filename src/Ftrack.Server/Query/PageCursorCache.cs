using System.Collections.Concurrent;

namespace Ftrack.Server.Query;

/// <summary>
/// Makes paging through a query without "order by" linear instead of quadratic. Such queries
/// are ordered by rowid, so the page at offset N starts right after the rowid that ended the
/// page before it: remembering that rowid turns "OFFSET N" (which steps over N rows) into
/// "rowid &gt; R". Entries are tied to the database's write version, read inside the query's own
/// snapshot, so a cursor is never used against data that changed since it was recorded.
/// </summary>
internal sealed class PageCursorCache
{
    private const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<(string Query, long WriteVersion, long Offset), long> _cursors = new();

    public bool TryGet(string query, long writeVersion, long offset, out long rowid) =>
        _cursors.TryGetValue((query, writeVersion, offset), out rowid);

    public void Store(string query, long writeVersion, long offset, long rowid)
    {
        if (_cursors.Count >= MaxEntries)
            _cursors.Clear();
        _cursors[(query, writeVersion, offset)] = rowid;
    }
}
