#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Child process of Run-Bench.ps1: the peak memory of streaming a whole query through the module.
.DESCRIPTION
    In a fresh pwsh: connect to the stub, run "Invoke-FtrackQuery $expr | Measure-Object" once (the
    default page size), and print one JSON line with the process's peak working set and the managed
    heap after a full collection. Run once per N: the ratio of two Ns says whether memory grows
    with the rows that passed (it should not: nobody holds them).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Url,
    [Parameter(Mandatory)] [int] $N
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$expr = $BenchTaskQuery
Import-Module $ModulePath
Use-BenchSchemaCache
try {
    Connect-Ftrack -Server $Url -Credential (Get-BenchStubCredential)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $count = (Invoke-FtrackQuery $expr | Measure-Object).Count
    $ms = $watch.Elapsed.TotalMilliseconds
    if ($count -ne $N) { throw "streamed $count rows, expected $N" }
    $process = [Diagnostics.Process]::GetCurrentProcess()
    $process.Refresh()
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    [Console]::Out.WriteLine((@{
        kind = 'memory-streamed'; n = $N; ms = [math]::Round($ms, 1)
        peak_working_set_mib = [math]::Round($process.PeakWorkingSet64 / 1MB, 1)
        heap_after_mib = [math]::Round([GC]::GetTotalMemory($true) / 1MB, 1)
    } | ConvertTo-Json -Compress))
}
finally {
    Disconnect-Ftrack
    Remove-BenchSchemaCache
}
