using System;
using Ftrack.Core.Schema;

namespace Ftrack.Core.Json
{
    /// <summary>
    /// What decoding needs beyond the bytes: the identity map (shared by every page of one query),
    /// how to read naive dates, and the schemas for primary keys. One decoding thread at a time.
    /// </summary>
    public sealed class DecodeContext
    {
        public DecodeContext(DateTimeKind dateKind, SchemaRegistry? schemas = null, IdentityMap? identityMap = null)
        {
            DateKind = dateKind;
            Schemas = schemas;
            IdentityMap = identityMap ?? new IdentityMap();
        }

        public IdentityMap IdentityMap { get; }
        public SchemaRegistry? Schemas { get; }
        /// <summary>Utc when the server reports timezone support; Unspecified (server local) otherwise.</summary>
        public DateTimeKind DateKind { get; }
        internal Utf8StringCache Strings { get; } = new();
    }
}
