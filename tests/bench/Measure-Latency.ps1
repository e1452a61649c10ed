#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Child process of Run-Bench.ps1: paging against a stub that answers like a server 50 ms away.
.DESCRIPTION
    The stub runs with LATENCY_MS and ROW_US (see ../shared/bench/ftrack-stub/README.md). Streams
    the whole query with one request (-PageSize 0), pages of 1,000 and the default page size,
    round-robin over -Rounds rounds after a warm-up round, and prints one JSON line per page size:
    median and best, and the requests one run sent.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Url,
    [Parameter(Mandatory)] [int] $N,
    [int] $Rounds = 3
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$expr = $BenchTaskQuery
Import-Module $ModulePath
Use-BenchSchemaCache
try {
    Connect-Ftrack -Server $Url -Credential (Get-BenchStubCredential)
    $sizes = 0, 1000, [Ftrack.Core.Query.QueryPaging]::DefaultPageSize
    $runs = @{}; foreach ($s in $sizes) { $runs[$s] = [Collections.Generic.List[object]]::new() }
    foreach ($round in 0..$Rounds) {
        foreach ($size in $sizes) {
            [GC]::Collect()
            $before = (Get-FtrackSession).RequestCount
            $w = [Diagnostics.Stopwatch]::StartNew()
            $count = (Invoke-FtrackQuery $expr -PageSize $size | Measure-Object).Count
            $ms = $w.Elapsed.TotalMilliseconds
            if ($count -ne $N) { throw "-PageSize $size streamed $count rows, expected $N" }
            if ($round -gt 0) { $runs[$size].Add([pscustomobject]@{ Ms = $ms; Requests = (Get-FtrackSession).RequestCount - $before }) }
        }
    }
    foreach ($size in $sizes) {
        $ms = @($runs[$size].Ms | Sort-Object)
        [Console]::Out.WriteLine((@{
            kind = 'latency-streamed'; n = $N; page_size = $size; requests = $runs[$size][0].Requests
            ms_best = [math]::Round($ms[0], 1); ms_median = [math]::Round($ms[[int][math]::Floor($ms.Count / 2)], 1); rounds = $ms.Count
        } | ConvertTo-Json -Compress))
    }
}
finally {
    Disconnect-Ftrack
    Remove-BenchSchemaCache
}
