using System;

namespace Ftrack.Core
{
    /// <summary>
    /// A proxy between the client and the server answered HTTP 407 Proxy Authentication Required:
    /// to the CONNECT that opens an https tunnel, or to a plain-http request. A transport failure
    /// with its own id: nothing reached the ftrack server, so a write that fails this way was
    /// certainly not applied, and nothing is retried.
    /// </summary>
    public sealed class FtrackProxyAuthenticationException : FtrackTransportException
    {
        /// <summary>
        /// The proxy (null when unknown) refused a request to <paramref name="server"/>;
        /// <paramref name="proxyUser"/> is the user whose credentials it refused, null when none were
        /// given, and <paramref name="usedDefaultCredentials"/> whether the user's logon credentials were offered.
        /// </summary>
        public FtrackProxyAuthenticationException(Uri? proxy, Uri server, string? proxyUser, bool usedDefaultCredentials, Exception? inner = null)
            : base(TransportFailure.ProxyAuthentication, Compose(proxy, server, proxyUser, usedDefaultCredentials), inner)
        {
            Proxy = proxy;
            ProxyUser = proxyUser;
        }

        /// <summary>The proxy that answered 407 (without any user name or password), when known.</summary>
        public Uri? Proxy { get; }

        /// <summary>The user whose proxy credentials were refused; null when none were given.</summary>
        public string? ProxyUser { get; }

        /// <inheritdoc />
        public override string ErrorId => FtrackErrorIds.ProxyAuthenticationRequired;

        private static string Compose(Uri? proxy, Uri server, string? proxyUser, bool usedDefaultCredentials) =>
            "The proxy " + (proxy is null ? "between you and " + server.GetLeftPart(UriPartial.Authority) : proxy.GetLeftPart(UriPartial.Authority))
            + " requires authentication (HTTP 407 Proxy Authentication Required) to reach " + server.GetLeftPart(UriPartial.Authority) + ": "
            + (proxyUser != null ? "it refused the proxy credentials of '" + proxyUser + "'."
                : usedDefaultCredentials ? "it refused your logon credentials."
                : "no proxy credentials were given.");
    }
}
