using System.Security.Cryptography.X509Certificates;
using Ftrack.Core.Tests.Support;
using Ftrack.Core.Transport;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>
/// Real TLS handshakes on loopback against in-memory certificates: what -TrustedCertificate
/// accepts (a chain to a trusted authority, for the right name, in date) and the plain words for
/// everything it refuses. Never weaker than the system's own check.
/// </summary>
public sealed class ServerCertificateTests : IDisposable
{
    private static readonly string[] Loopback = { "localhost", "127.0.0.1" };
    private readonly X509Certificate2 _studioCa = TestCertificates.Authority("Studio Root CA");
    private readonly List<IDisposable> _servers = new();

    private TlsServer Serve(X509Certificate2 certificate, params X509Certificate2[] intermediates)
    {
        var server = new TlsServer(certificate, intermediates);
        _servers.Add(server);
        return server;
    }

    private static FtrackSession Session(Uri server, Action<TransportSettings> configure)
    {
        var options = new FtrackSessionOptions(server, TestSessions.ApiUser, TestSessions.ApiKey) { SchemaCacheDirectory = null };
        // Direct, whatever HTTPS_PROXY the machine has: certificates are the subject here.
        options.Transport.NoProxy = true;
        configure(options.Transport);
        return new FtrackSession(options) { MaxRetries = 0 };
    }

    /// <summary>Whether a GET through the session's own handler completes (the handshake succeeded).</summary>
    private static void Reaches(TlsServer server, Action<TransportSettings> configure)
    {
        using var session = Session(server.Url, configure);
        using var http = new HttpClient(session.CreateHttpMessageHandler());
        var before = server.Requests;
        using var response = http.GetAsync(server.Url).GetAwaiter().GetResult();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(before + 1, server.Requests);
    }

    /// <summary>Connects through the session (as Connect-Ftrack does) and returns the TLS failure.</summary>
    private static FtrackTransportException Refused(TlsServer server, Action<TransportSettings> configure, Uri? url = null)
    {
        using var session = Session(url ?? server.Url, configure);
        var error = Assert.Throws<FtrackTransportException>(() => session.Connect());
        Assert.Equal(TransportFailure.Tls, error.Failure);
        Assert.Equal(FtrackErrorIds.ConnectionFailed, error.ErrorId);
        Assert.Equal(0, server.Requests);   // nothing, so not the key either, was sent
        ErrorMappingTests.AssertNoApiKey(error);
        return error;
    }

    private Action<TransportSettings> Trusting(params X509Certificate2[] certificates) =>
        t => { foreach (var c in certificates) t.TrustedCertificates.Add(TestCertificates.PublicPart(c)); };

    [Fact]
    public void A_certificate_from_the_trusted_authority_is_accepted()
    {
        var server = Serve(TestCertificates.Issue(_studioCa, "ftrack.studio.test", Loopback));
        Reaches(server, Trusting(_studioCa));
    }

    [Fact]
    public void An_authority_the_system_does_not_know_is_refused_with_subject_issuer_and_why()
    {
        var server = Serve(TestCertificates.Issue(_studioCa, "ftrack.studio.test", Loopback));
        var error = Refused(server, _ => { });
        Assert.Contains("CN=ftrack.studio.test", error.Message);
        Assert.Contains("issued by 'CN=Studio Root CA'", error.Message);
        Assert.Contains("is not a trusted authority", error.Message);
        Assert.Contains(server.Url.GetLeftPart(UriPartial.Authority), error.Message);
    }

    [Fact]
    public void A_certificate_from_another_authority_is_refused_though_one_is_trusted()
    {
        var other = TestCertificates.Authority("Other CA");
        var server = Serve(TestCertificates.Issue(other, "ftrack.studio.test", Loopback));
        var error = Refused(server, Trusting(_studioCa));
        Assert.Contains("issued by 'CN=Other CA'", error.Message);
        Assert.Contains("not a trusted authority", error.Message);
    }

    [Fact]
    public void An_impostor_authority_with_the_trusted_ones_name_but_another_key_is_refused()
    {
        var impostor = TestCertificates.Authority("Studio Root CA");
        var server = Serve(TestCertificates.Issue(impostor, "ftrack.studio.test", Loopback));
        var error = Refused(server, Trusting(_studioCa));
        Assert.Contains("issued by 'CN=Studio Root CA'", error.Message);
    }

    [Fact]
    public void A_name_mismatch_is_refused_even_from_the_trusted_authority()
    {
        var server = Serve(TestCertificates.Issue(_studioCa, "otherhost", new[] { "otherhost" }));
        var error = Refused(server, Trusting(_studioCa));
        Assert.Contains("it is for DNS", error.Message);
        Assert.Contains("otherhost", error.Message);
        Assert.Contains("not for 127.0.0.1", error.Message);
    }

    [Fact]
    public void An_expired_certificate_from_the_trusted_authority_is_refused()
    {
        var server = Serve(TestCertificates.Issue(_studioCa, "ftrack.studio.test", Loopback,
            notBefore: DateTimeOffset.UtcNow.AddDays(-20), notAfter: DateTimeOffset.UtcNow.AddDays(-2)));
        var error = Refused(server, Trusting(_studioCa));
        Assert.Contains("expired on", error.Message);
    }

    [Fact]
    public void A_certificate_not_meant_for_servers_is_refused_from_the_trusted_authority()
    {
        var server = Serve(TestCertificates.Issue(_studioCa, "ftrack.studio.test", Loopback, serverAuthentication: false));
        var error = Refused(server, Trusting(_studioCa));
        Assert.Contains("not valid for server authentication", error.Message);
    }

    [Fact]
    public void A_chain_through_an_intermediate_the_server_sends_reaches_the_trusted_root()
    {
        var intermediate = TestCertificates.Issue(_studioCa, "Studio Issuing CA", Array.Empty<string>(), authority: true);
        var server = Serve(TestCertificates.Issue(intermediate, "ftrack.studio.test", Loopback), TestCertificates.PublicPart(intermediate));
        Reaches(server, Trusting(_studioCa));
    }

    [Fact]
    public void A_self_signed_server_certificate_can_itself_be_trusted()
    {
        var selfSigned = TestCertificates.Issue(null, "ftrack.studio.test", Loopback);
        var server = Serve(selfSigned);
        Reaches(server, Trusting(selfSigned));
    }

    [Fact]
    public void Skipping_the_check_accepts_any_certificate()
    {
        var server = Serve(TestCertificates.Issue(TestCertificates.Authority("Other CA"), "otherhost", new[] { "otherhost" }));
        Reaches(server, t => t.SkipCertificateCheck = true);
    }

    public void Dispose()
    {
        foreach (var server in _servers) server.Dispose();
    }
}
