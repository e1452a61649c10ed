namespace Ftrack.Core
{
    /// <summary>The user may not do this (PermissionError).</summary>
    public sealed class FtrackPermissionException : FtrackServerException
    {
        /// <inheritdoc cref="FtrackServerException(string, string, string?, int, string?)" />
        public FtrackPermissionException(string exceptionName, string content, string? errorCode, int httpStatus, string? operation)
            : base(exceptionName, content, errorCode, httpStatus, operation) { }
        /// <inheritdoc />
        public override string ErrorId => FtrackErrorIds.PermissionDenied;
    }
}
