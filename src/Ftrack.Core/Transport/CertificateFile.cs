using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Ftrack.Core.Transport
{
    /// <summary>
    /// Reads the certificates of a file to trust: PEM (one certificate or a bundle of several, as
    /// studios distribute their CA chains, with any text around them) or DER. PEM blocks are decoded
    /// here because netstandard2.0 has no PEM reader for bundles.
    /// </summary>
    public static class CertificateFile
    {
        private const string Begin = "-----BEGIN CERTIFICATE-----";
        private const string End = "-----END CERTIFICATE-----";

        /// <summary>Every certificate in the file; fails with Ftrack.InvalidCertificate when there is none or the file cannot be read.</summary>
        public static IReadOnlyList<X509Certificate2> Load(string path)
        {
            byte[] bytes;
            try { bytes = File.ReadAllBytes(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw Invalid("Cannot read the certificate file '" + path + "': " + e.Message);
            }
            try
            {
                var text = Encoding.ASCII.GetString(bytes);
                if (text.IndexOf(Begin, StringComparison.Ordinal) < 0)
                    return new[] { new X509Certificate2(bytes) };
                var certificates = new List<X509Certificate2>();
                for (var start = text.IndexOf(Begin, StringComparison.Ordinal); start >= 0; start = text.IndexOf(Begin, start, StringComparison.Ordinal))
                {
                    start += Begin.Length;
                    var end = text.IndexOf(End, start, StringComparison.Ordinal);
                    if (end < 0) throw Invalid("'" + path + "' has a certificate without its " + End + " line.");
                    certificates.Add(new X509Certificate2(Convert.FromBase64String(text.Substring(start, end - start))));
                    start = end + End.Length;
                }
                return certificates;
            }
            catch (Exception e) when (e is CryptographicException or FormatException)
            {
                throw Invalid("'" + path + "' holds no certificate that can be read (" + e.Message.Trim() + "): give a PEM file (-----BEGIN CERTIFICATE-----), a bundle of them, or a DER file.");
            }
        }

        private static FtrackUsageException Invalid(string message) => new(FtrackErrorIds.InvalidCertificate, message);
    }
}
