using System;

namespace Ftrack.Core
{
    /// <summary>The server's answer was not the ftrack protocol: HTML from a proxy, an empty or truncated body.</summary>
    public sealed class FtrackProtocolException : FtrackException
    {
        /// <summary>An answer that is not ftrack's, described in plain words.</summary>
        public FtrackProtocolException(string message, int httpStatus = 0, Exception? inner = null) : base(message, inner)
        {
            HttpStatus = httpStatus;
        }

        /// <summary>The HTTP status of the answer, 0 when none arrived.</summary>
        public int HttpStatus { get; }

        /// <inheritdoc />
        public override string ErrorId => FtrackErrorIds.InvalidResponse;
    }
}
