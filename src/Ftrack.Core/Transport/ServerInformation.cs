using System.Collections.Generic;

namespace Ftrack.Core.Transport
{
    /// <summary>The result of query_server_information.</summary>
    public sealed class ServerInformation
    {
        public ServerInformation(IDictionary<string, object?> values)
        {
            Values = values;
            Version = values.TryGetValue("version", out var v) ? v as string : null;
            SchemaHash = values.TryGetValue("schema_hash", out var h) ? h as string : null;
            IsTimezoneSupportEnabled = values.TryGetValue("is_timezone_support_enabled", out var tz) && tz is true;
        }

        public string? Version { get; }
        public string? SchemaHash { get; }
        /// <summary>When true the server keeps datetimes in UTC; naive values are UTC.</summary>
        public bool IsTimezoneSupportEnabled { get; }
        /// <summary>Everything the server reported.</summary>
        public IDictionary<string, object?> Values { get; }
    }
}
