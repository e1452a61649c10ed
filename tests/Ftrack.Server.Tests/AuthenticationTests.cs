using System.Net;

namespace Ftrack.Server.Tests;

public sealed class AuthenticationTests : IClassFixture<DemoServerFixture>
{
    private readonly TestServer _server;

    public AuthenticationTests(DemoServerFixture fixture) => _server = fixture.Server;

    private Task<TestServer.Answer> PostAsync(string? user, string? key, string body = "[{\"action\":\"query_schemas\"}]", string? cookie = null) =>
        _server.PostRawAsync(body, request =>
        {
            if (user != null) request.Headers.Add("ftrack-user", user);
            if (key != null) request.Headers.Add("ftrack-api-key", key);
            if (cookie != null) request.Headers.Add("Cookie", cookie);
        }, authenticate: false);

    [Theory]
    [InlineData(null, null)]
    [InlineData("admin", null)]
    [InlineData("admin", "wrong")]
    [InlineData("nobody", "wrong")]
    [InlineData("jane.doe", "wrong")]
    public async Task WithoutValidCredentialsNothingIsAnswered(string? user, string? key)
    {
        var answer = await PostAsync(user, key == null ? null : key);
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("InvalidCredentialsError", (string)answer.Error["exception"]!);
        Assert.True(answer.Response.Headers.Contains("FTRACK_ERROR"));
        Assert.DoesNotContain("\"id\"", answer.Body!.ToJsonString());
    }

    [Fact]
    public async Task AWrongKeyForARealUserFailsExactlyLikeAnUnknownUser()
    {
        var wrongKey = await PostAsync(_server.Server.ApiUser, "wrong");
        var unknownUser = await PostAsync("someone-else", _server.Server.ApiKey);
        Assert.Equal(wrongKey.Status, unknownUser.Status);
        Assert.Equal(wrongKey.Body!.ToJsonString(), unknownUser.Body!.ToJsonString());
        Assert.Equal(wrongKey.Response.Headers.GetValues("FTRACK_ERROR"), unknownUser.Response.Headers.GetValues("FTRACK_ERROR"));
    }

    [Fact]
    public async Task ASessionCookieAuthenticatesTheSameUserWithoutTheKey()
    {
        var first = await PostAsync(_server.Server.ApiUser, _server.Server.ApiKey);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var cookie = first.Response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(_server.Server.ApiUser, null, cookie: cookie)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("jane.doe", null, cookie: cookie)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(_server.Server.ApiUser, null, cookie: "ftrack_session=forged")).Status);
    }

    [Fact]
    public async Task StrictApiUsesHttpErrorStatusesOtherwise200()
    {
        var body = "[{\"action\":\"query\",\"expression\":\"Task where (\"}]";
        var lenient = await _server.PostRawAsync(body);
        Assert.Equal(HttpStatusCode.OK, lenient.Status);
        var strict = await _server.PostRawAsync(body, r => r.Headers.Add("ftrack-strict-api", "true"));
        Assert.Equal(HttpStatusCode.BadRequest, strict.Status);
        Assert.Equal("ParseError", (string)strict.Error["exception"]!);
    }
}
