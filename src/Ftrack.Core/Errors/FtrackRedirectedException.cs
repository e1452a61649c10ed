using System;

namespace Ftrack.Core
{
    /// <summary>
    /// The server answered a redirect. Never followed: following would send the API key and the
    /// session cookie to wherever it points, and a 302 would turn the POST into a GET.
    /// </summary>
    public sealed class FtrackRedirectedException : FtrackException
    {
        /// <summary>A redirect from <paramref name="server"/> to <paramref name="location"/> (null when none was given).</summary>
        public FtrackRedirectedException(Uri server, int httpStatus, Uri? location)
            : base("The server at " + server.GetLeftPart(UriPartial.Authority) + " answered HTTP " + httpStatus + ", a redirect to "
                   + (location is null ? "no location" : location.GetLeftPart(UriPartial.Path)) + ". Redirects are never followed: they would carry "
                   + "the API key to another address. If that address is the ftrack server, connect to it directly.")
        {
            HttpStatus = httpStatus;
            Location = location;
        }

        /// <summary>301, 302, 303, 307 or 308.</summary>
        public int HttpStatus { get; }

        /// <summary>Where the redirect pointed (without its query string), when it said.</summary>
        public Uri? Location { get; }

        /// <inheritdoc />
        public override string ErrorId => FtrackErrorIds.Redirected;
    }
}
