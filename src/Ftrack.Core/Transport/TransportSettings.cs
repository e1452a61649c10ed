using System;
using System.Collections.Generic;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Ftrack.Core.Transport
{
    /// <summary>
    /// How a session reaches the network: its proxy and which server certificates it trusts. Every
    /// request the session makes uses them (see <see cref="FtrackSession.CreateHttpMessageHandler"/>).
    /// The defaults are .NET's: the system proxy (HTTPS_PROXY, HTTP_PROXY and NO_PROXY on Linux and
    /// macOS) and the system trust store.
    /// </summary>
    public sealed class TransportSettings
    {
        /// <summary>A proxy for every request (http://, https://, socks4://, socks4a:// or socks5://), instead of the system proxy.</summary>
        public Uri? Proxy { get; set; }

        /// <summary>Credentials for the proxy (<see cref="Proxy"/>, or else the system proxy). Kept private: never shown, logged or put in an error.</summary>
        public NetworkCredential? ProxyCredential { internal get; set; }

        /// <summary>Offer the user's logon credentials (Kerberos, NTLM) to the proxy.</summary>
        public bool ProxyUseDefaultCredentials { get; set; }

        /// <summary>Use no proxy at all, not even the system proxy.</summary>
        public bool NoProxy { get; set; }

        /// <summary>
        /// Certificate authorities (or self-signed server certificates) trusted in addition to the
        /// system store. The server's certificate must still chain to one of them and match the
        /// server's name.
        /// </summary>
        public IList<X509Certificate2> TrustedCertificates { get; } = new List<X509Certificate2>();

        /// <summary>Accept any server certificate: for test servers only, as anyone on the path could pose as the server.</summary>
        public bool SkipCertificateCheck { get; set; }
    }
}
