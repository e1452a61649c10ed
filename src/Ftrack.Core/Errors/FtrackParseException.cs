namespace Ftrack.Core
{
    /// <summary>The query expression could not be parsed (ParseError).</summary>
    public sealed class FtrackParseException : FtrackServerException
    {
        /// <inheritdoc cref="FtrackServerException(string, string, string?, int, string?)" />
        public FtrackParseException(string exceptionName, string content, string? errorCode, int httpStatus, string? operation)
            : base(exceptionName, content, errorCode, httpStatus, operation) { }
        /// <inheritdoc />
        public override string ErrorId => FtrackErrorIds.QueryParseFailed;
    }
}
