#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Child process of Run-Bench.ps1 (the "events" step), or on its own: the event hub soak test.
.DESCRIPTION
    Starts the bundled local server as its own process (dotnet server/Ftrack.Server.dll, so its
    memory is its own), connects -Subscribers event hubs of the module's client (Ftrack.Core's
    FtrackEventHub, the one Register-FtrackEvent uses) each subscribed to topic=soak.event, and one
    more hub that publishes -Events events numbered 0..N-1, at most -Window ahead of the slowest
    subscriber. Every subscriber must receive every number exactly once.
    Prints JSON lines: the throughput (events/s published and delivered), the server's working set
    and this process's managed heap after a warm-up, at the middle and at the end (memory must be
    flat), and lost and duplicated events (must be 0). Throws when an event was lost.
.EXAMPLE
    dotnet pwsh tests/bench/Measure-Events.ps1 -ModulePath out/Ftrack/Ftrack.psd1
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/Ftrack/Ftrack.psd1'),
    [ValidateRange(1000, 10000000)] [int] $Events = 100000,
    [ValidateRange(1, 100)] [int] $Subscribers = 10,
    # How far the publisher may run ahead of the slowest subscriber (the hub's queue holds 10,000).
    [ValidateRange(1, 9000)] [int] $Window = 2000
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$ModulePath = (Resolve-Path $ModulePath).Path
Import-Module $ModulePath
Use-BenchSchemaCache
$core = Join-Path (Split-Path $ModulePath) 'Ftrack.Core.dll'

# The counting handler runs on the hub's dispatcher thread, where no PowerShell runspace is, and
# the publishing loop is timed, not PowerShell's loop around it: both in C#.
Add-Type -ReferencedAssemblies $core, 'netstandard', 'System.Collections', 'System.Runtime', 'System.Threading', 'System.Threading.Thread' -TypeDefinition @'
using System;
using System.Threading;
using Ftrack.Core.Events;

public sealed class SoakCounter
{
    private readonly int[] _seen;
    private long _received;
    private long _duplicates;
    private long _malformed;

    public SoakCounter(int events) { _seen = new int[events]; }

    public long Received => Interlocked.Read(ref _received);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long Malformed => Interlocked.Read(ref _malformed);

    public int Missing
    {
        get { var missing = 0; foreach (var count in _seen) if (count == 0) missing++; return missing; }
    }

    public Action<FtrackEvent> Handler => e =>
    {
        if (!(e.Data.TryGetValue("n", out var value) && value is long n && n >= 0 && n < _seen.Length))
        {
            Interlocked.Increment(ref _malformed);
            return;
        }
        if (Interlocked.Increment(ref _seen[n]) > 1) Interlocked.Increment(ref _duplicates);
        Interlocked.Increment(ref _received);
    };
}

public static class SoakPublisher
{
    /// <summary>Publishes soak.event n = from..to-1, acknowledged in flight, never more than window ahead of the slowest counter.</summary>
    public static void Publish(FtrackEventHub hub, SoakCounter[] counters, int from, int to, int window)
    {
        var pending = new System.Collections.Generic.List<System.Threading.Tasks.Task>();
        for (var n = from; n < to; n++)
        {
            while (true)
            {
                var slowest = long.MaxValue;
                foreach (var counter in counters) slowest = Math.Min(slowest, counter.Received);
                if (n - slowest < window) break;
                Thread.Sleep(1);
            }
            var data = new System.Collections.Generic.Dictionary<string, object>();
            data["n"] = (long)n;
            pending.Add(hub.PublishAsync(new FtrackEvent("soak.event", data), TimeSpan.FromSeconds(60)));
            if (pending.Count >= 500)
            {
                System.Threading.Tasks.Task.WaitAll(pending.ToArray());
                pending.Clear();
            }
        }
        System.Threading.Tasks.Task.WaitAll(pending.ToArray());
    }
}
'@

function Get-ServerWorkingSetMiB([Diagnostics.Process] $process) {
    $process.Refresh()
    [math]::Round($process.WorkingSet64 / 1MB, 1)
}

function Get-HeapMiB {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    [math]::Round([GC]::GetTotalMemory($true) / 1MB, 1)
}

