using System;
using System.Collections.Generic;
using System.Text.Json;
using Ftrack.Core.Operations;
using Ftrack.Core.Schema;

namespace Ftrack.Core.Transport
{
    /// <summary>
    /// What a session knows about its server: the server information and the schemas, fetched in
    /// the one request that verifies the credentials, with the schemas cached on disk per server and
    /// schema_hash. A failed fetch leaves what was known as it was, so the next call simply tries again.
    /// </summary>
    internal sealed class ServerMetadata
    {
        private readonly Uri _server;
        private readonly SchemaCache _cache;
        private readonly Func<IReadOnlyList<FtrackOperation>, CallOptions?, object?[]> _call;
        private readonly object _lock = new();
        private volatile ServerInformation? _information;
        private volatile SchemaRegistry? _schemas;

        public ServerMetadata(Uri server, SchemaCache cache, Func<IReadOnlyList<FtrackOperation>, CallOptions?, object?[]> call)
        {
            _server = server;
            _cache = cache;
            _call = call;
        }

        public ServerInformation? CachedInformation => _information;
        public SchemaRegistry? CachedSchemas => _schemas;

        /// <summary>
        /// Verifies the credentials and loads server information, with the schemas in the same
        /// request unless they are cached on disk for this server. One request either way.
        /// </summary>
        public ServerInformation Connect(CallOptions? options)
        {
            lock (_lock)
            {
                if (!_cache.HasAny(_server)) return LoadBoth(options);
                var info = ToServerInformation(_call(new FtrackOperation[] { new QueryServerInformationOperation() }, options)[0]);
                _schemas = null; // a reconnect may find new schemas: never keep stale ones
                if (info.SchemaHash != null && _cache.TryLoad(_server, info.SchemaHash) is { } cached)
                {
                    try { _schemas = SchemaRegistry.Parse(cached); }
                    catch (Exception e) when (e is JsonException or FormatException) { _schemas = null; }
                }
                _information = info;
                return info;
            }
        }

        public ServerInformation GetInformation(CallOptions? options)
        {
            var info = _information;
            if (info != null) return info;
            lock (_lock) return _information ?? LoadBoth(options);
        }

        public SchemaRegistry GetSchemas(CallOptions? options)
        {
            var schemas = _schemas;
            if (schemas != null) return schemas;
            lock (_lock)
            {
                if (_schemas != null) return _schemas;
                if (_information == null) { LoadBoth(options); return _schemas!; }
                var raw = (RawJsonResult)_call(new FtrackOperation[] { new QuerySchemasOperation() }, options)[0]!;
                _schemas = ParseAndCache(raw, _information.SchemaHash);
                return _schemas;
            }
        }

        /// <summary>Forgets what is known (e.g. after the server's schemas changed).</summary>
        public void Reset()
        {
            lock (_lock) { _information = null; _schemas = null; }
        }

        private ServerInformation LoadBoth(CallOptions? options)
        {
            // Both in one request. Assign only after both parsed.
            var results = _call(new FtrackOperation[] { new QueryServerInformationOperation(), new QuerySchemasOperation() }, options);
            var info = ToServerInformation(results[0]);
            _schemas = ParseAndCache((RawJsonResult)results[1]!, info.SchemaHash);
            _information = info;
            return info;
        }

        private SchemaRegistry ParseAndCache(RawJsonResult raw, string? schemaHash)
        {
            SchemaRegistry registry;
            try { registry = SchemaRegistry.Parse(raw.Json); }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                throw new FtrackProtocolException("The server's schemas could not be read: " + e.Message, 200, e);
            }
            if (schemaHash != null) _cache.Store(_server, schemaHash, raw.Json);
            return registry;
        }

        private static ServerInformation ToServerInformation(object? result) =>
            result is IDictionary<string, object?> values
                ? new ServerInformation(values)
                : throw new FtrackProtocolException("query_server_information did not return an object.");
    }
}
