using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ftrack.Core.Json;
using Ftrack.Core.Operations;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Tests.Support;

/// <summary>
/// Finds the recorded server responses in shared/fixtures/ftrack-server by walking up from the test
/// binaries (the repository clone and shared/ sit side by side, wherever the clone is).
/// </summary>
internal static class Fixtures
{
    private const string Relative = "shared/fixtures/ftrack-server";
    private static readonly Lazy<string> LazyDirectory = new(Locate);

    public static string Directory => LazyDirectory.Value;

    public const string ServerInformation = "query_server_information.json";
    public const string Schemas = "query_schemas.json";
    public const string ServerInformationAndSchemas = "query_server_information_query_schemas.json";
    public const string TaskName = "query_select_name_from_task_limit_1.json";
    public const string TaskCreatedAt = "query_select_name,_created_at_from_task_limit_1.json";
    public const string StatusState1 = "query_select_status.state.short_from_task_where_status.state.short_is_not_started_limit_1.json";
    public const string StatusState2 = "query_select_status.state.short_from_task_where_status.state.short_is_not_started_limit_2.json";
    public const string CyclicVersions = "query_select_version,_asset.versions.version_from_assetversion_where_asset_id_is_not_none_limit_1.json";

    private static string Locate()
    {
        var parts = Relative.Split('/');
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(new[] { dir.FullName }.Concat(parts).ToArray());
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException(
            "Could not find '" + Relative + "' in any parent directory of " + AppContext.BaseDirectory
            + ". The recorded ftrack responses live in the 'shared' folder next to the repository clone; check it out there.");
    }

    public static string PathOf(string name)
    {
        var path = Path.Combine(Directory, name);
        if (!File.Exists(path)) throw new FileNotFoundException("Fixture '" + name + "' is missing from " + Directory, path);
        return path;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> Cache = new(StringComparer.Ordinal);

    /// <summary>The file's bytes (a fresh copy; the files are read once).</summary>
    public static byte[] Bytes(string name) => (byte[])Cache.GetOrAdd(name, n => File.ReadAllBytes(PathOf(n))).Clone();

    public static string Text(string name) => Encoding.UTF8.GetString(Cache.GetOrAdd(name, n => File.ReadAllBytes(PathOf(n))));

    public static JsonDocument Json(string name) => JsonDocument.Parse(Bytes(name));

    /// <summary>Every *.json fixture in the folder.</summary>
    public static IEnumerable<string> All() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal)!;

    /// <summary>A single-result fixture as the body of a one-operation request.</summary>
    public static byte[] AsBody(string name)
    {
        var bytes = Bytes(name);
        var body = new byte[bytes.Length + 2];
        body[0] = (byte)'[';
        Buffer.BlockCopy(bytes, 0, body, 1, bytes.Length);
        body[^1] = (byte)']';
        return body;
    }

    /// <summary>The operations whose response body (or element) a fixture is, judged by its name.</summary>
    public static FtrackOperation[] OperationsFor(string name)
    {
        var stem = Path.GetFileNameWithoutExtension(name);
        if (stem == "query_server_information_query_schemas")
            return new FtrackOperation[] { new QueryServerInformationOperation(), new QuerySchemasOperation() };
        if (stem == "query_server_information") return new FtrackOperation[] { new QueryServerInformationOperation() };
        if (stem == "query_schemas") return new FtrackOperation[] { new QuerySchemasOperation() };
        if (stem.StartsWith("query_", StringComparison.Ordinal))
            return new FtrackOperation[] { new QueryOperation(stem.Substring("query_".Length).Replace('_', ' ')) };
        var action = stem.StartsWith("create_", StringComparison.Ordinal) ? "create"
            : stem.StartsWith("update_", StringComparison.Ordinal) ? "update"
            : stem;
        return new FtrackOperation[] { new RawOperation(new Dictionary<string, object?> { ["action"] = action }) };
    }

    /// <summary>True when the file is a whole response body (an array of results), not one element.</summary>
    public static bool IsWholeBody(string name) => name == ServerInformationAndSchemas;

    public static byte[] BodyFor(string name) => IsWholeBody(name) ? Bytes(name) : AsBody(name);
}

