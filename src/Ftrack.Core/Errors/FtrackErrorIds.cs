namespace Ftrack.Core
{
    /// <summary>
    /// Every FullyQualifiedErrorId the module raises, in one place: scripts match on these, the
    /// README's error table lists them (a test keeps the two equal), and no id is spelled anywhere else.
    /// </summary>
    public static class FtrackErrorIds
    {
        // The server refused or failed the request.
        public const string AuthenticationFailed = "Ftrack.AuthenticationFailed";
        public const string PermissionDenied = "Ftrack.PermissionDenied";
        public const string ValidationFailed = "Ftrack.ValidationFailed";
        public const string QueryParseFailed = "Ftrack.QueryParseFailed";
        public const string ServerError = "Ftrack.ServerError";

        // The exchange itself failed.
        public const string ConnectionFailed = "Ftrack.ConnectionFailed";
        public const string Timeout = "Ftrack.Timeout";
        public const string InvalidResponse = "Ftrack.InvalidResponse";
        public const string Redirected = "Ftrack.Redirected";
        public const string InsecureConnection = "Ftrack.InsecureConnection";
        public const string OutcomeUnknown = "Ftrack.OutcomeUnknown";

        // Sessions.
        public const string NotConnected = "Ftrack.NotConnected";
        public const string SessionClosed = "Ftrack.SessionClosed";
        public const string MissingServer = "Ftrack.MissingServer";
        public const string InvalidServer = "Ftrack.InvalidServer";
        public const string MissingCredential = "Ftrack.MissingCredential";

        // Refused on the client before anything is sent.
        public const string UnknownEntityType = "Ftrack.UnknownEntityType";
        public const string UnknownAttribute = "Ftrack.UnknownAttribute";
        public const string ImmutableAttribute = "Ftrack.ImmutableAttribute";
        public const string InvalidAttributeValue = "Ftrack.InvalidAttributeValue";
        public const string InvalidValue = "Ftrack.InvalidValue";
        public const string NothingToUpdate = "Ftrack.NothingToUpdate";
        public const string MissingKey = "Ftrack.MissingKey";
        public const string UnsupportedKey = "Ftrack.UnsupportedKey";
        public const string MissingIdentifyingProperty = "Ftrack.MissingIdentifyingProperty";
        public const string AmbiguousMatch = "Ftrack.AmbiguousMatch";
        public const string InvalidOperation = "Ftrack.InvalidOperation";
        public const string AttributeNotLoaded = "Ftrack.AttributeNotLoaded";
        public const string EntityIsReadOnly = "Ftrack.EntityIsReadOnly";

        // Reads that found nothing.
        public const string EntityNotFound = "Ftrack.EntityNotFound";
        public const string SchemaNotFound = "Ftrack.SchemaNotFound";

        // Batches.
        public const string BatchAlreadyOpen = "Ftrack.BatchAlreadyOpen";
        public const string NoBatch = "Ftrack.NoBatch";
        public const string BatchNotOpen = "Ftrack.BatchNotOpen";
        public const string BatchDiscarded = "Ftrack.BatchDiscarded";
        public const string BatchOnOtherSession = "Ftrack.BatchOnOtherSession";

        // The local server.
        public const string LocalServerMissing = "Ftrack.LocalServerMissing";
        public const string LocalServerFailed = "Ftrack.LocalServerFailed";
    }
}
