using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;

namespace Ftrack.Core.Transport
{
    /// <summary>
    /// Builds the HTTP handlers of one session from its <see cref="TransportSettings"/>, so that every
    /// request it makes — API calls and schemas today, uploads, downloads and the event hub later —
    /// goes through the same proxy, trusts the same certificates, and never follows a redirect.
    /// Checks the settings once, when the session is made.
    /// </summary>
    internal sealed class HttpHandlerFactory
    {
        private static readonly string[] ProxySchemes = { "http", "https", "socks4", "socks4a", "socks5" };

        private readonly Uri? _proxy;
        private readonly NetworkCredential? _proxyCredential;
        private readonly bool _proxyUseDefaultCredentials;
        private readonly bool _noProxy;

        public HttpHandlerFactory(TransportSettings settings, Uri server)
        {
            if (settings.Proxy is { } proxy)
            {
                if (!proxy.IsAbsoluteUri || !ProxySchemes.Contains(proxy.Scheme) || proxy.Host.Length == 0)
                    throw Invalid((proxy.OriginalString.Contains("@") ? "The proxy" : "'" + proxy.OriginalString + "'") + " is not a proxy URL: use the form http://proxy.studio.local:3128.");
                // The URL would be shown (session, errors); credentials belong in ProxyCredential.
                if (proxy.UserInfo.Length > 0)
                    throw Invalid("The proxy URL must not contain a user name or password: give them as the proxy credential (-ProxyCredential).");
                if (settings.NoProxy) throw Invalid("A proxy and no proxy cannot both be asked for (-Proxy and -NoProxy).");
            }
            if (settings.NoProxy && (settings.ProxyCredential != null || settings.ProxyUseDefaultCredentials))
                throw Invalid("Proxy credentials mean nothing without a proxy (-NoProxy with -ProxyCredential or -ProxyUseDefaultCredentials).");
            if (settings.ProxyCredential != null && settings.ProxyUseDefaultCredentials)
                throw Invalid("Give the proxy one kind of credentials: -ProxyCredential or -ProxyUseDefaultCredentials, not both.");
            if (settings.SkipCertificateCheck && settings.TrustedCertificates.Count > 0)
                throw new FtrackUsageException(FtrackErrorIds.InvalidCertificate,
                    "Skipping certificate checks makes trusted certificates pointless: give -TrustedCertificate (safe) or -SkipCertificateCheck (test servers only), not both.");

            _proxy = settings.Proxy;
            _proxyCredential = settings.ProxyCredential;
            _proxyUseDefaultCredentials = settings.ProxyUseDefaultCredentials;
            _noProxy = settings.NoProxy;
            TrustedCertificates = settings.TrustedCertificates.ToArray();
            SkipCertificateCheck = settings.SkipCertificateCheck;
            Certificates = new ServerCertificateValidator(TrustedCertificates, SkipCertificateCheck);
            ProxyInUse = FindProxy(server);
        }

        /// <summary>The proxy requests to the server go through (explicit or the system's), without user info; null when direct.</summary>
        public Uri? ProxyInUse { get; }

        /// <summary>The user name of the proxy credential, never its password.</summary>
        public string? ProxyUser => _proxyCredential is null ? null
            : string.IsNullOrEmpty(_proxyCredential.Domain) ? _proxyCredential.UserName : _proxyCredential.Domain + "\\" + _proxyCredential.UserName;

        /// <summary>Whether the user's logon credentials are offered to the proxy.</summary>
        public bool ProxyUseDefaultCredentials => _proxyUseDefaultCredentials;

        /// <summary>Certificates trusted in addition to the system store.</summary>
        public IReadOnlyList<X509Certificate2> TrustedCertificates { get; }

        /// <summary>Whether every server certificate is accepted.</summary>
        public bool SkipCertificateCheck { get; }

        /// <summary>Accepts or refuses server certificates, and says why it refused one.</summary>
        public ServerCertificateValidator Certificates { get; }

        /// <summary>
        /// A new handler with the proxy and certificate settings and redirects refused. The caller
        /// may add what is its own (cookies, decompression) before its first request.
        /// </summary>
        public HttpClientHandler CreateHandler()
        {
            var handler = new HttpClientHandler
            {
                // Never: a redirect would carry the key, the user and the session cookie to wherever it
                // points, and a 302 would turn the POST into a GET. A redirect is answered as an error.
                AllowAutoRedirect = false,
                ServerCertificateCustomValidationCallback = Certificates.Validate,
            };
            if (_noProxy)
            {
                handler.UseProxy = false;
            }
            else if (_proxy != null)
            {
                // Loopback is not bypassed: a proxy asked for is used for every server.
                var proxy = new WebProxy(_proxy) { BypassProxyOnLocal = false };
                if (_proxyUseDefaultCredentials) proxy.UseDefaultCredentials = true;
                else proxy.Credentials = _proxyCredential;
                handler.Proxy = proxy;
            }
            else if (_proxyCredential != null || _proxyUseDefaultCredentials)
            {
                // The system proxy (HTTPS_PROXY...) with these credentials.
                handler.DefaultProxyCredentials = _proxyUseDefaultCredentials ? CredentialCache.DefaultCredentials : _proxyCredential;
            }
            return handler;
        }

        /// <summary>
        /// The same proxy and certificate rules for the event hub's websocket. netstandard2.0 has no
        /// certificate callback on ClientWebSocketOptions; every runtime pwsh 7.4+ runs on has, so
        /// it is set by name.
        /// </summary>
        public void ConfigureWebSocket(System.Net.WebSockets.ClientWebSocketOptions options, Uri server)
        {
            if (_noProxy)
                options.Proxy = null;
            else if (_proxy != null)
                options.Proxy = new WebProxy(_proxy) { BypassProxyOnLocal = false, UseDefaultCredentials = _proxyUseDefaultCredentials, Credentials = _proxyUseDefaultCredentials ? null : _proxyCredential };
            var callback = options.GetType().GetProperty("RemoteCertificateValidationCallback", BindingFlags.Public | BindingFlags.Instance);
            if (callback != null && callback.CanWrite)
            {
                System.Net.Security.RemoteCertificateValidationCallback validate = (_, certificate, chain, errors) =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, server);
                    var typed = certificate as System.Security.Cryptography.X509Certificates.X509Certificate2
                        ?? (certificate is null ? null : new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate));
                    return Certificates.Validate(request, typed, chain, errors);
                };
                callback.SetValue(options, validate);
            }
        }

        private Uri? FindProxy(Uri server)
        {
            if (_noProxy) return null;
            if (_proxy != null) return _proxy;
            // HttpClient.DefaultProxy (.NET Core 3.0+, not in netstandard2.0) is what a handler
            // without a proxy of its own uses: the environment's or the system's proxy.
            var system = typeof(HttpClient).GetProperty("DefaultProxy", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as IWebProxy;
            try
            {
                if (system is null || system.IsBypassed(server)) return null;
                var uri = system.GetProxy(server);
                if (uri is null || uri == server) return null;
                // HTTPS_PROXY may carry user:password@: never keep or show them.
                return uri.UserInfo.Length == 0 ? uri : new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
            }
            catch (Exception e) when (e is UriFormatException or InvalidOperationException)
            {
                return null;
            }
        }

        private static FtrackUsageException Invalid(string message) => new(FtrackErrorIds.InvalidProxy, message);
    }
}
