using System;

namespace Ftrack.Core
{
    /// <summary>http:// to a non-loopback host without the explicit opt-in.</summary>
    public sealed class FtrackInsecureConnectionException : FtrackException
    {
        /// <summary>Refuses <paramref name="server"/>.</summary>
        public FtrackInsecureConnectionException(Uri server)
            : base("Refusing to send the API key in clear text to " + server.GetLeftPart(UriPartial.Authority) + ": use https://, or pass -AllowUnencryptedAuthentication if you really mean it.") { }

        /// <inheritdoc />
        public override string ErrorId => FtrackErrorIds.InsecureConnection;
    }
}
