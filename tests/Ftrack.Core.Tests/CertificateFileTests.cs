using System.Security.Cryptography.X509Certificates;
using Ftrack.Core.Tests.Support;
using Ftrack.Core.Transport;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>The files -TrustedCertificate reads: PEM, PEM bundles with text around them, DER; and clear refusals.</summary>
public sealed class CertificateFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = TestCertificates.Authority("Studio Root CA");
    private readonly X509Certificate2 _issuing = TestCertificates.Authority("Studio Issuing CA");

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Write(string name, string text) => Write(name, System.Text.Encoding.ASCII.GetBytes(text));

    [Fact]
    public void Reads_one_pem_certificate()
    {
        var loaded = CertificateFile.Load(Write("ca.pem", TestCertificates.Pem(_root)));
        Assert.Equal(_root.Thumbprint, Assert.Single(loaded).Thumbprint);
    }

    [Fact]
    public void Reads_every_certificate_of_a_bundle_with_text_around_them()
    {
        var text = "# Studio CA bundle\r\nsubject=CN = Studio Root CA\r\n" + TestCertificates.Pem(_root).Replace("\n", "\r\n") + "\nissuer=...\n" + TestCertificates.Pem(_issuing);
        var loaded = CertificateFile.Load(Write("bundle.pem", text));
        Assert.Equal(new[] { _root.Thumbprint, _issuing.Thumbprint }, loaded.Select(c => c.Thumbprint));
    }

    [Fact]
    public void Reads_a_der_certificate()
    {
        var loaded = CertificateFile.Load(Write("ca.cer", _root.RawData));
        Assert.Equal(_root.Thumbprint, Assert.Single(loaded).Thumbprint);
    }

    [Fact]
    public void Refuses_a_missing_file_naming_it()
    {
        var path = Path.Combine(_dir.Path, "nope.pem");
        var error = Assert.Throws<FtrackUsageException>(() => CertificateFile.Load(path));
        Assert.Equal(FtrackErrorIds.InvalidCertificate, error.ErrorId);
        Assert.Contains(path, error.Message);
    }

    [Theory]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n")]
    [InlineData("just some text, no certificate\n")]
    [InlineData("-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIB\n")]
    public void Refuses_a_file_without_a_readable_certificate(string text)
    {
        var path = Write("bad.pem", text);
        var error = Assert.Throws<FtrackUsageException>(() => CertificateFile.Load(path));
        Assert.Equal(FtrackErrorIds.InvalidCertificate, error.ErrorId);
        Assert.Contains("bad.pem", error.Message);
    }

    public void Dispose() => _dir.Dispose();
}
