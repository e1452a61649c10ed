using System;

namespace Ftrack.Core
{
    /// <summary>Maps the server's exception name to the client's exception type.</summary>
    public static class ServerErrors
    {
        /// <summary>The exception for a server error object: typed by the server's exception name.</summary>
        public static FtrackServerException FromServer(string? name, string? content, string? errorCode, int httpStatus, string? operation)
        {
            name = string.IsNullOrEmpty(name) ? "ServerError" : name!;
            content ??= "";
            switch (name)
            {
                case "InvalidCredentialsError":
                case "FTAuthenticationError":
                case "AuthenticationError":
                    return new FtrackAuthenticationException(name, content, errorCode, httpStatus, operation);
                case "PermissionError":
                case "AccessDeniedError":
                    return new FtrackPermissionException(name, content, errorCode, httpStatus, operation);
                case "ValidationError":
                case "DuplicateEntryError":
                case "IntegrityError":
                    return new FtrackValidationException(name, content, errorCode, httpStatus, operation);
                case "ParseError":
                    return new FtrackParseException(name, content, errorCode, httpStatus, operation);
            }
            if (httpStatus == 401) return new FtrackAuthenticationException(name, content, errorCode, httpStatus, operation);
            if (content.StartsWith("Unable to parse", StringComparison.OrdinalIgnoreCase))
                return new FtrackParseException(name, content, errorCode, httpStatus, operation);
            return new FtrackServerException(name, content, errorCode, httpStatus, operation);
        }
    }
}
