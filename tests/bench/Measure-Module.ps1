#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Child process of Run-Bench.ps1: times the module against a running stub (one N) and prints one
    JSON line per measurement on stdout. Run in a fresh pwsh per N, as bench-js.mjs runs a fresh
    node per N.
.DESCRIPTION
    In this process: Import-Module, Connect-Ftrack with a cold schema cache, then with a warm one
    (time, requests, response bytes), one warm-up query, then
      held      $r = Invoke-FtrackQuery $expr -PageSize 0        (whole result held, like the JS client)
      streamed  Invoke-FtrackQuery $expr | Measure-Object        (default page size)
    first, best and median of -Repeats, bytes retained per entity while $r is held, and with
    -Paging the same held/streamed runs at each of -PageSize (and one request).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Url,
    [Parameter(Mandatory)] [int] $N,
    [int] $Repeats = 3,
    [switch] $Paging,
    # A comma-separated list when called with -File.
    [string[]] $PageSize = @('1000', '5000', '10000')
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
[int[]] $PageSize = @($PageSize -split ',' | Where-Object { $_ } | ForEach-Object { [int]$_ })

$expr = $BenchTaskQuery

function Out-Json([hashtable] $values) {
    $values['n'] = $N
    [Console]::Out.WriteLine(($values | ConvertTo-Json -Compress -Depth 5))
}
function Get-Stats([double[]] $ms) {
    $sorted = @($ms | Sort-Object)
    $m = [int][math]::Floor($sorted.Count / 2)
    $median = if ($sorted.Count % 2) { $sorted[$m] } else { ($sorted[$m - 1] + $sorted[$m]) / 2 }
    @{ best = [math]::Round($sorted[0], 1); median = [math]::Round($median, 1) }
}
function Invoke-FullGc { [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect() }
function Assert-Count([long] $got, [string] $what) {
    if ($got -ne $N) { throw "$what returned $got rows, expected $N" }
}

$watch = [Diagnostics.Stopwatch]::StartNew()
Import-Module $ModulePath -Force
$importMs = $watch.Elapsed.TotalMilliseconds

# A schema cache of our own: the first Connect fills it, the next ones find it warm.
Use-BenchSchemaCache
$credential = Get-BenchStubCredential
function Get-ResponseBytes([object[]] $records) {
    # The verbose log line of each HTTP call ends "..., <bytes> bytes".
    $total = 0
    foreach ($r in $records) { if ("$r" -match '([\d,]+) bytes\s*$') { $total += [long]($Matches[1] -replace ',', '') } }
    $total
}
try {
    $watch.Restart()
    $log = Connect-Ftrack -Server $Url -Credential $credential -Verbose 4>&1
    $coldMs = $watch.Elapsed.TotalMilliseconds
    $coldRequests = (Get-FtrackSession).RequestCount
    $coldBytes = Get-ResponseBytes $log
    $cached = foreach ($i in 1..$Repeats) {
        Disconnect-Ftrack
        $watch.Restart()
        Connect-Ftrack -Server $Url -Credential $credential
        $watch.Elapsed.TotalMilliseconds
    }
    $cachedRequests = (Get-FtrackSession).RequestCount
    Disconnect-Ftrack
    $log = Connect-Ftrack -Server $Url -Credential $credential -Verbose 4>&1
    $cachedBytes = Get-ResponseBytes $log
    $s = Get-Stats $cached
    Out-Json @{
        kind = 'connect'; import_ms = [math]::Round($importMs, 1)
        cold_ms = [math]::Round($coldMs, 1); cold_requests = $coldRequests; cold_bytes = $coldBytes
        cached_ms_first = [math]::Round($cached[0], 1); cached_ms_best = $s.best; cached_ms_median = $s.median
        cached_requests = $cachedRequests; cached_bytes = $cachedBytes
    }

    function Measure-Held([int] $Size, [int] $Count) {
        foreach ($i in 1..$Count) {
            Invoke-FullGc
            $before = (Get-FtrackSession).RequestCount
            $w = [Diagnostics.Stopwatch]::StartNew()
            $r = Invoke-FtrackQuery $expr -PageSize $Size
            $ms = $w.Elapsed.TotalMilliseconds
            Assert-Count $r.Count "Invoke-FtrackQuery -PageSize $Size"
            $r = $null
            [pscustomobject]@{ Ms = $ms; Requests = (Get-FtrackSession).RequestCount - $before }
        }
    }
    function Measure-Streamed([int] $Size, [int] $Count, [switch] $DefaultSize) {
        foreach ($i in 1..$Count) {
            Invoke-FullGc
            $before = (Get-FtrackSession).RequestCount
            $w = [Diagnostics.Stopwatch]::StartNew()
            $c = if ($DefaultSize) { (Invoke-FtrackQuery $expr | Measure-Object).Count } else { (Invoke-FtrackQuery $expr -PageSize $Size | Measure-Object).Count }
            $ms = $w.Elapsed.TotalMilliseconds
            Assert-Count $c "Invoke-FtrackQuery -PageSize $Size | Measure-Object"
            [pscustomobject]@{ Ms = $ms; Requests = (Get-FtrackSession).RequestCount - $before }
        }
    }
    function Out-Runs([string] $Kind, [object] $Size, [object[]] $Runs, [hashtable] $Extra = @{}) {
        $rest = @($Runs | Select-Object -Skip 1 | ForEach-Object Ms)
        $s = Get-Stats $rest
        $values = @{
            kind = $Kind; page_size = $Size; ms_first = [math]::Round($Runs[0].Ms, 1)
            ms_best = $s.best; ms_median = $s.median; requests = $Runs[0].Requests; repeats = $rest.Count
        }
        foreach ($k in $Extra.Keys) { $values[$k] = $Extra[$k] }
        Out-Json $values
    }

    # Held, one request: the first run is the cold one (JIT of the query path), then the repeats;
    # then the bytes retained per entity while the result is held.
    $held = @(Measure-Held 0 ($Repeats + 1))
    Invoke-FullGc
    $baseline = [GC]::GetTotalMemory($true)
    $r = Invoke-FtrackQuery $expr -PageSize 0
    Invoke-FullGc
    $holding = [GC]::GetTotalMemory($true)
    Assert-Count $r.Count 'retained run'
    $bad = @($r[0, ($N - 1)] | Where-Object { -not $_.status.name -or -not $_.parent.parent.name -or $_.created_at -isnot [datetime] })
    if ($bad.Count) { throw "entities not fully decoded: $($bad[0] | Out-String)" }
    $r = $null
    Out-Runs 'held' 0 $held @{ retained_per_entity = [math]::Round(($holding - $baseline) / $N, 1) }

    $streamed = @(Measure-Streamed 0 ($Repeats + 1) -DefaultSize)
    Out-Runs 'streamed' 'default' $streamed

    if ($Paging) {
        # Round-robin over the page sizes, so load from other work on the machine falls on all of
        # them alike; at least 5 rounds.
        $sizes = @(0) + $PageSize
        $rounds = [math]::Max($Repeats, 5)
        foreach ($size in $PageSize) { $null = Measure-Streamed $size 1 }   # the stub encodes each page on first use
        $runs = @{}
        foreach ($size in $sizes) { $runs["held$size"] = [Collections.Generic.List[object]]::new(); $runs["streamed$size"] = [Collections.Generic.List[object]]::new() }
        foreach ($round in 0..$rounds) {   # round 0 is a warm-up of every path, reported as "first"
            foreach ($size in $sizes) {
                $runs["held$size"].Add(@(Measure-Held $size 1)[0])
                $runs["streamed$size"].Add(@(Measure-Streamed $size 1)[0])
            }
        }
        foreach ($size in $sizes) {
            Out-Runs 'paging-held' $size $runs["held$size"].ToArray()
            Out-Runs 'paging-streamed' $size $runs["streamed$size"].ToArray()
        }
    }
}
finally {
    try { Disconnect-Ftrack } catch { }
    Remove-BenchSchemaCache
}