/// <summary>Direct access to the streaming reader, without HTTP.</summary>
internal static class Decode
{
    public static object?[] Body(byte[] body, IReadOnlyList<FtrackOperation> operations, DecodeContext context,
        Action<int, object?>? onRow = null, Stream? stream = null, int httpStatus = 200)
    {
        using var reader = new ResponseReader(stream ?? new MemoryStream(body), new ValueDecoder(context));
        return reader.Read(operations, onRow, httpStatus);
    }

    public static object?[] Body(string json, IReadOnlyList<FtrackOperation> operations, DecodeContext context)
        => Body(Encoding.UTF8.GetBytes(json), operations, context);

    /// <summary>Rows of a single query result body.</summary>
    public static List<object?> QueryRows(byte[] body, DecodeContext context, Stream? stream = null)
        => ((QueryResult)Body(body, new FtrackOperation[] { new QueryOperation("Whatever") }, context, stream: stream)[0]!).Data;

    public static List<object?> QueryRows(string json, DecodeContext context)
        => QueryRows(Encoding.UTF8.GetBytes(json), context);

    public static string QueryBody(string rowsJson, string next = "null")
        => "[{\"action\":\"query\",\"data\":[" + rowsJson + "],\"metadata\":{\"next\":{\"offset\":" + next + "}}}]";
}

/// <summary>A request as the fake server saw it (captured before the session disposes it).</summary>
internal sealed class RecordedRequest
{
    public RecordedRequest(HttpRequestMessage message, byte[] body, int index)
    {
        Index = index;
        Method = message.Method;
        Uri = message.RequestUri;
        Body = body;
        Headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in message.Headers) Headers[h.Key] = h.Value.ToArray();
        if (message.Content != null)
            foreach (var h in message.Content.Headers) Headers[h.Key] = h.Value.ToArray();
        ContentType = message.Content?.Headers.ContentType?.MediaType;
        Accept = message.Headers.Accept.Select(a => a.MediaType ?? "").ToArray();
        using var doc = JsonDocument.Parse(body);
        Operations = doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    public int Index { get; }
    public HttpMethod Method { get; }
    public Uri? RequestUri => Uri;
    public Uri? Uri { get; }
    public byte[] Body { get; }
    public string BodyText => Encoding.UTF8.GetString(Body);
    public Dictionary<string, string[]> Headers { get; }
    public string? ContentType { get; }
    public string[] Accept { get; }
    public JsonElement[] Operations { get; }
    public string[] Actions => Operations.Select(o => o.GetProperty("action").GetString()!).ToArray();

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? string.Join(",", v) : null;
}

/// <summary>An HttpMessageHandler whose answers come from a delegate; records every request.</summary>
internal sealed class FakeHandler : HttpMessageHandler
{
    private readonly Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> _respond;
    private readonly List<RecordedRequest> _requests = new();

    public FakeHandler(Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> respond) { _respond = respond; }

    public FakeHandler(Func<RecordedRequest, HttpResponseMessage> respond) : this((r, _) => Task.FromResult(respond(r))) { }

    public IReadOnlyList<RecordedRequest> Requests { get { lock (_requests) return _requests.ToArray(); } }

    public int Count { get { lock (_requests) return _requests.Count; } }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? Array.Empty<byte>() : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        RecordedRequest recorded;
        lock (_requests)
        {
            recorded = new RecordedRequest(request, body, _requests.Count);
            _requests.Add(recorded);
        }
        var response = await _respond(recorded, cancellationToken);
        response.RequestMessage ??= request;
        return response;
    }
}

internal static class Responses
{
    public static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) => Json(Encoding.UTF8.GetBytes(body), status);

    public static HttpResponseMessage Json(byte[] body, HttpStatusCode status = HttpStatusCode.OK)
        => FromStream(new MemoryStream(body), status, "application/json");

    public static HttpResponseMessage FromStream(Stream body, HttpStatusCode status, string? mediaType)
    {
        var content = new StreamContent(body);
        if (mediaType != null) content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return new HttpResponseMessage(status) { Content = content };
    }

    public static HttpResponseMessage Html(HttpStatusCode status, string html) => FromStream(new MemoryStream(Encoding.UTF8.GetBytes(html)), status, "text/html");
}

