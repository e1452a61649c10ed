using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Ftrack.Core.Operations;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Query
{
    /// <summary>Paging options of one query.</summary>
    public sealed class QueryPaging
    {
        /// <summary>Rows per request. 0 = no paging: one request for everything.</summary>
        public int PageSize { get; set; } = DefaultPageSize;
        /// <summary>Rows to skip before the first one returned (added to the expression's own offset).</summary>
        public long Skip { get; set; }
        /// <summary>At most this many rows (combined with the expression's own limit).</summary>
        public long? First { get; set; }
        /// <summary>
        /// At most this many page requests on their way at once (1: one after another). More hides a
        /// real server's latency; the window opens only after full pages (1, 2, 4, …), so a result of
        /// one page costs one request, and a stopped pipeline wastes at most the pages in flight.
        /// </summary>
        public int PagesInFlight { get; set; } = DefaultPagesInFlight;

        /// <summary>Chosen by tests/bench: large enough that per-request cost vanishes, small enough to stream.</summary>
        public const int DefaultPageSize = 5000;
        /// <summary>Chosen by tests/bench: enough to hide 50 ms of latency per page of 1,000 rows.</summary>
        public const int DefaultPagesInFlight = 4;
    }

    /// <summary>
    /// Runs a query page by page on a thread of its own and hands rows to the consumer (the
    /// PowerShell pipeline) through a bounded queue, in chunks (one hand-over per chunk, not per
    /// row). The first page is decoded as it arrives; once a page comes back full, the following
    /// pages are requested ahead (their offsets are known), several in flight, and decoded in order
    /// while the consumer works. When the consumer stops early, fetching is cancelled: beyond the
    /// pages in flight, no further page is requested. Every page shares one identity map, so an
    /// entity seen on two pages is the same object.
    /// </summary>
    public sealed class QueryStream : IDisposable
    {
        // A chunk is handed over when it has this many rows, at the end of a page, and before the
        // decoder waits for the network: rows never wait for bytes that have not arrived.
        private const int ChunkRows = 256;
        private const int QueuedChunks = 2;

        private readonly FtrackSession _session;
        private readonly string _written;
        private readonly QueryExpression _expression;
        // Where the expression's types and paths are: checked before sending, and its select shown.
        private readonly QueryOutline _outline;
        private readonly QueryPaging _paging;
        private readonly BlockingCollection<List<Item>> _queue;
        private readonly CancellationTokenSource _cancel = new();
        private readonly bool _verbose, _debug;
        private List<Item> _chunk = new(ChunkRows);
        private Task? _producer;

        /// <summary>What the consumer receives: a row, a log line, or a page marker. A failure is thrown by Read at the point it happened.</summary>
        public readonly struct Item
        {
            /// <summary>An item of the given kind.</summary>
            public Item(ItemKind kind, object? value) { Kind = kind; Value = value; }
            /// <summary>What the item is.</summary>
            public ItemKind Kind { get; }
            /// <summary>The row, the log line, or the page's row count.</summary>
            public object? Value { get; }
        }

        /// <summary>A row, a verbose line, a debug line, or the end of a page (with its row count).</summary>
        public enum ItemKind
        {
            /// <summary>A row (an entity).</summary>
            Row,
            /// <summary>A verbose line (one per HTTP call).</summary>
            Verbose,
            /// <summary>A debug line (bodies, truncated).</summary>
            Debug,
            /// <summary>The end of a page; the value is its row count.</summary>
            Page,
        }

        /// <summary>A query of <paramref name="expression"/> through <paramref name="session"/>; nothing is sent until <see cref="Read"/>.</summary>
        public QueryStream(FtrackSession session, string expression, QueryPaging paging, bool verbose = true, bool debug = false)
        {
            _session = session;
            _written = expression;
            _expression = QueryExpression.Parse(expression);
            _outline = QueryOutline.Parse(expression);
            Projection = QueryProjection.Of(_outline);
            if (_outline.IsComplete && _outline.Root.IsAggregate)
                AggregateColumns = _outline.Root.GroupBy.Where(g => !_outline.Root.Columns.Contains(g)).Concat(_outline.Root.Columns).ToList();
            _paging = paging;
            _verbose = verbose;
            _debug = debug;
            // A few chunks of decoded rows waiting (at most one page; chunks end at page ends): the
            // pages sent ahead wait as bytes, which is cheaper. Rows that wait long outlive young
            // collections and pile up as old garbage: a long streamed query's memory would grow.
            var rows = paging.PageSize > 0 ? paging.PageSize : 16384;
            _queue = new BlockingCollection<List<Item>>(new ConcurrentQueue<List<Item>>(), Math.Max(1, Math.Min(QueuedChunks, (rows + ChunkRows - 1) / ChunkRows)));
        }

        /// <summary>What the query selected (its rows are marked with it), or null without a select.</summary>
        internal QueryProjection? Projection { get; }

        /// <summary>
        /// For an aggregate query (its rows are groups: plain key → value dictionaries), the columns in
        /// the order to show them: the grouped paths that were not selected (what names a group), then
        /// the select list in its order; null for any other query.
        /// </summary>
        public IReadOnlyList<string>? AggregateColumns { get; }

        /// <summary>Rows received so far.</summary>
        public long RowCount { get; private set; }
        /// <summary>Pages received so far.</summary>
        public int Pages { get; private set; }
        /// <summary>True when the server said there are no more rows (so RowCount + skipped rows is the total).</summary>
        public bool ReachedEnd { get; private set; }

        /// <summary>
        /// Starts fetching and yields items until the last page; rethrows a failure at the point it
        /// happened. First the expression is checked against the session's schemas (when it has them):
        /// an unknown type or attribute fails with <see cref="FtrackUsageException"/> before anything is sent.
        /// </summary>
        public IEnumerable<Item> Read()
        {
            if (_producer is null && _session.CachedSchemas is { } schemas) QueryCheck.Verify(schemas, _written, _outline);
            // A thread of its own: the producer blocks on the network and on the bounded queue, and N
            // parallel queries must not pin N thread-pool threads.
            _producer ??= Task.Factory.StartNew(Produce, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            foreach (var chunk in _queue.GetConsumingEnumerable())
            {
                foreach (var item in chunk)
                {
                    if (item.Kind == ItemKind.Row) RowCount++;
                    yield return item;
                }
            }
            // The queue completes when the producer ends; surface its failure.
            _producer.GetAwaiter().GetResult();
        }

        /// <summary>One page: where it starts, how many rows it asks for, its expression, and its request if it was sent ahead.</summary>
        private sealed class Page
        {
            public Page(long offset, int? limit, string expression, PrefetchedRead? ahead) { Offset = offset; Limit = limit; Expression = expression; Ahead = ahead; }
            public long Offset { get; }
            public int? Limit { get; }
            public string Expression { get; }
            public PrefetchedRead? Ahead { get; }
        }

        private void Produce()
        {
            var token = _cancel.Token;
            var window = new Queue<Page>();
            try
            {
                var options = new CallOptions
                {
                    CancellationToken = token,
                    Log = _verbose ? line => Add(new Item(ItemKind.Verbose, line), token) : null,
                    Debug = _debug ? line => Add(new Item(ItemKind.Debug, line), token) : null,
                    BeforeWait = () => Flush(token),
                };
                options.Context = _session.CreateDecodeContext(options);
                options.Context.Projection = Projection;
                var start = (_expression.Offset ?? 0) + _paging.Skip;
                // The expression's own limit counts from its own offset, so -Skip eats into it.
                long? wanted = _expression.Limit is { } own ? Math.Max(0, own - _paging.Skip) : null;
                if (_paging.First is { } first) wanted = wanted is { } w ? Math.Min(w, first) : first;
                // Where the next page to plan starts; pages planned beyond what is wanted are never sent.
                var nextOffset = start;
                var inFlight = 1;

                Page? Plan(bool sendAhead)
                {
                    long? left = wanted is { } total ? total - (nextOffset - start) : null;
                    if (left is <= 0) return null;
                    int? limit = _paging.PageSize > 0 ? _paging.PageSize : null;
                    if (left is { } l) limit = limit is { } size ? (int)Math.Min(size, l) : (int)Math.Min(l, int.MaxValue);
                    var expression = _expression.WithPaging(nextOffset > 0 || limit != null ? nextOffset : null, limit);
                    var ahead = sendAhead ? _session.PrefetchRead(new FtrackOperation[] { new QueryOperation(expression) }, options) : null;
                    var page = new Page(nextOffset, limit, expression, ahead);
                    nextOffset += limit ?? 0;
                    return page;
                }

                // Nothing wanted (-First 0, limit 0): nothing is sent.
                if (Plan(sendAhead: false) is { } firstPage) window.Enqueue(firstPage);
                while (window.Count > 0)
                {
                    token.ThrowIfCancellationRequested();
                    var page = window.Dequeue();
                    var rows = 0L;
                    var query = options.Copy();
                    query.OnRow = (_, row) =>
                    {
                        rows++;
                        Add(new Item(ItemKind.Row, row), token);
                        // A page that fills up means more may follow: ask for the next ones now, while this one is still decoding.
                        if (page.Limit is { } full && rows == full && _paging.PagesInFlight > 1 && window.Count < inFlight)
                        {
                            // Hand the rows over first: sending may take a moment (a new connection).
                            Flush(token);
                            while (window.Count < inFlight && Plan(sendAhead: true) is { } ahead) window.Enqueue(ahead);
                        }
                    };
                    QueryResult result;
                    try
                    {
                        using (page.Ahead)
                            result = page.Ahead is { } prefetched ? (QueryResult)prefetched.Complete(query)[0]! : _session.Query(page.Expression, query);
                    }
                    catch (FtrackServerException e)
                    {
                        // The caller wrote the expression without this page's offset and limit.
                        e.Restate(page.Expression, _written, page.Offset);
                        throw;
                    }
                    Pages++;
                    Add(new Item(ItemKind.Page, rows), token);
                    Flush(token);
                    // Follow the server's next offset; stop on its last page or an empty one.
                    if (result.NextOffset is not { } next || rows == 0 || page.Limit is null)
                    {
                        ReachedEnd = result.NextOffset is null || rows == 0;
                        break;
                    }
                    // A next offset that does not move forward would loop for ever: a server bug.
                    if (next <= page.Offset)
                        throw new FtrackProtocolException("The server's next offset (" + next + ") does not advance past the current one (" + page.Offset + "); paging stopped to avoid a loop. Retry with -PageSize 0.");
                    if (window.Count > 0 && window.Peek().Offset == next)
                    {
                        inFlight = Math.Min(_paging.PagesInFlight, inFlight * 2);
                        continue;
                    }
                    // Nothing sent ahead, or the server pages differently from the guess: follow the server.
                    if (window.Count > 0) { DisposeAll(window); inFlight = 1; }
                    nextOffset = next;
                    if (Plan(sendAhead: false) is { } following) window.Enqueue(following);
                }
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                // The consumer stopped: not an error.
            }
            finally
            {
                DisposeAll(window);
                try { Flush(CancellationToken.None); } catch (InvalidOperationException) { }
                _queue.CompleteAdding();
            }
        }

        private static void DisposeAll(Queue<Page> window)
        {
            while (window.Count > 0) window.Dequeue().Ahead?.Dispose();
        }

        private void Add(Item item, CancellationToken token)
        {
            _chunk.Add(item);
            if (_chunk.Count >= ChunkRows) Flush(token);
        }

        private void Flush(CancellationToken token)
        {
            if (_chunk.Count == 0) return;
            var full = _chunk;
            _chunk = new List<Item>(ChunkRows);
            _queue.Add(full, token);
        }

        /// <summary>Stops fetching (e.g. Select-Object -First reached, or Ctrl+C).</summary>
        public void Cancel()
        {
            if (!_cancel.IsCancellationRequested) _cancel.Cancel();
        }

        /// <summary>Stops fetching and waits (briefly) for the producer to end.</summary>
        public void Dispose()
        {
            Cancel();
            try { _producer?.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
            _queue.Dispose();
            _cancel.Dispose();
        }
    }
}
