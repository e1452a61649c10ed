using System;
using System.Management.Automation;
using Ftrack.Core;
using Ftrack.Core.Transport;

namespace Ftrack
{
    /// <summary>
    /// Turns client exceptions into ErrorRecords with stable FullyQualifiedErrorIds (the exception's
    /// ErrorId), a fitting category, and the failing expression or operation as the target.
    /// </summary>
    internal static class FtrackErrorRecords
    {
        public const string NotConnectedId = "Ftrack.NotConnected";

        public static ErrorRecord From(Exception exception, object? target)
        {
            if (exception is FtrackException fe)
            {
                var record = new ErrorRecord(fe, fe.ErrorId, CategoryOf(fe), target ?? fe.Operation);
                var advice = AdviceFor(fe);
                if (advice != null) record.ErrorDetails = new ErrorDetails(fe.Message) { RecommendedAction = advice };
                return record;
            }
            if (exception is ArgumentException)
                return new ErrorRecord(exception, "Ftrack.InvalidArgument", ErrorCategory.InvalidArgument, target);
            return new ErrorRecord(exception, "Ftrack.UnexpectedError", ErrorCategory.NotSpecified, target);
        }

        public static ErrorRecord NotConnected() => new(
            new InvalidOperationException("Not connected to ftrack. Run Connect-Ftrack first, or pass -Session."),
            NotConnectedId, ErrorCategory.ConnectionError, null)
        {
            ErrorDetails = new ErrorDetails("Not connected to ftrack. Run Connect-Ftrack first, or pass -Session.")
            {
                RecommendedAction = "Connect-Ftrack -Server https://<studio>.ftrackapp.com -Credential (Get-Credential)",
            },
        };

        private static ErrorCategory CategoryOf(FtrackException e) => e switch
        {
            FtrackAuthenticationException => ErrorCategory.AuthenticationError,
            FtrackPermissionException => ErrorCategory.PermissionDenied,
            FtrackValidationException => ErrorCategory.InvalidData,
            FtrackParseException => ErrorCategory.ParserError,
            FtrackServerException => ErrorCategory.InvalidResult,
            FtrackTransportException { Failure: TransportFailure.Timeout } => ErrorCategory.OperationTimeout,
            FtrackTransportException => ErrorCategory.ConnectionError,
            FtrackProtocolException => ErrorCategory.ProtocolError,
            FtrackEncodingException => ErrorCategory.InvalidArgument,
            FtrackInsecureConnectionException => ErrorCategory.SecurityError,
            FtrackSessionClosedException => ErrorCategory.ConnectionError,
            Ftrack.Core.Writes.FtrackSchemaException => ErrorCategory.InvalidArgument,
            Ftrack.Core.Writes.FtrackBatchException => ErrorCategory.InvalidOperation,
            Ftrack.Core.Writes.FtrackOutcomeUnknownException => ErrorCategory.ConnectionError,
            _ => ErrorCategory.NotSpecified,
        };

        private static string? AdviceFor(FtrackException e) => e switch
        {
            FtrackAuthenticationException => "Check the API user and key (Connect-Ftrack -Credential): the user is the ftrack username, the password is an API key from the ftrack web UI.",
            FtrackParseException => "Check the expression: see Get-Help about_Ftrack_Query_Language.",
            FtrackTransportException => "Check the server URL, the network or VPN, and that the server is up.",
            FtrackInsecureConnectionException => "Use https://, or pass -AllowUnencryptedAuthentication.",
            _ => null,
        };
    }
}
