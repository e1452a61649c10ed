using System;

namespace Ftrack.Server.Api;

/// <summary>
/// An error answered to the client as ftrack does: <c>{"exception","content","error_code"}</c>.
/// The exception names are the real server's, because clients dispatch on them.
/// </summary>
internal sealed class FtrackError : Exception
{
    public FtrackError(string exceptionName, string content, int strictStatus, string? errorCode = null, int? operationIndex = null)
        : base(content)
    {
        ExceptionName = exceptionName;
        StrictStatus = strictStatus;
        ErrorCode = errorCode;
        OperationIndex = operationIndex;
    }

    public string ExceptionName { get; }

    /// <summary>The HTTP status used when the client asked for the strict API.</summary>
    public int StrictStatus { get; }

    public string? ErrorCode { get; }

    /// <summary>
    /// Which operation of the batch failed (zero-based), answered as "operation_index" beside the
    /// error so a client need not parse it out of the message. An addition of this server's: the
    /// official clients ignore members they do not know.
    /// </summary>
    public int? OperationIndex { get; }

    /// <summary>An error message quotes at most this much of what the client sent.</summary>
    private const int MaxQuotedLength = 200;

    /// <summary>Client text as an error message quotes it: a long one only by its start and length.</summary>
    public static string Shorten(string text)
    {
        if (text.Length <= MaxQuotedLength)
            return text;
        // Never cut a surrogate pair in two.
        var end = char.IsHighSurrogate(text[MaxQuotedLength - 1]) ? MaxQuotedLength - 1 : MaxQuotedLength;
        return $"{text[..end]}... ({text.Length:N0} characters)";
    }

    public static FtrackError Validation(string content) => new("ValidationError", content, 400);

    public static FtrackError Parse(string content) => new("ParseError", content, 400);

    public static FtrackError NotFound(string content) => new("NoResultFoundError", content, 404);

    public static FtrackError Permission(string content) => new("PermissionError", content, 403);

    public static FtrackError Credentials(string content) => new("InvalidCredentialsError", content, 401);

    public static FtrackError Server(string content) => new("ServerError", content, 500);

    /// <summary>
    /// The same error naming the failing operation of the batch. The operation goes last so the
    /// message still begins as the real server's does ("Unable to parse expression ...").
    /// </summary>
    public FtrackError InOperation(int index, string where) => new(ExceptionName, Message + " (" + where + ")", StrictStatus, ErrorCode, index);
}
