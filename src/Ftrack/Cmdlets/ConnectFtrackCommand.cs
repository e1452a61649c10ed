using System;
using System.Management.Automation;
using System.Security;
using Ftrack.Core;
using Ftrack.Core.Transport;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// Connect-Ftrack: verifies the credentials with one request and makes the session the default.
    /// Whatever is not given comes from FTRACK_SERVER, FTRACK_API_USER and FTRACK_API_KEY.
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

            var session = new FtrackSession(new FtrackSessionOptions(uri!, user!, key!)
            {
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                AllowUnencrypted = AllowUnencryptedAuthentication,
                AutoPopulate = !NoAutoPopulate,
            });
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

        private void Fail(string id, string message) => ThrowFailure(FtrackErrorRecords.Usage(id, message, null));
    }
}
