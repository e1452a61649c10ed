using System.Collections.Generic;

namespace Ftrack.Core.Transport
{
    /// <summary>The result of query_server_information.</summary>
    public sealed class ServerInformation
    {
        /// <summary>What query_server_information answered.</summary>
        public ServerInformation(IDictionary<string, object?> values)
        {
            Values = values;
            Version = values.TryGetValue("version", out var v) ? v as string : null;
            SchemaHash = values.TryGetValue("schema_hash", out var h) ? h as string : null;
            IsTimezoneSupportEnabled = values.TryGetValue("is_timezone_support_enabled", out var tz) && tz is true;
        }

        /// <summary>The server's version, e.g. 4.13.0.</summary>
        public string? Version { get; }
        /// <summary>Changes when the schemas change: the disk cache is keyed by it.</summary>
        public string? SchemaHash { get; }
        /// <summary>When true the server keeps datetimes in UTC; naive values are UTC.</summary>
        public bool IsTimezoneSupportEnabled { get; }
        /// <summary>Everything the server reported.</summary>
        public IDictionary<string, object?> Values { get; }
    }
}
