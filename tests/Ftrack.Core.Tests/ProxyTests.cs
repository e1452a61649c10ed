using System.Net;
using Ftrack.Core.Json;
using Ftrack.Core.Operations;
using Ftrack.Core.Tests.Support;
using Ftrack.Core.Transport;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>
/// The proxy settings a session's handlers get, what it shows of them (never a password), the
/// settings it refuses, and a proxy's 407 as Ftrack.ProxyAuthenticationRequired in both forms: a
/// response to plain http, and a refused CONNECT tunnel for https.
/// </summary>
public sealed class ProxyTests
{
    private const string ProxyPassword = "PROXY-PASSWORD-9b1e";

    private static FtrackSessionOptions Options(Uri? server = null) =>
        new(server ?? TestSessions.Server, TestSessions.ApiUser, TestSessions.ApiKey) { SchemaCacheDirectory = null };

    private static HttpClientHandler HandlerOf(FtrackSession session) => Assert.IsType<HttpClientHandler>(session.CreateHttpMessageHandler());

    private static void AssertShowsNoSecret(FtrackSession session)
    {
        Assert.DoesNotContain(ProxyPassword, session.ToString());
        foreach (var property in typeof(FtrackSession).GetProperties())
            Assert.DoesNotContain(ProxyPassword, Convert.ToString(property.GetValue(session)) ?? "");
    }

    [Fact]
    public void A_proxy_with_a_credential_is_used_for_every_server_and_shown_without_its_password()
    {
        var options = Options();
        options.Transport.Proxy = new Uri("http://proxy.studio.test:3128");
        options.Transport.ProxyCredential = new NetworkCredential("alice", ProxyPassword, "STUDIO");
        using var session = new FtrackSession(options);

        using var handler = HandlerOf(session);
        Assert.False(handler.AllowAutoRedirect);
        Assert.True(handler.UseProxy);
        var proxy = Assert.IsType<WebProxy>(handler.Proxy);
        Assert.Equal(new Uri("http://proxy.studio.test:3128"), proxy.Address);
        Assert.False(proxy.IsBypassed(new Uri("https://127.0.0.1/")));
        Assert.Equal(ProxyPassword, proxy.Credentials!.GetCredential(proxy.Address!, "Basic")!.Password);

        Assert.Equal(new Uri("http://proxy.studio.test:3128"), session.Proxy);
        Assert.Equal("STUDIO\\alice", session.ProxyUser);
        AssertShowsNoSecret(session);
    }

    [Fact]
    public void Logon_credentials_go_to_the_given_proxy_or_the_system_one()
    {
        var explicitProxy = Options();
        explicitProxy.Transport.Proxy = new Uri("http://proxy.studio.test:3128");
        explicitProxy.Transport.ProxyUseDefaultCredentials = true;
        using (var session = new FtrackSession(explicitProxy))
        using (var handler = HandlerOf(session))
        {
            Assert.True(Assert.IsType<WebProxy>(handler.Proxy).UseDefaultCredentials);
            Assert.True(session.ProxyUseDefaultCredentials);
        }

        var systemProxy = Options();
        systemProxy.Transport.ProxyUseDefaultCredentials = true;
        using (var session = new FtrackSession(systemProxy))
        using (var handler = HandlerOf(session))
        {
            Assert.Null(handler.Proxy);
            Assert.True(handler.UseProxy);
            Assert.Same(CredentialCache.DefaultCredentials, handler.DefaultProxyCredentials);
        }
    }

    [Fact]
    public void Without_settings_the_handler_keeps_dotnets_system_proxy_and_refuses_redirects()
    {
        using var session = new FtrackSession(Options());
        using var handler = HandlerOf(session);
        Assert.True(handler.UseProxy);
        Assert.Null(handler.Proxy);                 // HttpClient.DefaultProxy: HTTPS_PROXY, HTTP_PROXY, NO_PROXY
        Assert.Null(handler.DefaultProxyCredentials);
        Assert.False(handler.AllowAutoRedirect);
        Assert.NotNull(handler.ServerCertificateCustomValidationCallback);
        Assert.Empty(session.TrustedCertificates);
        Assert.False(session.SkipCertificateCheck);
    }

