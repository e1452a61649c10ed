using System.Collections.Generic;

namespace Ftrack.Core.Operations
{
    /// <summary>The decoded result of one query operation.</summary>
    public sealed class QueryResult
    {
        /// <summary>Rows, where the next page starts, and the server's metadata.</summary>
        public QueryResult(List<object?> data, long? nextOffset, IDictionary<string, object?>? metadata)
        {
            Data = data;
            NextOffset = nextOffset;
            Metadata = metadata;
        }

        /// <summary>The rows (entities). Empty when the rows were streamed to a callback instead.</summary>
        public List<object?> Data { get; }
        /// <summary>metadata.next.offset: where the next page starts, or null on the last page.</summary>
        public long? NextOffset { get; }
        /// <summary>Everything the server put in "metadata".</summary>
        public IDictionary<string, object?>? Metadata { get; }
    }

    /// <summary>A result kept as the server's raw JSON bytes.</summary>
    public sealed class RawJsonResult
    {
        /// <summary>The bytes of one result element.</summary>
        public RawJsonResult(byte[] json) { Json = json; }
        /// <summary>The result element's exact bytes.</summary>
        public byte[] Json { get; }
    }
}
