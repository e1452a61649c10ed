namespace Ftrack.Core
{
    /// <summary>Wrong API user or key, or an expired session (HTTP 401, InvalidCredentialsError).</summary>
    public sealed class FtrackAuthenticationException : FtrackServerException
    {
        /// <inheritdoc cref="FtrackServerException(string, string, string?, int, string?)" />
        public FtrackAuthenticationException(string exceptionName, string content, string? errorCode, int httpStatus, string? operation)
            : base(exceptionName, content, errorCode, httpStatus, operation) { }
        /// <inheritdoc />
        public override string ErrorId => FtrackErrorIds.AuthenticationFailed;
    }
}