    [Fact]
    public void No_proxy_turns_the_system_proxy_off()
    {
        var options = Options();
        options.Transport.NoProxy = true;
        using var session = new FtrackSession(options);
        using var handler = HandlerOf(session);
        Assert.False(handler.UseProxy);
        Assert.Null(session.Proxy);
    }

    public static TheoryData<string, Action<TransportSettings>> Contradictions() => new()
    {
        { FtrackErrorIds.InvalidProxy, t => t.Proxy = new Uri("proxy.studio.test:3128") },
        { FtrackErrorIds.InvalidProxy, t => t.Proxy = new Uri("ftp://proxy.studio.test/") },
        { FtrackErrorIds.InvalidProxy, t => t.Proxy = new Uri("http://alice:" + ProxyPassword + "@proxy.studio.test:3128") },
        { FtrackErrorIds.InvalidProxy, t => { t.Proxy = new Uri("http://proxy.studio.test:3128"); t.NoProxy = true; } },
        { FtrackErrorIds.InvalidProxy, t => { t.NoProxy = true; t.ProxyCredential = new NetworkCredential("alice", ProxyPassword); } },
        { FtrackErrorIds.InvalidProxy, t => { t.ProxyUseDefaultCredentials = true; t.ProxyCredential = new NetworkCredential("alice", ProxyPassword); } },
        { FtrackErrorIds.InvalidCertificate, t => { t.SkipCertificateCheck = true; t.TrustedCertificates.Add(TestCertificates.Authority("Studio Root CA")); } },
    };

    [Theory]
    [MemberData(nameof(Contradictions))]
    public void Contradicting_or_malformed_settings_are_refused_before_anything_is_sent(string errorId, Action<TransportSettings> configure)
    {
        var options = Options();
        configure(options.Transport);
        var error = Assert.Throws<FtrackUsageException>(() => new FtrackSession(options));
        Assert.Equal(errorId, error.ErrorId);
        Assert.DoesNotContain(ProxyPassword, error.Message);
    }

    [Fact]
    public void A_plain_http_407_from_a_proxy_is_proxy_authentication_required()
    {
        var options = Options(new Uri("http://127.0.0.1:8080/"));
        options.Transport.Proxy = new Uri("http://proxy.studio.test:3128");
        options.Handler = new FakeHandler(_ => Responses.Html((HttpStatusCode)407, "<html><title>407 Proxy Authentication Required</title></html>"));
        using var session = new FtrackSession(options) { MaxRetries = 3, RetryBaseDelay = TimeSpan.Zero };

        var error = Assert.Throws<FtrackProxyAuthenticationException>(() => session.Call(new FtrackOperation[] { new QueryOperation("select name from Task") }, new CallOptions { Context = new DecodeContext(DateTimeKind.Utc) }));
        Assert.Equal(FtrackErrorIds.ProxyAuthenticationRequired, error.ErrorId);
        Assert.Equal(new Uri("http://proxy.studio.test:3128"), error.Proxy);
        Assert.Contains("http://proxy.studio.test:3128", error.Message);
        Assert.Contains("no proxy credentials were given", error.Message);
        Assert.Equal(1, session.RequestCount);    // not transient: no retry
    }

    [Fact]
    public void A_write_refused_by_the_proxys_407_was_certainly_not_applied_so_it_is_not_outcome_unknown()
    {
        var server = new FakeServer { SchemasJson = "[{\"id\":\"Sequence\",\"properties\":{\"id\":{\"type\":\"string\",\"default\":\"{uid}\"},\"name\":{\"type\":\"string\"}},\"primary_key\":[\"id\"]}]" };
        var options = Options();
        options.Handler = new FakeHandler(r => r.Actions.Contains("create")
            ? Responses.Html((HttpStatusCode)407, "<html><title>407 Proxy Authentication Required</title></html>")
            : Responses.Json(server.Respond(r)));
        using var session = new FtrackSession(options);
        var create = Ftrack.Core.Writes.WritePlanner.PlanCreate(session, "Sequence", new Dictionary<string, object?> { ["name"] = "SQ" });

        var error = Assert.Throws<FtrackProxyAuthenticationException>(() => Ftrack.Core.Writes.WriteExecutor.Execute(session, new FtrackOperation[] { create }));
        Assert.True(error.RequestNeverSent);
        Assert.Equal(FtrackErrorIds.ProxyAuthenticationRequired, error.ErrorId);
    }

