using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Management.Automation;
using Ftrack.Core;

namespace Ftrack.Formatting
{
    /// <summary>
    /// The rows of an aggregate query (select count(id), sum(bid) from Task group by status_id): the
    /// server answers one plain dictionary per group, which PowerShell would show as Key/Value rows
    /// run together. Each becomes an object with one property per column, in the order the query
    /// names them (<see cref="Core.Query.QueryStream.AggregateColumns"/>), typed
    /// Ftrack.AggregateRow#&lt;hash of the columns&gt;, with a table view of exactly those columns
    /// added to the runspace once per set of columns — so any number of columns shows as a table.
    /// </summary>
    internal sealed class AggregateRows
    {
        private readonly IReadOnlyList<string> _columns;
        private readonly string _typeName;

        public AggregateRows(IReadOnlyList<string> columns)
        {
            _columns = columns;
            _typeName = "Ftrack.AggregateRow#" + StableHash.Of(string.Join("\n", columns));
        }

        /// <summary>The row as an object (a column the server sent beyond the query's own goes last).</summary>
        public PSObject ToObject(object? row)
        {
            var result = new PSObject();
            foreach (var pair in Ordered(row)) result.Properties.Add(new PSNoteProperty(pair.Key, pair.Value));
            result.TypeNames.Insert(0, _typeName);
            return result;
        }

        /// <summary>The row as an ordered hashtable (-AsHashtable), columns in the same order.</summary>
        public OrderedDictionary ToHashtable(object? row)
        {
            var table = new OrderedDictionary();
            foreach (var pair in Ordered(row)) table[pair.Key] = pair.Value;
            return table;
        }

        /// <summary>Makes sure this runspace has the table of these columns; numbers (as the first row has them) align right.</summary>
        public void RegisterView(PSCmdlet cmdlet, object? firstRow)
        {
            if (!RunspaceFormats.Claim(_typeName)) return;
            var values = firstRow as IDictionary<string, object?>;
            Alignment AlignmentOf(string column) =>
                values != null && values.TryGetValue(column, out var value) && value is int or long or double or decimal or float ? Alignment.Right : Alignment.Undefined;
            var table = TableControl.Create(outOfBand: false, autoSize: false, hideTableHeaders: false);
            foreach (var column in _columns) table.AddHeader(AlignmentOf(column), 0, column);
            var row = table.StartRowDefinition(wrap: false, entrySelectedByType: null, entrySelectedByCondition: null);
            foreach (var column in _columns) row.AddPropertyColumn(column, AlignmentOf(column), format: null);
            RunspaceFormats.Add(cmdlet, new ExtendedTypeDefinition(_typeName, new[] { new FormatViewDefinition(_typeName, row.EndRowDefinition().EndTable()) }));
        }

        private IEnumerable<KeyValuePair<string, object?>> Ordered(object? row)
        {
            if (row is not IDictionary<string, object?> values) yield break;
            foreach (var column in _columns)
                if (values.TryGetValue(column, out var value)) yield return new KeyValuePair<string, object?>(column, value);
            foreach (var pair in values)
                if (!_columns.Contains(pair.Key)) yield return pair;
        }
    }
}
