#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Times Invoke-FtrackQuery on the shared benchmark stub (../shared/bench/ftrack-stub), held in a
    variable and streamed, at several page sizes. A first, module-only measurement; the side-by-side
    table against the official JS client is build.ps1 bench.
.EXAMPLE
    dotnet pwsh tests/bench/Measure-Query.ps1 -N 50000
#>
param(
    [int] $N = 50000,
    [int[]] $PageSize = @(0, 1000, 5000, 10000),
    [int] $Repeats = 3,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/Ftrack/Ftrack.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
Import-Module (Join-Path $PSScriptRoot '../pester/support/TestServers.psm1') -Force
$env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) 'ftrack-bench-cache'
$stub = Start-FtrackStub -N $N
try {
    Connect-Ftrack -Server $stub.Url -Credential (New-TestCredential)
    $expr = 'select id, name, description, bid, start_date, end_date, created_at, status.name, status.color, type.name, priority.name, parent.name, parent.parent.name, project.name from Task'
    $null = Invoke-FtrackQuery $expr -PageSize 0   # warm-up: JIT and connection
    foreach ($size in $PageSize) {
        $held = foreach ($i in 1..$Repeats) {
            [GC]::Collect(); [GC]::WaitForPendingFinalizers()
            $w = [Diagnostics.Stopwatch]::StartNew(); $r = Invoke-FtrackQuery $expr -PageSize $size; $w.Elapsed.TotalMilliseconds
            if ($r.Count -ne $N) { throw "expected $N rows, got $($r.Count)" }
            $r = $null
        }
        $streamed = foreach ($i in 1..$Repeats) {
            [GC]::Collect()
            $w = [Diagnostics.Stopwatch]::StartNew(); $c = (Invoke-FtrackQuery $expr -PageSize $size | Measure-Object).Count; $w.Elapsed.TotalMilliseconds
        }
        [pscustomobject]@{
            N            = $N
            PageSize     = if ($size -eq 0) { 'one request' } else { $size }
            HeldBestMs   = [math]::Round(($held | Measure-Object -Minimum).Minimum)
            StreamBestMs = [math]::Round(($streamed | Measure-Object -Minimum).Minimum)
        }
    }
}
finally {
    Disconnect-Ftrack
    $stub.Process.Kill()
}