$serverDll = Join-Path (Split-Path $ModulePath) 'server/Ftrack.Server.dll'
$start = [Diagnostics.ProcessStartInfo]::new('dotnet')
foreach ($argument in @($serverDll, '--port', '0', '--seed', 'Empty', '--parent-pid', $PID)) { $start.ArgumentList.Add([string]$argument) }
$start.RedirectStandardOutput = $true
$start.UseShellExecute = $false
$server = [Diagnostics.Process]::Start($start)
$hubs = [Collections.Generic.List[object]]::new()
$sessions = [Collections.Generic.List[object]]::new()
try {
    $line = $server.StandardOutput.ReadLine()
    if ($line -notmatch 'url=(\S+) api_user=(\S+) api_key=(\S+)') { throw "The server did not start: $line" }
    $url, $user, $key = $Matches[1], $Matches[2], $Matches[3]
    function New-HubSession {
        $options = [Ftrack.Core.Transport.FtrackSessionOptions]::new([uri]$url, $user, $key)
        $options.SchemaCacheDirectory = $null
        $session = [Ftrack.Core.Transport.FtrackSession]::new($options)
        $sessions.Add($session)
        $session.EventHub
    }

    $counters = foreach ($i in 1..$Subscribers) {
        $counter = [SoakCounter]::new($Events)
        $hub = New-HubSession
        $null = $hub.Subscribe('topic=soak.event', $counter.Handler, $null, [timespan]::FromSeconds(30))
        $hubs.Add($hub)
        $counter
    }
    $publisher = New-HubSession
    $publisher.Connect([timespan]::FromSeconds(30))

    $counters = [SoakCounter[]]@($counters)
    function Send-Range([int] $from, [int] $to) { [SoakPublisher]::Publish($publisher, $counters, $from, $to, $Window) }
    function Wait-Delivered([int] $count) {
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (($counters | Where-Object { $_.Received -lt $count }) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
    }

    # Warm-up (JIT, buffers), then the memory baseline.
    $warm = [math]::Min(1000, [int]($Events / 10))
    Send-Range 0 $warm
    Wait-Delivered $warm
    $serverStart = Get-ServerWorkingSetMiB $server
    $heapStart = Get-HeapMiB

    $watch = [Diagnostics.Stopwatch]::StartNew()
    $middle = [int]($Events / 2)
    Send-Range $warm $middle
    Wait-Delivered $middle
    $serverMiddle = Get-ServerWorkingSetMiB $server
    $heapMiddle = Get-HeapMiB
    Send-Range $middle $Events
    Wait-Delivered $Events
    $seconds = $watch.Elapsed.TotalSeconds
    $serverEnd = Get-ServerWorkingSetMiB $server
    $heapEnd = Get-HeapMiB

    $measured = $Events - $warm
    $lost = ($counters | ForEach-Object Missing | Measure-Object -Sum).Sum
    $duplicates = ($counters | ForEach-Object Duplicates | Measure-Object -Sum).Sum
    $malformed = ($counters | ForEach-Object Malformed | Measure-Object -Sum).Sum
    $reconnected = @($hubs | Where-Object { $_.Connections -gt 1 }).Count + [int]($publisher.Connections -gt 1)
    [Console]::Out.WriteLine((@{
        kind = 'events-soak'; events = $Events; subscribers = $Subscribers; window = $Window
        seconds = [math]::Round($seconds, 2)
        events_per_second = [math]::Round($measured / $seconds)
        deliveries_per_second = [math]::Round($measured * $Subscribers / $seconds)
        server_working_set_mib_start = $serverStart; server_working_set_mib_middle = $serverMiddle; server_working_set_mib_end = $serverEnd
        client_heap_mib_start = $heapStart; client_heap_mib_middle = $heapMiddle; client_heap_mib_end = $heapEnd
        lost = $lost; duplicates = $duplicates; malformed = $malformed; reconnections = $reconnected
    } | ConvertTo-Json -Compress))
    if ($lost -or $duplicates -or $malformed) { throw "The soak lost $lost, duplicated $duplicates and garbled $malformed events." }
}
finally {
    foreach ($session in $sessions) { $session.Dispose() }
    if (-not $server.HasExited) { $server.Kill() }
    $server.Dispose()
    Remove-BenchSchemaCache
}
