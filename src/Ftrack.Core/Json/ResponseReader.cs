using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using Ftrack.Core.Operations;

namespace Ftrack.Core.Json
{
    /// <summary>
    /// Reads an /api response straight from the network stream: the body is never held as one
    /// string, and query rows are handed to a callback as soon as each is complete, so entities
    /// reach the pipeline while the rest of the page is still arriving. Each unit (a row, or any
    /// other value) is decoded once it is wholly buffered, which bounds memory to the largest unit.
    /// </summary>
    internal sealed class ResponseReader : IDisposable
    {
        /// <summary>The member of an error object that says which operation of a batch failed (zero-based).</summary>
        public const string FailedOperationIndexKey = "operation_index";

        private const int InitialBuffer = 256 * 1024;
        // With this much buffered, a row is decoded straight away (one pass) instead of being
        // checked for completeness first (two passes); rows are ~1 KB.
        private const int DirectDecodeThreshold = 16 * 1024;
        private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };

        private readonly Stream _stream;
        private readonly ValueDecoder _decoder;
        private byte[] _buffer;
        private int _start, _end;
        private bool _eof;
        private JsonReaderState _state;
        private long _consumedBefore; // bytes dropped from the buffer so far, for messages
        private Action? _beforeWait;

        public ResponseReader(Stream stream, ValueDecoder decoder)
        {
            _stream = stream;
            _decoder = decoder;
            // Rented, not allocated: a fresh 256 KB array per request would land on the large-object
            // heap, which only a full collection frees, and a long query makes one per page.
            _buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(InitialBuffer);
            _state = new JsonReaderState(ReaderOptions);
        }

        public long BytesRead => _consumedBefore + _end;

        /// <summary>
        /// Reads the whole response. Returns one result per operation, or throws the server's error
        /// object as an exception. Query rows go to <paramref name="onRow"/> (operation index, entity)
        /// when given, and into the QueryResult otherwise.
        /// </summary>
        public object?[] Read(IReadOnlyList<FtrackOperation> operations, Action<int, object?>? onRow, int httpStatus, Action? beforeWait = null)
        {
            _beforeWait = beforeWait;
            try
            {
                return ReadResults(operations, onRow, httpStatus);
            }
            catch (JsonException) when (_eof && IsIncomplete())
            {
                throw Truncated();
            }
            catch (IncompleteValueException)
            {
                throw Truncated();
            }
        }

