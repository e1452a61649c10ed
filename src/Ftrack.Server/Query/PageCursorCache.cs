using System.Collections.Generic;

namespace Ftrack.Server.Query;

/// <summary>
/// Makes paging through a query without "order by" linear instead of quadratic. Such queries
/// are ordered by rowid, so the page at offset N starts right after the rowid that ended the
/// page before it: remembering that rowid turns "OFFSET N" (which steps over N rows) into
/// "rowid &gt; R". Entries are tied to the database's write version, read inside the query's own
/// snapshot, so a cursor is never used against data that changed since it was recorded.
/// <para>
/// An entry is keyed by the query's SQL and values, so its size is the query's: the cache is
/// bounded by bytes as well as by entries, and a query longer than <see cref="MaxQueryLength"/>
/// (a huge literal) is not remembered at all; it pages with OFFSET, correct and only slower.
/// </para>
/// </summary>
internal sealed class PageCursorCache
{
    public const int MaxEntries = 4096;

    /// <summary>Bytes the remembered query texts may take together.</summary>
    public const long MaxBytes = 4L * 1024 * 1024;

    /// <summary>Longer query texts (SQL and values, in characters) are not remembered.</summary>
    public const int MaxQueryLength = 16 * 1024;

    /// <summary>What one entry costs besides its text: the dictionary entry, the key tuple, the string header.</summary>
    private const int EntryOverhead = 96;

    private readonly Dictionary<(string Query, long WriteVersion, long Offset), long> _cursors = new();
    private readonly object _lock = new();
    private long _bytes;

    /// <summary>Entries held.</summary>
    public int Count
    {
        get { lock (_lock) return _cursors.Count; }
    }

    /// <summary>Memory the entries take, in bytes (their texts plus a fixed overhead each).</summary>
    public long Bytes
    {
        get { lock (_lock) return _bytes; }
    }

    /// <summary>The key of a query's SQL and values; null when it is too long to remember.</summary>
    public static string? KeyOf(string sql, IReadOnlyList<object?> parameters)
    {
        var length = sql.Length;
        var values = new string?[parameters.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = System.Convert.ToString(parameters[i], System.Globalization.CultureInfo.InvariantCulture);
            length += 1 + (values[i]?.Length ?? 0);
            if (length > MaxQueryLength)
                return null;
        }
        return sql + "\u0001" + string.Join("\u0001", values);
    }

    public bool TryGet(string query, long writeVersion, long offset, out long rowid)
    {
        lock (_lock)
            return _cursors.TryGetValue((query, writeVersion, offset), out rowid);
    }

    public void Store(string query, long writeVersion, long offset, long rowid)
    {
        var size = EntryOverhead + query.Length * 2L;
        lock (_lock)
        {
            if (_cursors.ContainsKey((query, writeVersion, offset)))
                return;
            // Full: start over. Entries are cheap to rebuild (one page each), and most belong to
            // write versions that have passed anyway.
            if (_cursors.Count >= MaxEntries || _bytes + size > MaxBytes)
            {
                _cursors.Clear();
                _bytes = 0;
            }
            _cursors[(query, writeVersion, offset)] = rowid;
            _bytes += size;
        }
    }
}
