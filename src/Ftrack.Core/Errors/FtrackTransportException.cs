using System;

namespace Ftrack.Core
{
    /// <summary>The server could not be reached, or the connection broke (refused, DNS, TLS, timeout, cancelled).</summary>
    public class FtrackTransportException : FtrackException
    {
        /// <summary>A failure of the given kind, in plain words.</summary>
        public FtrackTransportException(TransportFailure failure, string message, Exception? inner = null) : base(message, inner)
        {
            Failure = failure;
        }

        /// <summary>What kind of failure it was.</summary>
        public TransportFailure Failure { get; }

        /// <summary>True when the request cannot have reached the server (so a write was certainly not applied).</summary>
        public bool RequestNeverSent => Failure is TransportFailure.ConnectionRefused or TransportFailure.NameResolution or TransportFailure.Tls or TransportFailure.ProxyAuthentication;

        /// <inheritdoc />
        public override string ErrorId => Failure == TransportFailure.Timeout ? FtrackErrorIds.Timeout : FtrackErrorIds.ConnectionFailed;
    }
}
