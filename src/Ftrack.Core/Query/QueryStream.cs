using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Ftrack.Core;
using Ftrack.Core.Json;
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

        /// <summary>Chosen by tests/bench: large enough that per-request cost vanishes, small enough to stream.</summary>
        public const int DefaultPageSize = 5000;
    }

    /// <summary>
    /// Runs a query page by page on a background thread and hands rows to the consumer (the
    /// PowerShell pipeline) through a bounded queue: the next page is being fetched and decoded
    /// while the current one is emitted. When the consumer stops early, the fetch is cancelled:
    /// beyond the one page in flight, no further page is requested. Every page shares one
    /// identity map, so an entity seen on two pages is the same object.
    /// </summary>
    public sealed class QueryStream : IDisposable
    {
        private readonly FtrackSession _session;
        private readonly string _written;
        private readonly QueryExpression _expression;
        // Where the expression's types and paths are: checked before sending, and its select shown.
        private readonly QueryOutline _outline;
        private readonly QueryPaging _paging;
        private readonly BlockingCollection<Item> _queue;
        private readonly CancellationTokenSource _cancel = new();
        private readonly bool _verbose, _debug;
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
            _paging = paging;
            _verbose = verbose;
            _debug = debug;
            // One page of rows buffered: with the page being decoded, the producer is at most one page ahead.
            var capacity = paging.PageSize > 0 ? paging.PageSize : 16384;
            _queue = new BlockingCollection<Item>(new ConcurrentQueue<Item>(), capacity);
        }

        /// <summary>What the query selected (its rows are marked with it), or null without a select.</summary>
        internal QueryProjection? Projection { get; }

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
            foreach (var item in _queue.GetConsumingEnumerable())
            {
                if (item.Kind == ItemKind.Row) RowCount++;
                yield return item;
            }
            // The queue completes when the producer ends; surface its failure.
            _producer.GetAwaiter().GetResult();
        }

        private void Produce()
        {
            var token = _cancel.Token;
            try
            {
                var options = new CallOptions
                {
                    CancellationToken = token,
                    Log = _verbose ? line => _queue.Add(new Item(ItemKind.Verbose, line), token) : null,
                    Debug = _debug ? line => _queue.Add(new Item(ItemKind.Debug, line), token) : null,
                    OnRow = (_, row) => _queue.Add(new Item(ItemKind.Row, row), token),
                };
                options.Context = _session.CreateDecodeContext(options);
                long offset = (_expression.Offset ?? 0) + _paging.Skip;
                // The expression's own limit counts from its own offset, so -Skip eats into it.
                long? remaining = _expression.Limit is { } own ? Math.Max(0, own - _paging.Skip) : null;
                if (_paging.First is { } first) remaining = remaining is { } r ? Math.Min(r, first) : first;

                while (remaining is null || remaining > 0)
                {
                    token.ThrowIfCancellationRequested();
                    int? limit = _paging.PageSize > 0 ? _paging.PageSize : null;
                    if (remaining is { } rem) limit = limit is { } l ? (int)Math.Min(l, rem) : (int)Math.Min(rem, int.MaxValue);
                    var pageExpression = _expression.WithPaging(offset > 0 || limit != null ? offset : null, limit);
                    var rows = 0L;
                    var projection = Projection;
                    options.OnRow = (_, row) =>
                    {
                        rows++;
                        if (projection != null && row is Entities.FtrackEntity entity) entity.Projection = projection;
                        _queue.Add(new Item(ItemKind.Row, row), token);
                    };
                    QueryResult result;
                    try
                    {
                        result = _session.Query(pageExpression, options);
                    }
                    catch (FtrackServerException e)
                    {
                        // The caller wrote the expression without this page's offset and limit.
                        e.Restate(pageExpression, _written, offset);
                        throw;
                    }
                    Pages++;
                    _queue.Add(new Item(ItemKind.Page, rows), token);
                    if (remaining != null) remaining -= rows;
                    // Follow the server's next offset; stop on its last page or an empty one.
                    if (result.NextOffset is not { } next || rows == 0 || limit is null)
                    {
                        ReachedEnd = result.NextOffset is null || rows == 0;
                        break;
                    }
                    // A next offset that does not move forward would loop for ever: a server bug.
                    if (next <= offset)
                        throw new FtrackProtocolException("The server's next offset (" + next + ") does not advance past the current one (" + offset + "); paging stopped to avoid a loop. Retry with -PageSize 0.");
                    offset = next;
                }
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                // The consumer stopped: not an error.
            }
            finally
            {
                _queue.CompleteAdding();
            }
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
