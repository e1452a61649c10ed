using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ftrack.Core.Tests.Support;

/// <summary>Certificate authorities and server certificates made in memory, as a studio's internal CA would issue them.</summary>
internal static class TestCertificates
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>A self-signed certificate authority valid from a month ago to a month ahead.</summary>
    public static X509Certificate2 Authority(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return Reload(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(30)));
    }

    /// <summary>
    /// A server certificate for <paramref name="names"/> (DNS names or IP addresses) signed by
    /// <paramref name="issuer"/>; self-signed when the issuer is null. An intermediate when
    /// <paramref name="authority"/> is set.
    /// </summary>
    public static X509Certificate2 Issue(X509Certificate2? issuer, string commonName, string[] names,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool serverAuthentication = true, bool authority = false)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (names.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in names)
            {
                if (IPAddress.TryParse(name, out var ip)) san.AddIpAddress(ip);
                else san.AddDnsName(name);
            }
            request.CertificateExtensions.Add(san.Build());
        }
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(authority, false, 0, true));
        if (authority)
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        else
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                new OidCollection { new Oid(serverAuthentication ? ServerAuthentication : ClientAuthentication) }, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        var to = notAfter ?? DateTimeOffset.UtcNow.AddDays(7);
        // A certificate may not outlive its issuer (CertificateRequest.Create refuses it).
        if (issuer != null && to > issuer.NotAfter) to = issuer.NotAfter;
        if (issuer is null) return Reload(request.CreateSelfSigned(from, to));
        var serial = new byte[12];
        RandomNumberGenerator.Fill(serial);
        using var signed = request.Create(issuer, from, to, serial);
        return Reload(signed.CopyWithPrivateKey(key));
    }

    /// <summary>PEM text of the certificates, as a studio hands out its CA bundle.</summary>
    public static string Pem(params X509Certificate2[] certificates) =>
        string.Concat(certificates.Select(c => "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(c.RawData, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE-----\n"));

    /// <summary>The public part only, as a CA certificate is distributed.</summary>
    public static X509Certificate2 PublicPart(X509Certificate2 certificate) => X509CertificateLoader.LoadCertificate(certificate.RawData);

    // Through PKCS#12 so the private key is a persisted one SslStream can use on every platform.
    private static X509Certificate2 Reload(X509Certificate2 certificate)
    {
        using (certificate) return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
