#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Child process of Run-Bench.ps1: the cost of reading attributes that were not selected, on a
    server 50 ms away, against one request per entity (what ftrack's Python client does).
.DESCRIPTION
    Starts the local server (Start-FtrackLocalServer -Seed Empty) with -Tasks tasks, puts
    latency-proxy.mjs (LATENCY_MS) in front of it, connects through the proxy, then:
      module      $t = Invoke-FtrackQuery 'select name from Task'; $t | ForEach-Object { $_.status.name }
                  (the time of the second statement and its requests)
      per entity  -Sample single-entity loads, "select status.name from Task where id is <id>",
                  one request each: their mean times the task count is the one-request-per-entity cost.
    Prints one JSON line.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Tasks = 5000,
    [int] $LatencyMs = 50,
    [int] $Sample = 20
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
Import-Module $ModulePath -Force
Use-BenchSchemaCache
$server = Start-FtrackLocalServer -Seed Empty
$proxy = $null
try {
    Connect-Ftrack -LocalServer $server
    $schemaId = (Invoke-FtrackQuery 'select id from ProjectSchema' -First 1).id
    $statusIds = @(Invoke-FtrackQuery 'select id from Status' | ForEach-Object id)
    $typeId = (Invoke-FtrackQuery 'select id from Type' -First 1).id
    $project = [guid]::NewGuid().ToString(); $shot = [guid]::NewGuid().ToString()
    $ops = [Collections.Generic.List[hashtable]]::new()
    $ops.Add(@{ action = 'create'; entity_type = 'Project'; entity_data = @{ id = $project; name = 'loading'; full_name = 'Loading'; project_schema_id = $schemaId } })
    $ops.Add(@{ action = 'create'; entity_type = 'Shot'; entity_data = @{ id = $shot; name = 'sh'; parent_id = $project } })
    for ($i = 0; $i -lt $Tasks; $i++) {
        $ops.Add(@{ action = 'create'; entity_type = 'Task'; entity_data = @{ name = "t$i"; parent_id = $shot; type_id = $typeId; status_id = $statusIds[$i % $statusIds.Count] } })
    }
    $null = Invoke-FtrackOperation -Operation $ops.ToArray() -Confirm:$false
    Disconnect-Ftrack

    $psi = [Diagnostics.ProcessStartInfo]::new('node', "`"$(Join-Path $PSScriptRoot 'latency-proxy.mjs')`"")
    $psi.Environment['TARGET'] = $server.Url.ToString(); $psi.Environment['LATENCY_MS'] = "$LatencyMs"; $psi.Environment['PORT'] = '0'
    $psi.RedirectStandardOutput = $true; $psi.UseShellExecute = $false
    $proxy = [Diagnostics.Process]::Start($psi)
    if ($proxy.StandardOutput.ReadLine() -notmatch '^LISTENING (\S+)') { throw 'The latency proxy did not start.' }
    $session = Connect-Ftrack -Server $Matches[1] -Credential $server.Credential -PassThru

    $t = Invoke-FtrackQuery "select name from Task where parent.id is '$shot'" -PageSize 0
    if ($t.Count -ne $Tasks) { throw "read $($t.Count) tasks, expected $Tasks" }
    $before = $session.RequestCount
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $names = $t | ForEach-Object { $_.status.name }
    $ms = $watch.Elapsed.TotalMilliseconds
    $requests = $session.RequestCount - $before
    if (@($names | Where-Object { $_ }).Count -ne $Tasks) { throw 'not every task got its status name' }

    $single = foreach ($task in $t[0..($Sample - 1)]) {
        $w = [Diagnostics.Stopwatch]::StartNew()
        $null = (Invoke-FtrackQuery "select status.name from Task where id is '$($task.id)'" -PageSize 0).status.name
        $w.Elapsed.TotalMilliseconds
    }
    $mean = ($single | Measure-Object -Average).Average
    [Console]::Out.WriteLine((@{
        kind = 'loading'; tasks = $Tasks; latency_ms = $LatencyMs; ms = [math]::Round($ms, 1); requests = $requests
        single_ms_mean = [math]::Round($mean, 1); per_entity_ms = [math]::Round($mean * $Tasks, 0); sample = $Sample
    } | ConvertTo-Json -Compress))
}
finally {
    try { Disconnect-Ftrack } catch { }
    if ($proxy -and -not $proxy.HasExited) { $proxy.Kill() }
    $server | Stop-FtrackLocalServer
    Remove-BenchSchemaCache
}
