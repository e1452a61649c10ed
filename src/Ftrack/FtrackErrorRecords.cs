using System;
using System.Management.Automation;
using Ftrack.Core;

namespace Ftrack
{
    /// <summary>
    /// The one place ErrorRecords are made: the exception's stable id (one of FtrackErrorIds) as the
    /// FullyQualifiedErrorId, a fitting category, the failing expression or operation as the target,
    /// and advice where there is something to do.
    /// </summary>
    internal static class FtrackErrorRecords
    {
        public static ErrorRecord From(FtrackException exception, object? target)
        {
            var record = new ErrorRecord(exception, exception.ErrorId, CategoryOf(exception), target ?? exception.Operation);
            if (AdviceFor(exception) is { } advice) record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = advice };
            return record;
        }

        /// <summary>A caller mistake found by the module itself (no server involved).</summary>
        public static ErrorRecord Usage(string errorId, string message, object? target, UsageErrorKind kind = UsageErrorKind.InvalidArgument) =>
            From(new FtrackUsageException(errorId, message, kind), target);

        public static ErrorRecord NotConnected() =>
            Usage(FtrackErrorIds.NotConnected, "Not connected to ftrack. Run Connect-Ftrack first, or pass -Session.", null, UsageErrorKind.NotConnected);

        private static ErrorCategory CategoryOf(FtrackException e) => e switch
        {
            FtrackAuthenticationException => ErrorCategory.AuthenticationError,
            FtrackProxyAuthenticationException => ErrorCategory.AuthenticationError,
            FtrackPermissionException => ErrorCategory.PermissionDenied,
            FtrackValidationException => ErrorCategory.InvalidData,
            FtrackParseException => ErrorCategory.ParserError,
            FtrackServerException => ErrorCategory.InvalidResult,
            FtrackTransportException { Failure: TransportFailure.Timeout } => ErrorCategory.OperationTimeout,
            FtrackTransportException { Failure: TransportFailure.Cancelled } => ErrorCategory.OperationStopped,
            FtrackTransportException => ErrorCategory.ConnectionError,
            FtrackProtocolException => ErrorCategory.ProtocolError,
            FtrackRedirectedException => ErrorCategory.ProtocolError,
            FtrackEncodingException => ErrorCategory.InvalidArgument,
            FtrackInsecureConnectionException => ErrorCategory.SecurityError,
            FtrackSessionClosedException => ErrorCategory.ConnectionError,
            FtrackLocalServerStoppedException => ErrorCategory.ConnectionError,
            FtrackOutcomeUnknownException => ErrorCategory.ConnectionError,
            FtrackTransferException { Cancelled: true } => ErrorCategory.OperationStopped,
            FtrackTransferException => ErrorCategory.ConnectionError,
            FtrackEventHubException => ErrorCategory.ConnectionError,
            FtrackEventReplyTimeoutException => ErrorCategory.OperationTimeout,
            FtrackUsageException { Kind: UsageErrorKind.InvalidOperation } => ErrorCategory.InvalidOperation,
            FtrackUsageException { Kind: UsageErrorKind.NotFound } => ErrorCategory.ObjectNotFound,
            FtrackUsageException { Kind: UsageErrorKind.NotConnected } => ErrorCategory.ConnectionError,
            FtrackUsageException => ErrorCategory.InvalidArgument,
            _ => ErrorCategory.NotSpecified,
        };

        private static string? AdviceFor(FtrackException e) => e switch
        {
            FtrackAuthenticationException => "Check the API user and key (Connect-Ftrack -Credential): the user is the ftrack username, the password is an API key from the ftrack web UI.",
            FtrackParseException => "Check the expression: see Get-Help about_Ftrack_Query_Language.",
            FtrackTransportException { Failure: TransportFailure.Cancelled } => null,
            FtrackTransportException { Failure: TransportFailure.Tls } => "If the server's certificate comes from your studio's own certificate authority, trust it for the session: Connect-Ftrack -TrustedCertificate <ca.pem>. -SkipCertificateCheck is for test servers only.",
            FtrackProxyAuthenticationException => "Pass the proxy's user name and password with Connect-Ftrack -ProxyCredential (Get-Credential), or -ProxyUseDefaultCredentials to offer your logon credentials.",
            FtrackTransportException => "Check the server URL, the network or VPN, and that the server is up.",
            FtrackRedirectedException r => "Fix the server URL: Connect-Ftrack -Server " + (r.Location is { } to ? to.GetLeftPart(UriPartial.Authority) : "<the address ftrack answers at>") + " (only if you trust that address with your API key).",
            FtrackInsecureConnectionException => "Use https://, or pass -AllowUnencryptedAuthentication.",
            FtrackOutcomeUnknownException { Applied: false, CheckCommand: { } check } => "Check with " + check + " before sending it again; Submit-FtrackBatch re-checks an unresolved batch.",
            _ when e.ErrorId == FtrackErrorIds.NotConnected => "Connect-Ftrack -Server https://<studio>.ftrackapp.com -Credential (Get-Credential)",
            _ => null,
        };
    }
}
