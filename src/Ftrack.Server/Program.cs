using System;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using Ftrack.Server;

// The standalone server (`dotnet Ftrack.Server.dll`), for other clients and CI; the PowerShell
// module runs the same server inside pwsh instead (Hosting/ModuleEntry.cs). The first stdout line
// is the contract: "Ftrack local server listening url=... api_user=... api_key=...".
ServerOptions options;
try
{
    options = ServerOptions.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine(ServerOptions.Usage);
    return 2;
}

if (options.BindAddress != "127.0.0.1" && options.BindAddress != "::1")
    Console.Error.WriteLine($"WARNING: listening on {options.BindAddress}: other machines may reach this server and its data with the API key.");

LocalServer server;
try
{
    server = await LocalServer.StartAsync(options);
}
catch (Exception error)
{
    Console.Error.WriteLine("Ftrack.Server failed to start: " + error.Message);
    return 1;
}

Console.Out.WriteLine(server.ListeningLine);
Console.Out.Flush();

// SIGTERM and Ctrl+C (SIGINT) stop the server cleanly: handled here, so the process ends through
// DisposeAsync (the database closed, exit code 0) rather than being torn down.
var stop = new TaskCompletionSource();
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; stop.TrySetResult(); });
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => { signal.Cancel = true; stop.TrySetResult(); });
var ended = await Task.WhenAny(stop.Task, server.Stopped);
await server.DisposeAsync();
return ended.IsFaulted ? 1 : 0;