        /// <summary>True when what remains is valid JSON that merely stops early (not garbage).</summary>
        private bool IsIncomplete()
        {
            try
            {
                var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), false, _state);
                while (reader.Read()) { }
                return true;
            }
            catch (JsonException) { return false; }
        }

        private FtrackProtocolException Truncated() => new(
            "The server's answer ended after " + BytesRead.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)
            + " bytes, before its JSON was complete: the connection dropped or a proxy cut the response short.");

        private object?[] ReadResults(IReadOnlyList<FtrackOperation> operations, Action<int, object?>? onRow, int httpStatus)
        {
            var first = PeekToken();
            if (first == JsonTokenType.StartObject)
            {
                var value = ReadValue(raw: false) as Dictionary<string, object?>;
                ExpectEnd();
                throw ServerError(value, operations, httpStatus);
            }
            if (first != JsonTokenType.StartArray)
                throw new FtrackProtocolException("The server's answer is a JSON " + first + ", not the list of results the ftrack API returns.", httpStatus);
            ReadToken();
            var results = new object?[operations.Count];
            for (var i = 0; i < operations.Count; i++)
            {
                if (PeekToken() == JsonTokenType.EndArray)
                    throw new FtrackProtocolException("The server answered " + i + " result(s) for " + operations.Count + " operations.", httpStatus);
                var op = operations[i];
                results[i] = op.ResultShape switch
                {
                    ResultShape.Query when PeekToken() == JsonTokenType.StartObject => ReadQueryResult(i, onRow),
                    ResultShape.RawJson => new RawJsonResult((byte[])ReadValue(raw: true)!),
                    _ => ReadValue(raw: false),
                };
            }
            if (ReadToken() != JsonTokenType.EndArray)
                throw new FtrackProtocolException("The server answered more results than the " + operations.Count + " operations sent.", httpStatus);
            ExpectEnd();
            return results;
        }

        private QueryResult ReadQueryResult(int index, Action<int, object?>? onRow)
        {
            ReadToken(); // {
            var data = new List<object?>();
            IDictionary<string, object?>? metadata = null;
            while (ReadToken(out var name) == JsonTokenType.PropertyName)
            {
                if (name == "data" && PeekToken() == JsonTokenType.StartArray)
                {
                    ReadToken();
                    while (PeekToken() != JsonTokenType.EndArray)
                    {
                        var row = ReadValue(raw: false);
                        if (onRow != null) onRow(index, row);
                        else data.Add(row);
                    }
                    ReadToken();
                }
                else
                {
                    var value = ReadValue(raw: false);
                    if (name == "metadata") metadata = value as IDictionary<string, object?>;
                }
            }
            return new QueryResult(data, NextOffset(metadata), metadata);
        }

        private static long? NextOffset(IDictionary<string, object?>? metadata)
        {
            if (metadata != null && metadata.TryGetValue("next", out var next) && next is IDictionary<string, object?> n
                && n.TryGetValue("offset", out var offset) && offset != null)
            {
                return offset switch { int i => i, long l => l, double d when d >= 0 && d <= long.MaxValue => (long)d, _ => null };
            }
            return null;
        }

        private Exception ServerError(Dictionary<string, object?>? body, IReadOnlyList<FtrackOperation> operations, int httpStatus)
        {
            if (body is null || !body.ContainsKey("exception"))
                return new FtrackProtocolException("The server answered a JSON object that is neither results nor an ftrack error.", httpStatus);
            var operation = operations.Count == 1 ? operations[0].Describe() : "a batch of " + operations.Count + " operations";
            var error = ServerErrors.FromServer(
                body.TryGetValue("exception", out var e) ? e as string : null,
                body.TryGetValue("content", out var c) ? Convert.ToString(c, System.Globalization.CultureInfo.InvariantCulture) : null,
                body.TryGetValue("error_code", out var code) && code != null ? Convert.ToString(code, System.Globalization.CultureInfo.InvariantCulture) : null,
                httpStatus,
                operation);
            // Which operation of the batch failed, as data (the local server sends it; others may not).
            if (body.TryGetValue(FailedOperationIndexKey, out var index) && index is int i) error.FailedOperationIndex = i;
            return error;
        }

        // ---- the buffered token layer -------------------------------------------------------

        private JsonTokenType PeekToken()
        {
            while (true)
            {
                var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
                if (reader.Read()) return reader.TokenType;
                NeedMore();
            }
        }

        private JsonTokenType ReadToken() => ReadToken(out _);

        private JsonTokenType ReadToken(out string? propertyName)
        {
            while (true)
            {
                var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
                if (reader.Read())
                {
                    propertyName = reader.TokenType == JsonTokenType.PropertyName ? reader.GetString() : null;
                    Commit(ref reader);
                    return reader.TokenType;
                }
                NeedMore();
            }
        }

        /// <summary>Reads one whole value: decoded, or as its raw bytes.</summary>
        private object? ReadValue(bool raw)
        {
            while (true)
            {
                var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
                if (reader.Read())
                {
                    if (!raw && (_eof || _end - _start >= DirectDecodeThreshold))
                    {
                        var attempt = reader;
                        try
                        {
                            object? direct;
                            lock (_decoder.Context.Sync) direct = _decoder.ReadValue(ref attempt);
                            Commit(ref attempt);
                            return direct;
                        }
                        catch (IncompleteValueException) when (!_eof)
                        {
                            // A value longer than what is buffered: fall through to the checked path.
                        }
                    }
                    var probe = reader;
                    if (probe.TrySkip())
                    {
                        if (raw)
                        {
                            var from = (int)reader.TokenStartIndex;
                            var bytes = _buffer.AsSpan(_start + from, (int)probe.BytesConsumed - from).ToArray();
                            Commit(ref probe);
                            return bytes;
                        }
                        object? value;
                        lock (_decoder.Context.Sync) value = _decoder.ReadValue(ref reader);
                        Commit(ref reader);
                        return value;
                    }
                    // Incomplete. A large pending value (the schemas, a huge row) waits for at least as
                    // much again before re-scanning, so many small reads cost linear, not quadratic,
                    // time; a small one (a typical row) is re-scanned on every read so it is handed
                    // over the moment its last byte arrives.
                    var pending = _end - _start;
                    NeedMore(minimum: pending >= 4096 ? pending : 0);
                    continue;
                }
                NeedMore();
            }
        }

        private void ExpectEnd()
        {
            while (true)
            {
                var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
                if (reader.Read()) throw new FtrackProtocolException("The server's answer continues after the end of its JSON.");
                if (_eof) return;
                NeedMore();
            }
        }

        private void Commit(ref Utf8JsonReader reader)
        {
            _start += (int)reader.BytesConsumed;
            _state = reader.CurrentState;
        }

        private void NeedMore(int minimum)
        {
            var target = (_end - _start) + Math.Max(1, minimum);
            do NeedMore();
            while (!_eof && (_end - _start) < target);
        }

        private void NeedMore()
        {
            if (_eof) throw Truncated();
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _consumedBefore += _start;
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                var bigger = System.Buffers.ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
                System.Buffers.ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }
            _beforeWait?.Invoke();
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0) _eof = true;
            else _end += read;
        }

        /// <summary>Gives the buffer back to the pool.</summary>
        public void Dispose()
        {
            var buffer = _buffer;
            _buffer = Array.Empty<byte>();
            if (buffer.Length > 0) System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        /// <summary>Reads the first bytes of a non-JSON body for an error message (HTML title or first line).</summary>
        public static string Describe(byte[] head, int length)
        {
            var text = Encoding.UTF8.GetString(head, 0, length).Trim();
            if (text.Length == 0) return "an empty body";
            var titleStart = text.IndexOf("<title>", StringComparison.OrdinalIgnoreCase);
            if (titleStart >= 0)
            {
                var titleEnd = text.IndexOf("</title>", titleStart, StringComparison.OrdinalIgnoreCase);
                if (titleEnd > titleStart) return "an HTML page titled \"" + text.Substring(titleStart + 7, titleEnd - titleStart - 7).Trim() + "\"";
            }
            if (text[0] == '<') return "an HTML page";
            var line = text.Split('\n')[0].Trim();
            return "\"" + (line.Length > 120 ? line.Substring(0, 120) + "…" : line) + "\"";
        }
    }
}
