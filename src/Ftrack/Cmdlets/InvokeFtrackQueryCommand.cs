using System;
using System.Management.Automation;
using Ftrack.Adapters;
using Ftrack.Core;
using Ftrack.Core.Entities;
using Ftrack.Core.Query;
using Ftrack.Formatting;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Invoke-FtrackQuery: runs a query expression, page by page, streaming entities into the
    /// pipeline while the next page is fetched. Stops fetching when the pipeline stops. The rows of
    /// a query with a select are shown with its columns (see <see cref="ProjectionViews"/>); an
    /// aggregate's groups are objects of their columns (<see cref="AggregateRows"/>). With
    /// -IncludeTotalCount the total is exact: counted by the server when the rows stop early.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "FtrackQuery", SupportsPaging = true)]
    [OutputType(typeof(FtrackEntity))]
    public sealed class InvokeFtrackQueryCommand : FtrackCmdlet
    {
        private QueryStream? _current;

        /// <summary>The query, e.g. "select name, status.name from Task where project.name is 'demo'".</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Query")]
        [ArgumentCompleter(typeof(Completers.QueryExpressionCompleter))]
        [ValidateNotNullOrEmpty]
        public string Expression { get; set; } = "";

        /// <summary>Rows per request; 0 sends one request for everything.</summary>
        [Parameter]
        [ValidateRange(0, 1000000)]
        public int PageSize { get; set; } = QueryPaging.DefaultPageSize;

        /// <summary>Emit ordered hashtables instead of entity objects.</summary>
        [Parameter]
        public SwitchParameter AsHashtable { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            var session = ResolveSession();
            var paging = new QueryPaging
            {
                PageSize = PageSize,
                Skip = (long)Math.Min(PagingParameters.Skip, long.MaxValue),
                First = PagingParameters.First == ulong.MaxValue ? null : (long)Math.Min(PagingParameters.First, long.MaxValue),
            };
            var converter = AsHashtable ? new EntityHashtableConverter() : null;
            AggregateRows? groups = null;
            var progress = new ProgressRecord(0x0F77, "Invoke-FtrackQuery", "Fetching") { PercentComplete = -1 };
            var showedProgress = false;
            var viewsRegistered = converter != null;
            try
            {
                using var stream = _current = new QueryStream(session, Expression, paging, WantsVerbose, WantsDebug);
                if (stream.AggregateColumns is { } columns) groups = new AggregateRows(columns);
                foreach (var item in stream.Read())
                {
                    switch (item.Kind)
                    {
                        case QueryStream.ItemKind.Row when groups != null:
                            // One object per group, its columns in the query's order, shown as a table.
                            if (!viewsRegistered)
                            {
                                groups.RegisterView(this, item.Value);
                                viewsRegistered = true;
                            }
                            WriteObject(AsHashtable ? groups.ToHashtable(item.Value) : groups.ToObject(item.Value));
                            break;
                        case QueryStream.ItemKind.Row:
                            if (!viewsRegistered && stream.Projection is { } projection)
                            {
                                ProjectionViews.Register(this, projection, session.CachedSchemas, session.CachedServerInformation?.IsTimezoneSupportEnabled ?? true);
                                viewsRegistered = true;
                            }
                            WriteObject(converter != null ? converter.Convert(item.Value) : item.Value);
                            break;
                        case QueryStream.ItemKind.Verbose:
                            WriteVerbose((string)item.Value!);
                            break;
                        case QueryStream.ItemKind.Debug:
                            WriteDebug((string)item.Value!);
                            break;
                        case QueryStream.ItemKind.Page:
                            // A full page means more may follow: worth a progress bar.
                            if (PageSize > 0 && (long)item.Value! >= PageSize)
                            {
                                progress.StatusDescription = stream.RowCount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " rows in " + stream.Pages + " page(s)";
                                WriteProgress(progress);
                                showedProgress = true;
                            }
                            break;
                    }
                }
                if (PagingParameters.IncludeTotalCount)
                {
                    var total = stream.ReachedEnd ? (ulong)paging.Skip + (ulong)stream.RowCount : CountAll(session);
                    WriteObject(total is { } exact ? PagingParameters.NewTotalCount(exact, 1.0) : PagingParameters.NewTotalCount(0, 0.0));
                }
            }
            catch (FtrackException e) when (!Cancellation.IsCancellationRequested)
            {
                WriteFtrackError(e, Expression);
            }
            finally
            {
                _current = null;
                if (showedProgress)
                {
                    progress.RecordType = ProgressRecordType.Completed;
                    try { WriteProgress(progress); } catch (PipelineStoppedException) { }
                }
            }
        }

        /// <summary>
        /// The query's total when the rows stopped short of its end (-First): ftrack counts them (one
        /// aggregate query, <see cref="QueryCount"/>). Null, with a verbose note, when it cannot: an
        /// aggregate query, an expression the module cannot read, or a server without aggregates.
        /// </summary>
        private ulong? CountAll(Core.Transport.FtrackSession session)
        {
            try
            {
                if (QueryCount.Total(session, Expression, NewCallOptions()) is { } total) return (ulong)total;
                WriteVerbose("The total count is unknown: the rows stopped before the end, and no count can be derived from this expression (an aggregate, or one the module cannot read).");
            }
            catch (FtrackException e) when (!Cancellation.IsCancellationRequested)
            {
                WriteVerbose("The total count is unknown: the rows stopped before the end, and the server could not count them (" + e.Message + ").");
            }
            return null;
        }

        /// <inheritdoc />
        protected override void StopProcessing()
        {
            base.StopProcessing();
            _current?.Cancel();
        }
    }
}
