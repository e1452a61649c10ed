using System;

namespace Ftrack.Core
{
    /// <summary>
    /// Base of every error the client raises. Messages are plain words a person can act on and never
    /// contain the API key.
    /// </summary>
    public abstract class FtrackException : Exception
    {
        protected FtrackException(string message, Exception? inner = null) : base(message, inner) { }

        /// <summary>A stable identifier for scripts and ErrorRecords, e.g. "Ftrack.ValidationFailed".</summary>
        public abstract string ErrorId { get; }

        /// <summary>The operation that failed ("query \"select ...\"", "create Task"), when known.</summary>
        public string? Operation { get; internal set; }

        /// <summary>The server's Retry-After (HTTP 429/503), when it sent one.</summary>
        public TimeSpan? RetryAfter { get; internal set; }
    }

    /// <summary>The server answered with its error object {"exception","content","error_code"}.</summary>
    public class FtrackServerException : FtrackException
    {
        public FtrackServerException(string exceptionName, string content, string? errorCode, int httpStatus, string? operation)
            : base(content)
        {
            ServerExceptionName = exceptionName;
            ServerMessage = content;
            ErrorCode = errorCode;
            HttpStatus = httpStatus;
            Operation = operation;
        }

        /// <summary>The server's exception name, e.g. "ValidationError".</summary>
        public string ServerExceptionName { get; }
        /// <summary>The server's message (its "content").</summary>
        public string ServerMessage { get; }
        public string? ErrorCode { get; }
        public int HttpStatus { get; }
        /// <summary>In a batch: the zero-based index of the operation that failed, when it is known.</summary>
        public int? FailedOperationIndex { get; internal set; }

        /// <summary>Names the operation (set once the caller knows which one failed) and the server's words.</summary>
        public override string Message => Compose(ServerExceptionName, ServerMessage, Operation);

        public override string ErrorId => "Ftrack.ServerError";

        private static string Compose(string name, string content, string? operation) =>
            (operation is null ? "" : operation + " failed: ") + "the server raised " + name + ": " + content;
    }

    /// <summary>Wrong API user or key, or an expired session (HTTP 401, InvalidCredentialsError).</summary>
    public sealed class FtrackAuthenticationException : FtrackServerException
    {
        public FtrackAuthenticationException(string exceptionName, string content, string? errorCode, int httpStatus, string? operation)
            : base(exceptionName, content, errorCode, httpStatus, operation) { }
        public override string ErrorId => "Ftrack.AuthenticationFailed";
    }

    /// <summary>The user may not do this (PermissionError).</summary>
    public sealed class FtrackPermissionException : FtrackServerException
    {
        public FtrackPermissionException(string exceptionName, string content, string? errorCode, int httpStatus, string? operation)
            : base(exceptionName, content, errorCode, httpStatus, operation) { }
        public override string ErrorId => "Ftrack.PermissionDenied";
    }

    /// <summary>The data broke a rule (ValidationError, DuplicateEntryError...).</summary>
    public sealed class FtrackValidationException : FtrackServerException
    {
        public FtrackValidationException(string exceptionName, string content, string? errorCode, int httpStatus, string? operation)
            : base(exceptionName, content, errorCode, httpStatus, operation) { }
        public override string ErrorId => "Ftrack.ValidationFailed";
    }

    /// <summary>The query expression could not be parsed (ParseError).</summary>
    public sealed class FtrackParseException : FtrackServerException
    {
        public FtrackParseException(string exceptionName, string content, string? errorCode, int httpStatus, string? operation)
            : base(exceptionName, content, errorCode, httpStatus, operation) { }
        public override string ErrorId => "Ftrack.QueryParseFailed";
    }

    /// <summary>What went wrong below HTTP: the connection could not be made or kept.</summary>
    public enum TransportFailure
    {
        ConnectionRefused,
        NameResolution,
        Tls,
        Timeout,
        ConnectionReset,
        Other,
    }

    /// <summary>The server could not be reached, or the connection broke (refused, DNS, TLS, timeout).</summary>
    public sealed class FtrackTransportException : FtrackException
    {
        public FtrackTransportException(TransportFailure failure, string message, Exception? inner = null) : base(message, inner)
        {
            Failure = failure;
        }
        public TransportFailure Failure { get; }
        public override string ErrorId => Failure == TransportFailure.Timeout ? "Ftrack.Timeout" : "Ftrack.ConnectionFailed";
    }

    /// <summary>The server's answer was not the ftrack protocol: HTML from a proxy, an empty or truncated body.</summary>
    public sealed class FtrackProtocolException : FtrackException
    {
        public FtrackProtocolException(string message, int httpStatus = 0, Exception? inner = null) : base(message, inner)
        {
            HttpStatus = httpStatus;
        }
        public int HttpStatus { get; }
        public override string ErrorId => "Ftrack.InvalidResponse";
    }

    /// <summary>A value given by the caller cannot be encoded for ftrack (nothing was sent).</summary>
    public sealed class FtrackEncodingException : FtrackException
    {
        public FtrackEncodingException(string message) : base(message) { }
        public override string ErrorId => "Ftrack.InvalidValue";
    }

    /// <summary>Maps the server's exception name to the client's exception type.</summary>
    public static class FtrackErrors
    {
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
