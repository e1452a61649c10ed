using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Ftrack.Core.Transport
{
    /// <summary>
    /// Recognizes a proxy's 407 on the CONNECT that opens an https tunnel, which surfaces as an
    /// HttpRequestException instead of a response. .NET 9+ sets its StatusCode; .NET 8 (pwsh 7.4)
    /// says ProxyTunnelError and puts the status only in the message. Neither property is in
    /// netstandard2.0, hence reflection.
    /// </summary>
    internal static class ProxyFailure
    {
        private static readonly PropertyInfo? StatusCode = typeof(HttpRequestException).GetProperty("StatusCode");
        private static readonly PropertyInfo? RequestError = typeof(HttpRequestException).GetProperty("HttpRequestError");
        private static readonly Regex Status407 = new(@"\b407\b", RegexOptions.CultureInvariant);

        public static bool IsAuthenticationRequired(HttpRequestException e)
        {
            if (StatusCode?.GetValue(e) is HttpStatusCode status) return status == HttpStatusCode.ProxyAuthenticationRequired;
            return RequestError?.GetValue(e)?.ToString() == "ProxyTunnelError" && Status407.IsMatch(e.Message);
        }
    }
}
