namespace Ftrack.Core
{
    /// <summary>What went wrong below HTTP: the connection could not be made or kept.</summary>
    public enum TransportFailure
    {
        /// <summary>Nothing listens at that address and port.</summary>
        ConnectionRefused,
        /// <summary>The host name does not resolve.</summary>
        NameResolution,
        /// <summary>The TLS handshake failed (certificate, protocol).</summary>
        Tls,
        /// <summary>A proxy on the way answered 407: it wants credentials, or refused the ones given.</summary>
        ProxyAuthentication,
        /// <summary>No answer within the session's timeout.</summary>
        Timeout,
        /// <summary>The connection broke after it was made.</summary>
        ConnectionReset,
        /// <summary>Cancelled by the caller (Ctrl+C).</summary>
        Cancelled,
        /// <summary>Anything else.</summary>
        Other,
    }
}
