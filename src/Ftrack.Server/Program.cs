using System;
using System.Threading.Tasks;
using Ftrack.Server;

// Entry point of the local ftrack-compatible server. The first stdout line is the contract with
// the PowerShell module: "Ftrack local server listening url=... api_user=... api_key=...".
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

var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
await Task.WhenAny(stop.Task, server.Stopped);
await server.DisposeAsync();
return 0;
