namespace Ftrack.Core
{
    /// <summary>The data broke a rule (ValidationError, DuplicateEntryError...).</summary>
    public sealed class FtrackValidationException : FtrackServerException
    {
        /// <inheritdoc cref="FtrackServerException(string, string, string?, int, string?)" />
        public FtrackValidationException(string exceptionName, string content, string? errorCode, int httpStatus, string? operation)
            : base(exceptionName, content, errorCode, httpStatus, operation) { }
        /// <inheritdoc />
        public override string ErrorId => FtrackErrorIds.ValidationFailed;
    }
}
