using System;
using System.Threading.Tasks;

namespace Ftrack.Server.Hosting;

/// <summary>
/// How the PowerShell module runs the server inside pwsh. Ftrack.dll (netstandard2.0) loads this
/// assembly and its dependencies into a load context of their own, so the two share nothing but
/// the framework: it finds <see cref="StartAsync"/> by reflection, binds it to a
/// <c>Func&lt;string[], Action&lt;string&gt;, Action&lt;string?&gt;, Task&lt;(string, IDisposable)&gt;&gt;</c>,
/// and every value crossing is a framework type. Changing this signature breaks the module.
/// </summary>
public static class ModuleEntry
{
    /// <summary>Starts a server in this process.</summary>
    /// <param name="arguments">The standalone command line (<see cref="ServerOptions.Parse"/>); the server lives as long as the handle, so no --parent-pid.</param>
    /// <param name="log">Receives the server's diagnostic lines (what the standalone server writes to standard error).</param>
    /// <param name="stopped">Called once when the server has stopped: with null after the handle was disposed, else with why it ended.</param>
    /// <returns>The listening line (the standalone server's first line) and the handle whose Dispose stops the server.</returns>
    public static async Task<(string ListeningLine, IDisposable Server)> StartAsync(string[] arguments, Action<string> log, Action<string?> stopped)
    {
        var options = ServerOptions.Parse(arguments);
        options.Log = log;
        // Off the caller's thread: seeding runs SQLite synchronously for a while.
        var server = await Task.Run(() => LocalServer.StartAsync(options)).ConfigureAwait(false);
        _ = server.Stopped.ContinueWith(ended => stopped(ended.IsFaulted ? ended.Exception!.GetBaseException().Message : null), TaskScheduler.Default);
        return (server.ListeningLine, new Handle(server));
    }

    /// <summary>Dispose stops the server (in-flight requests get up to 5 seconds) and closes its database.</summary>
    private sealed class Handle(LocalServer server) : IDisposable
    {
        public void Dispose() => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
