namespace Ftrack.Core
{
    /// <summary>
    /// Every FullyQualifiedErrorId the module raises, in one place: scripts match on these, the
    /// README's error table lists them (a test keeps the two equal), and no id is spelled anywhere else.
    /// </summary>
    public static class FtrackErrorIds
    {
        // The server refused or failed the request.
        /// <summary>The server refused the API user or key (HTTP 401, InvalidCredentialsError).</summary>
        public const string AuthenticationFailed = "Ftrack.AuthenticationFailed";
        /// <summary>The user may not do this (PermissionError).</summary>
        public const string PermissionDenied = "Ftrack.PermissionDenied";
        /// <summary>The data broke a rule of the server (ValidationError, DuplicateEntryError).</summary>
        public const string ValidationFailed = "Ftrack.ValidationFailed";
        /// <summary>The query expression does not parse (ParseError).</summary>
        public const string QueryParseFailed = "Ftrack.QueryParseFailed";
        /// <summary>Any other exception the server raised; its name is in the message.</summary>
        public const string ServerError = "Ftrack.ServerError";

        // The exchange itself failed.
        /// <summary>Refused, name not resolved, TLS failure, connection reset, or cancelled.</summary>
        public const string ConnectionFailed = "Ftrack.ConnectionFailed";
        /// <summary>No answer within the session's timeout.</summary>
        public const string Timeout = "Ftrack.Timeout";
        /// <summary>The answer is not ftrack's: HTML from a proxy, an empty, truncated or invalid body.</summary>
        public const string InvalidResponse = "Ftrack.InvalidResponse";
        /// <summary>The server answered a redirect, which is never followed.</summary>
        public const string Redirected = "Ftrack.Redirected";
        /// <summary>http:// to a host that is not this machine, without the opt-in.</summary>
        public const string InsecureConnection = "Ftrack.InsecureConnection";
        /// <summary>A write was sent and its answer lost: it may or may not be applied.</summary>
        public const string OutcomeUnknown = "Ftrack.OutcomeUnknown";
        /// <summary>A proxy between the client and the server answered HTTP 407: it wants credentials, or refused the ones given.</summary>
        public const string ProxyAuthenticationRequired = "Ftrack.ProxyAuthenticationRequired";

        // Sessions.
        /// <summary>No session: Connect-Ftrack first, or pass -Session.</summary>
        public const string NotConnected = "Ftrack.NotConnected";
        /// <summary>The session was closed (Disconnect-Ftrack, or replaced by Connect-Ftrack).</summary>
        public const string SessionClosed = "Ftrack.SessionClosed";
        /// <summary>No server URL was given or found in FTRACK_SERVER.</summary>
        public const string MissingServer = "Ftrack.MissingServer";
        /// <summary>The server URL is not an http(s) URL.</summary>
        public const string InvalidServer = "Ftrack.InvalidServer";
        /// <summary>No API user or key was given or found in the environment.</summary>
        public const string MissingCredential = "Ftrack.MissingCredential";
        /// <summary>A certificate to trust could not be read (no such file, no certificate in it), or conflicts with skipping certificate checks.</summary>
        public const string InvalidCertificate = "Ftrack.InvalidCertificate";
        /// <summary>The proxy URL is not an http(s) or socks URL, carries a password, or the proxy settings contradict each other.</summary>
        public const string InvalidProxy = "Ftrack.InvalidProxy";

