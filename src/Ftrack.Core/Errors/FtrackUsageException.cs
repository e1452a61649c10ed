namespace Ftrack.Core
{
    /// <summary>What kind of caller mistake a <see cref="FtrackUsageException"/> is.</summary>
    public enum UsageErrorKind
    {
        /// <summary>A value or name the caller gave is wrong (unknown attribute, missing server...).</summary>
        InvalidArgument,
        /// <summary>The call does not fit the current state (no open batch, a batch on another session...).</summary>
        InvalidOperation,
        /// <summary>What was asked for does not exist.</summary>
        NotFound,
        /// <summary>There is no session to use.</summary>
        NotConnected,
    }

    /// <summary>
    /// A caller mistake found on the client, before or instead of a request: an unknown entity type
    /// or attribute (the message lists the valid names), an immutable attribute, batch misuse. The
    /// id is one of <see cref="FtrackErrorIds"/>.
    /// </summary>
    public sealed class FtrackUsageException : FtrackException
    {
        private readonly string _errorId;

        /// <summary>A mistake with a stable id and plain words.</summary>
        public FtrackUsageException(string errorId, string message, UsageErrorKind kind = UsageErrorKind.InvalidArgument) : base(message)
        {
            _errorId = errorId;
            Kind = kind;
        }

        /// <summary>What kind of mistake (decides the PowerShell error category).</summary>
        public UsageErrorKind Kind { get; }

        /// <inheritdoc />
        public override string ErrorId => _errorId;
    }
}
