using Ftrack.Server.Storage;

namespace Ftrack.Server.Tests;

/// <summary>One Demo-seeded in-memory server shared by read-only tests of a class.</summary>
public sealed class DemoServerFixture : IAsyncLifetime
{
    internal TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync(SeedKind.Demo);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