        // Refused on the client before anything is sent.
        /// <summary>The server has no such entity type.</summary>
        public const string UnknownEntityType = "Ftrack.UnknownEntityType";
        /// <summary>The entity type has no such attribute.</summary>
        public const string UnknownAttribute = "Ftrack.UnknownAttribute";
        /// <summary>The attribute is immutable or computed: it cannot be set (or changed).</summary>
        public const string ImmutableAttribute = "Ftrack.ImmutableAttribute";
        /// <summary>A text value that is not the attribute's type (a CSV cell "lots" for a number).</summary>
        public const string InvalidAttributeValue = "Ftrack.InvalidAttributeValue";
        /// <summary>A value that cannot be sent to ftrack at all.</summary>
        public const string InvalidValue = "Ftrack.InvalidValue";
        /// <summary>A create lacks attributes its type requires and the server does not fill in (all of them are named).</summary>
        public const string MissingRequiredAttribute = "Ftrack.MissingRequiredAttribute";
        /// <summary>A name given for a reference (status = 'Approved') that no entity of the referenced type has.</summary>
        public const string UnknownName = "Ftrack.UnknownName";
        /// <summary>An update with no attributes.</summary>
        public const string NothingToUpdate = "Ftrack.NothingToUpdate";
        /// <summary>The entity lacks its primary key: select it in the query that returned it.</summary>
        public const string MissingKey = "Ftrack.MissingKey";
        /// <summary>The input names an entity by its id but not its type: give -EntityType.</summary>
        public const string MissingEntityType = "Ftrack.MissingEntityType";
        /// <summary>The input is neither an entity nor anything that names one (type and key).</summary>
        public const string NotAnEntity = "Ftrack.NotAnEntity";
        /// <summary>The entity type is keyed by several attributes, not by an id.</summary>
        public const string UnsupportedKey = "Ftrack.UnsupportedKey";
        /// <summary>Get-or-create was not given a value for an identifying property.</summary>
        public const string MissingIdentifyingProperty = "Ftrack.MissingIdentifyingProperty";
        /// <summary>More than one entity matches: get-or-create's identifying properties, or a name given for a reference.</summary>
        public const string AmbiguousMatch = "Ftrack.AmbiguousMatch";
        /// <summary>A raw operation that is not well formed, or one that cannot be combined with an open batch.</summary>
        public const string InvalidOperation = "Ftrack.InvalidOperation";
        /// <summary>A custom attribute key that does not apply to the entity (by its type, object type and project), or an entity type without custom attributes; the valid keys are listed.</summary>
        public const string UnknownCustomAttribute = "Ftrack.UnknownCustomAttribute";
        /// <summary>A custom attribute value that is not of the configured type (a number, text, a date, one of an enumerator's choices, ...).</summary>
        public const string InvalidCustomAttributeValue = "Ftrack.InvalidCustomAttributeValue";
        /// <summary>An attribute that was not selected could not be (or, with -NoAutoPopulate, was not) loaded.</summary>
        public const string AttributeNotLoaded = "Ftrack.AttributeNotLoaded";

        // Reads that found nothing.
        /// <summary>No entity has the id asked for.</summary>
        public const string EntityNotFound = "Ftrack.EntityNotFound";

        // Batches.
        /// <summary>A batch is already open in this runspace.</summary>
        public const string BatchAlreadyOpen = "Ftrack.BatchAlreadyOpen";
        /// <summary>No batch is open in this runspace.</summary>
        public const string NoBatch = "Ftrack.NoBatch";
        /// <summary>The batch is not open (being submitted, submitted, discarded, or of unknown outcome).</summary>
        public const string BatchNotOpen = "Ftrack.BatchNotOpen";
        /// <summary>Invoke-FtrackBatch discarded its batch because a command in the script block failed.</summary>
        public const string BatchDiscarded = "Ftrack.BatchDiscarded";
        /// <summary>A write for one session while this runspace's batch is on another.</summary>
        public const string BatchOnOtherSession = "Ftrack.BatchOnOtherSession";

        // Publishing: components, uploads and downloads.
        /// <summary>A component's path is a folder, a missing file, or a sequence with missing frames or a malformed range; nothing was created.</summary>
        public const string InvalidComponentPath = "Ftrack.InvalidComponentPath";
        /// <summary>Bytes could not be uploaded or downloaded (refused, cut short, too large, an expired URL); an upload registers nothing.</summary>
        public const string TransferFailed = "Ftrack.TransferFailed";
        /// <summary>The component has no data in a location the module can read from (ftrack.server): nothing to download or link to.</summary>
        public const string ComponentNotAvailable = "Ftrack.ComponentNotAvailable";
        /// <summary>A download would overwrite a file that exists: pass -Force to replace it.</summary>
        public const string DestinationExists = "Ftrack.DestinationExists";

        // The local server.
        /// <summary>The module build has no local server.</summary>
        public const string LocalServerMissing = "Ftrack.LocalServerMissing";
        /// <summary>The local server did not start.</summary>
        public const string LocalServerFailed = "Ftrack.LocalServerFailed";
        /// <summary>The session's local server was stopped (Stop-FtrackLocalServer, Remove-Module) or has exited; nothing was sent.</summary>
        public const string LocalServerStopped = "Ftrack.LocalServerStopped";

        // Events.
        /// <summary>The server's event hub could not be reached or refused the connection (not the credentials: those are AuthenticationFailed).</summary>
        public const string EventHubUnreachable = "Ftrack.EventHubUnreachable";
        /// <summary>A subscription or target expression does not parse (the message points at the place), or the event hub refused it.</summary>
        public const string InvalidSubscription = "Ftrack.InvalidSubscription";
        /// <summary>No reply to a published event within the time given (Send-FtrackEvent -WaitForReply -TimeoutSec).</summary>
        public const string EventReplyTimeout = "Ftrack.EventReplyTimeout";
        /// <summary>An event subscriber with that source identifier exists already in this runspace.</summary>
        public const string SubscriberExists = "Ftrack.SubscriberExists";
    }
}
