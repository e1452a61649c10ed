namespace Ftrack.Core
{
    /// <summary>The server answered with its error object {"exception","content","error_code"}.</summary>
    public class FtrackServerException : FtrackException
    {
        /// <summary>An error the server reported, with its exception name and message.</summary>
        public FtrackServerException(string exceptionName, string content, string? errorCode, int httpStatus, string? operation)
            : base(content)
        {
            ServerExceptionName = exceptionName;
            ServerMessage = content;
            ErrorCode = errorCode;
            HttpStatus = httpStatus;
            Operation = operation;
        }

        /// <summary>The server's exception name, e.g. "ValidationError".</summary>
        public string ServerExceptionName { get; }
        /// <summary>The server's message (its "content").</summary>
        public string ServerMessage { get; private set; }
        /// <summary>The server's error_code, when it sent one.</summary>
        public string? ErrorCode { get; }
        /// <summary>The HTTP status of the answer (200 for errors of a non-strict server).</summary>
        public int HttpStatus { get; }
        /// <summary>In a batch: the zero-based index of the operation that failed, when the server said which.</summary>
        public int? FailedOperationIndex { get; internal set; }

        /// <summary>
        /// Names the query as its caller wrote it (<paramref name="written"/>) instead of as it was sent
        /// (<paramref name="sent"/>, with paging added), and which page failed when it was not the first.
        /// </summary>
        internal void Restate(string sent, string written, long offset)
        {
            Operation = new Operations.QueryOperation(written).Describe() + (offset > 0 ? " (the page from offset " + offset.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")" : "");
            ServerMessage = ServerMessage.Replace(sent, written);
        }

        /// <summary>Names the operation (set once the caller knows which one failed) and the server's words.</summary>
        public override string Message => (Operation is null ? "" : Operation + " failed: ") + "the server raised " + ServerExceptionName + ": " + ServerMessage;

        /// <inheritdoc />
        public override string ErrorId => FtrackErrorIds.ServerError;
    }
}