    [Fact]
    public void A_407_to_the_connect_of_an_https_tunnel_names_the_proxy_and_the_refused_user()
    {
        using var proxy = new ProxyDemandingAuthentication();
        var options = Options(new Uri("https://ftrack.studio.test:8443/"));
        options.Transport.Proxy = proxy.Url;
        options.Transport.ProxyCredential = new NetworkCredential("alice", ProxyPassword);
        using var session = new FtrackSession(options);

        var error = Assert.Throws<FtrackProxyAuthenticationException>(() => session.Connect());
        Assert.Equal(FtrackErrorIds.ProxyAuthenticationRequired, error.ErrorId);
        Assert.Equal("alice", error.ProxyUser);
        Assert.Contains("refused the proxy credentials of 'alice'", error.Message);
        Assert.Contains(proxy.Url.GetLeftPart(UriPartial.Authority), error.Message);
        Assert.Contains("https://ftrack.studio.test:8443", error.Message);
        Assert.Contains("CONNECT ftrack.studio.test:8443 HTTP/1.1", proxy.Requests);
        ErrorMappingTests.AssertNoApiKey(error);
        for (Exception? e = error; e != null; e = e.InnerException) Assert.DoesNotContain(ProxyPassword, e.ToString());
    }

    [Theory]
    [InlineData(HttpRequestError.ProxyTunnelError, "The proxy tunnel request to proxy 'http://proxy:3128/' failed with status code '407'.", true)]
    [InlineData(HttpRequestError.ProxyTunnelError, "The proxy tunnel request to proxy 'http://proxy:3128/' failed with status code '403'.", false)]
    [InlineData(HttpRequestError.ConnectionError, "Connection refused (proxy:407)", false)]
    public void A_refused_tunnel_is_recognized_as_dotnet_8_reports_it_in_the_message(HttpRequestError kind, string message, bool expected)
    {
        // .NET 8 (pwsh 7.4) sets no StatusCode on a failed tunnel; later versions do.
        Assert.Equal(expected, ProxyFailure.IsAuthenticationRequired(new HttpRequestException(kind, message)));
        Assert.True(ProxyFailure.IsAuthenticationRequired(new HttpRequestException(HttpRequestError.ProxyTunnelError, "tunnel failed", null, HttpStatusCode.ProxyAuthenticationRequired)));
    }
}

/// <summary>Tests that change HttpClient.DefaultProxy (the process's system proxy) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultProxyCollection
{
    public const string Name = "HttpClient.DefaultProxy";
}

[Collection(DefaultProxyCollection.Name)]
public sealed class SystemProxyTests
{
    [Fact]
    public void The_system_proxy_in_use_is_shown_without_the_user_and_password_its_url_may_carry()
    {
        var saved = HttpClient.DefaultProxy;
        HttpClient.DefaultProxy = new WebProxy("http://bob:hunter2@proxy.studio.test:3128/") { BypassList = new[] { @"intranet\.studio\.test" } };
        try
        {
            using (var session = new FtrackSession(new FtrackSessionOptions(new Uri("https://ftrack.studio.test/"), "u", "k") { SchemaCacheDirectory = null }))
                Assert.Equal("http://proxy.studio.test:3128/", session.Proxy?.AbsoluteUri);
            using (var bypassed = new FtrackSession(new FtrackSessionOptions(new Uri("https://intranet.studio.test/"), "u", "k") { SchemaCacheDirectory = null }))
                Assert.Null(bypassed.Proxy);
        }
        finally { HttpClient.DefaultProxy = saved; }
    }
}
