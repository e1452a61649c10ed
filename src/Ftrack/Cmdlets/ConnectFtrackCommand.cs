using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using Ftrack.Core;
using Ftrack.Core.Transport;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Connect-Ftrack: verifies the credentials with one request and makes the session the default.
    /// Whatever is not given comes from FTRACK_SERVER, FTRACK_API_USER and FTRACK_API_KEY. The proxy
    /// and certificate parameters are those of PowerShell's web cmdlets, and apply to every request
    /// of the session.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Ftrack", DefaultParameterSetName = CredentialSet)]
    [OutputType(typeof(FtrackSession))]
    public sealed class ConnectFtrackCommand : FtrackCmdletBase
    {
        private const string CredentialSet = "Credential";
        private const string ApiKeySet = "ApiKey";
        private const string LocalServerSet = "LocalServer";

        /// <summary>A server from Start-FtrackLocalServer: its URL and credentials in one go.</summary>
        [Parameter(ParameterSetName = LocalServerSet, Mandatory = true, ValueFromPipeline = true)]
        public Ftrack.LocalServer.FtrackLocalServer? LocalServer { get; set; }

        /// <summary>The server URL, e.g. https://studio.ftrackapp.com.</summary>
        [Parameter(Position = 0, ParameterSetName = CredentialSet)]
        [Parameter(ParameterSetName = ApiKeySet)]
        [ValidateNotNullOrEmpty]
        public string? Server { get; set; }

        /// <summary>User name = API user, password = API key.</summary>
        [Parameter(ParameterSetName = CredentialSet, Position = 1)]
        [Credential]
        [ValidateNotNull]
        public PSCredential? Credential { get; set; }

        [Parameter(ParameterSetName = ApiKeySet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string? ApiUser { get; set; }

        [Parameter(ParameterSetName = ApiKeySet, Mandatory = true)]
        [ValidateNotNull]
        public SecureString? ApiKey { get; set; }

        /// <summary>Seconds before a request is abandoned.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 100;

        /// <summary>Allow http:// to a server that is not on this machine (the key crosses the network in clear).</summary>
        [Parameter]
        public SwitchParameter AllowUnencryptedAuthentication { get; set; }

        /// <summary>
        /// Reading an attribute that was not selected fails with a clear error instead of loading it
        /// (for every entity of the result, one request per page of entities).
        /// </summary>
        [Parameter]
        public SwitchParameter NoAutoPopulate { get; set; }

        /// <summary>
        /// Certificate authorities (or a self-signed server certificate) to trust for this session
        /// besides the system store: paths to PEM files (bundles too) or DER files, or certificate objects.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public object[]? TrustedCertificate { get; set; }

        /// <summary>Accept any server certificate (test servers only); warns on every connect.</summary>
        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        /// <summary>A proxy for every request of the session, instead of the system's (HTTPS_PROXY...).</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? Proxy { get; set; }

        /// <summary>The proxy's user name and password (for -Proxy, or else the system's proxy).</summary>
        [Parameter]
        [Credential]
        [ValidateNotNull]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>Offer the user's logon credentials (Kerberos, NTLM) to the proxy.</summary>
        [Parameter]
        public SwitchParameter ProxyUseDefaultCredentials { get; set; }

        /// <summary>Use no proxy, not even the system's.</summary>
        [Parameter]
        public SwitchParameter NoProxy { get; set; }

        /// <summary>Return the session (it becomes the default either way). A returned session is held: a later Connect-Ftrack does not close it.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void End()
        {
            var server = LocalServer?.Url.ToString() ?? Server ?? Environment.GetEnvironmentVariable("FTRACK_SERVER");
            if (string.IsNullOrWhiteSpace(server))
                Fail(FtrackErrorIds.MissingServer, "No server given: pass -Server or set the FTRACK_SERVER environment variable.");
            if (!Uri.TryCreate(server!.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                // "studio.ftrackapp.com" alone means https.
                if (!Uri.TryCreate("https://" + server.Trim(), UriKind.Absolute, out uri) || server.Contains("://"))
                    Fail(FtrackErrorIds.InvalidServer, "'" + server + "' is not a server URL; use the form https://studio.ftrackapp.com.");
            }

            string? user, key;
            if (LocalServer != null)
            {
                user = LocalServer.ApiUser;
                key = SecureStrings.ToPlainText(LocalServer.ApiKey);
            }
            else if (ParameterSetName == ApiKeySet)
            {
                user = ApiUser;
                key = SecureStrings.ToPlainText(ApiKey!);
            }
            else if (Credential != null)
            {
                user = Credential.UserName;
                key = SecureStrings.ToPlainText(Credential.Password);
            }
            else
            {
                user = Environment.GetEnvironmentVariable("FTRACK_API_USER");
                key = Environment.GetEnvironmentVariable("FTRACK_API_KEY");
            }
            if (string.IsNullOrEmpty(user))
                Fail(FtrackErrorIds.MissingCredential, "No API user given: pass -Credential or -ApiUser/-ApiKey, or set FTRACK_API_USER and FTRACK_API_KEY.");
            if (string.IsNullOrEmpty(key))
                Fail(FtrackErrorIds.MissingCredential, "No API key given for '" + user + "': pass -Credential or -ApiKey, or set FTRACK_API_KEY.");

            var sessionOptions = new FtrackSessionOptions(uri!, user!, key!)
            {
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                AllowUnencrypted = AllowUnencryptedAuthentication,
                AutoPopulate = !NoAutoPopulate,
            };
            // A local server of this process (piped in, or found by its URL): once it is stopped,
            // the session says so instead of "connection refused".
            if ((LocalServer ?? Ftrack.LocalServer.LocalServers.Find(uri!)) is { } local)
                sessionOptions.LocalServerStopped = local.StoppedMessage;
            var transport = sessionOptions.Transport;
            transport.Proxy = Proxy;
            // PSCredential.Empty is how a script says "no credential".
            transport.ProxyCredential = ProxyCredential is { } proxyCredential && proxyCredential != PSCredential.Empty ? proxyCredential.GetNetworkCredential() : null;
            transport.ProxyUseDefaultCredentials = ProxyUseDefaultCredentials;
            transport.NoProxy = NoProxy;
            transport.SkipCertificateCheck = SkipCertificateCheck;
            foreach (var certificate in ResolveTrustedCertificates()) transport.TrustedCertificates.Add(certificate);
            var session = new FtrackSession(sessionOptions);
            if (SkipCertificateCheck)
                WriteWarning("Certificate checks are skipped (-SkipCertificateCheck): anyone between this machine and " + session.Server.GetLeftPart(UriPartial.Authority)
                    + " can pose as the server and read the API key. Use it only for a test server; for a studio's own certificate authority use -TrustedCertificate.");
            WriteVerbose(DescribeNetwork(session));
            try
            {
                var options = NewCallOptions();
                options.Log = WriteVerbose;
                var info = session.Connect(options);
                WriteVerbose("Connected to " + session.Server + " as " + session.ApiUser + " (server version " + (info.Version ?? "unknown") + ").");
            }
            catch (FtrackException e)
            {
                session.Dispose();
                ThrowFtrackError(e, uri);
                return;
            }

            if (PassThru) FtrackSessionState.MarkHandedOut(session);
            FtrackSessionState.Replace(session);
            if (PassThru) WriteObject(session);
        }

        /// <summary>The certificates -TrustedCertificate names: files (PEM, bundles, DER) or certificate objects.</summary>
        private IEnumerable<X509Certificate2> ResolveTrustedCertificates()
        {
            foreach (var item in TrustedCertificate ?? Array.Empty<object>())
            {
                var value = item is PSObject wrapped ? wrapped.BaseObject : item;
                switch (value)
                {
                    case X509Certificate2 certificate:
                        yield return certificate;
                        break;
                    case X509Certificate certificate:
                        yield return new X509Certificate2(certificate);
                        break;
                    case FileInfo file:
                        foreach (var certificate in CertificateFile.Load(file.FullName)) yield return certificate;
                        break;
                    case string path:
                        foreach (var certificate in CertificateFile.Load(FileSystemPath(path))) yield return certificate;
                        break;
                    default:
                        Fail(FtrackErrorIds.InvalidCertificate, "-TrustedCertificate takes paths to PEM or DER files, or X509Certificate2 objects; '" + value + "' is a " + value?.GetType().Name + ".");
                        break;
                }
            }
        }

        private string FileSystemPath(string path)
        {
            try
            {
                var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
                if (provider.Name == "FileSystem") return resolved;
            }
            catch (Exception e) when (e is SessionStateException or NotSupportedException or PSArgumentException) { }
            Fail(FtrackErrorIds.InvalidCertificate, "'" + path + "' is not a file path: -TrustedCertificate takes paths to PEM or DER files, or X509Certificate2 objects.");
            return path; // not reached: Fail throws
        }

        /// <summary>One verbose line: how the session reaches the server. Names the proxy user, never a password.</summary>
        private static string DescribeNetwork(FtrackSession session)
        {
            var proxy = session.Proxy is { } p
                ? "through the proxy " + p.GetLeftPart(UriPartial.Authority)
                  + (session.ProxyUser is { } u ? " (credentials of '" + u + "')" : session.ProxyUseDefaultCredentials ? " (logon credentials)" : "")
                : "directly (no proxy)";
            var certificates = session.SkipCertificateCheck
                ? "server certificates are NOT checked"
                : "server certificates checked against the system's trust store"
                  + (session.TrustedCertificates.Count == 0 ? "" : " and " + string.Join(", ", session.TrustedCertificates));
            return "Reaching " + session.Server.GetLeftPart(UriPartial.Authority) + " " + proxy + "; " + certificates + ".";
        }

        private void Fail(string id, string message) => ThrowFailure(FtrackErrorRecords.Usage(id, message, null));
    }
}
