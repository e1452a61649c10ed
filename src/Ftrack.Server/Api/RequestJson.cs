using System;
using System.Buffers;
using System.Text.Json;

namespace Ftrack.Server.Api;

/// <summary>
/// Parses a request body as JSON, refusing in plain words what would otherwise fail later as an
/// internal error: invalid JSON, nesting deeper than <see cref="MaxDepth"/>, and strings (values
/// or property names) that are not text: invalid UTF-8 bytes or an unpaired UTF-16 surrogate
/// escape such as <c>"\ud800"</c>. System.Text.Json accepts both until a string is read.
/// </summary>
internal static class RequestJson
{
    public const int MaxDepth = 64;

    public static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                    EnsureText(ref reader);
            }
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException error)
        {
            throw FtrackError.Validation($"The request body is not valid JSON (or nests deeper than {MaxDepth} levels): {error.Message}");
        }
    }

    private static void EnsureText(ref Utf8JsonReader reader)
    {
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(1, reader.ValueSpan.Length));
        try
        {
            reader.CopyString(chars);
        }
        catch (InvalidOperationException)
        {
            throw FtrackError.Validation($"The request body holds a string that is not text, at byte {reader.TokenStartIndex:N0}: invalid UTF-8, or an unpaired UTF-16 surrogate escape (such as \\ud800).");
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