/// <summary>
/// Answers the metadata actions from the recorded fixtures and queries from a delegate; each
/// operation's result is concatenated into the response array, the way the server does.
/// </summary>
internal sealed class FakeServer
{
    public Func<JsonElement, string>? Query { get; set; }
    public Func<JsonElement, string>? Other { get; set; }
    /// <summary>The query_schemas result; the recorded one unless a test wants a cheaper one.</summary>
    public string? SchemasJson { get; set; }

    public string Respond(RecordedRequest request)
    {
        var parts = new List<string>();
        foreach (var op in request.Operations)
        {
            var action = op.GetProperty("action").GetString();
            parts.Add(action switch
            {
                "query_server_information" => Fixtures.Text(Fixtures.ServerInformation),
                "query_schemas" => SchemasJson ?? Fixtures.Text(Fixtures.Schemas),
                "query" when Query != null => Query(op),
                _ when Other != null => Other(op),
                _ => throw new InvalidOperationException("The fake server does not know " + action),
            });
        }
        return "[" + string.Join(",", parts) + "]";
    }

    public FakeHandler Handler() => new(r => Responses.Json(Respond(r)));
}

internal static class TestSessions
{
    /// <summary>A distinctive key so tests can search messages for it.</summary>
    public const string ApiKey = "KEY-4f9c1b7e-secret-d3a8-77aa";
    public const string ApiUser = "jane.doe@studio.test";
    public static readonly Uri Server = new("https://ftrack.test/");

    public static FtrackSession Create(HttpMessageHandler handler, string? cacheDirectory = null, TimeSpan? timeout = null, Uri? server = null)
    {
        var options = new FtrackSessionOptions(server ?? Server, ApiUser, ApiKey)
        {
            Handler = handler,
            SchemaCacheDirectory = cacheDirectory,
        };
        if (timeout is { } t) options.Timeout = t;
        // Retries are tested on their own (RetryTests); elsewhere one attempt keeps counts exact.
        return new FtrackSession(options) { MaxRetries = 0 };
    }
}

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ftrack-core-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// Returns the bytes a few at a time (1..maxChunk per Read, seeded), like a slow network; can
/// throw an IOException after a given number of bytes, and reports how much is still unread.
/// </summary>
internal sealed class ChunkedStream : ReadOnlyStream
{
    private readonly byte[] _data;
    private readonly Random _random;
    private readonly int _maxChunk;
    private readonly long _failAfter;
    private int _position;

    public ChunkedStream(byte[] data, int seed = 1, int maxChunk = 7, long failAfter = -1)
    {
        _data = data;
        _random = new Random(seed);
        _maxChunk = maxChunk;
        _failAfter = failAfter;
    }

    public int ReadCalls { get; private set; }
    public int Unread => _data.Length - _position;
    public int Delivered => _position;

    public override int Read(byte[] buffer, int offset, int count)
    {
        ReadCalls++;
        if (_failAfter >= 0 && _position >= _failAfter) throw new IOException("Connection reset by peer (simulated).");
        if (_position >= _data.Length || count == 0) return 0;
        var n = Math.Min(Math.Min(count, _random.Next(1, _maxChunk + 1)), _data.Length - _position);
        if (_failAfter >= 0) n = (int)Math.Min(n, Math.Max(1, _failAfter - _position));
        Buffer.BlockCopy(_data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

}

/// <summary>Sends some bytes, then blocks until disposed (a server that stops mid-answer).</summary>
internal sealed class StallingStream : ReadOnlyStream
{
    private readonly byte[] _head;
    private int _position;
    private readonly ManualResetEventSlim _disposed = new(false);

    public StallingStream(byte[] head) { _head = head; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_position < _head.Length)
        {
            var n = Math.Min(count, _head.Length - _position);
            Buffer.BlockCopy(_head, _position, buffer, offset, n);
            _position += n;
            return n;
        }
        // Bounded, so a broken client cannot hang the suite.
        _disposed.Wait(TimeSpan.FromSeconds(10));
        throw new ObjectDisposedException(nameof(StallingStream));
    }

    protected override void Dispose(bool disposing)
    {
        _disposed.Set();
        base.Dispose(disposing);
    }

}
