using System.Collections.Generic;

namespace Ftrack.Core.Operations
{
    /// <summary>The decoded result of one query operation.</summary>
    public sealed class QueryResult
    {
        public QueryResult(List<object?> data, int? nextOffset, IDictionary<string, object?>? metadata)
        {
            Data = data;
            NextOffset = nextOffset;
            Metadata = metadata;
        }

        /// <summary>The rows (entities). Empty when the rows were streamed to a callback instead.</summary>
        public List<object?> Data { get; }
        /// <summary>metadata.next.offset: where the next page starts, or null on the last page.</summary>
        public int? NextOffset { get; }
        public IDictionary<string, object?>? Metadata { get; }
    }

    /// <summary>A result kept as the server's raw JSON bytes.</summary>
    public sealed class RawJsonResult
    {
        public RawJsonResult(byte[] json) { Json = json; }
        public byte[] Json { get; }
    }
}
