using System;

namespace Ftrack.Core
{
    /// <summary>
    /// Bytes could not be uploaded or downloaded: the storage refused them (an expired or altered
    /// URL, a size past the server's limit, a checksum mismatch), the connection broke, or no byte
    /// moved for the idle timeout. An upload that fails registers nothing.
    /// </summary>
    public sealed class FtrackTransferException : FtrackException
    {
        /// <summary>A failed transfer, in plain words.</summary>
        public FtrackTransferException(string message, Exception? inner = null, int? statusCode = null) : base(message, inner)
        {
            StatusCode = statusCode;
        }

        /// <summary>The HTTP status the storage answered, when it answered one.</summary>
        public int? StatusCode { get; }

        /// <summary>Whether Ctrl+C (the caller's cancellation) stopped it.</summary>
        public bool Cancelled { get; internal set; }

        /// <inheritdoc />
        public override string ErrorId => FtrackErrorIds.TransferFailed;
    }
}
