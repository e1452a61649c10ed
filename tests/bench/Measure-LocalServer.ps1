#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Child process of Run-Bench.ps1: times the bundled local server (Start-FtrackLocalServer -Seed
    Empty, in memory) through the module and prints one JSON line per measurement on stdout.
.DESCRIPTION
      create   creates per second of one Invoke-FtrackOperation batch of 10,000 Tasks (the first
               batch, and every further batch while the table grows)
      query    at each of -Milestone task counts:
                 first1000  select name, parent.name, parent.parent.name, status.name, type.name from Task limit 1000
                 first5000, first10000  the same with limit 5000 / 10000, one request (rows/s against the page size)
                 last1000   the same with "offset <total-1000> limit 1000" (cost of a deep offset)
                 all        the same without limit, streamed (default page size) into Measure-Object
                 all1000    the same in pages of 1,000 (is the server's cost per row flat in the page size?)
    Tasks hang under Shots (20 each) under Sequences (10 Shots each) under one Project, so the
    nested projections walk three levels.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    # A comma-separated list when called with -File.
    [string[]] $Milestone = @('10000', '50000'),
    [int] $BatchSize = 10000,
    [int] $Repeats = 3
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')

function Out-Json([hashtable] $values) { [Console]::Out.WriteLine(($values | ConvertTo-Json -Compress -Depth 5)) }
function Get-Stats([double[]] $ms) {
    $sorted = @($ms | Sort-Object)
    $m = [int][math]::Floor($sorted.Count / 2)
    $median = if ($sorted.Count % 2) { $sorted[$m] } else { ($sorted[$m - 1] + $sorted[$m]) / 2 }
    @{ best = [math]::Round($sorted[0], 1); median = [math]::Round($median, 1) }
}
function Write-Progress2([string] $text) { [Console]::Error.WriteLine("[local] $text") }
function Invoke-FullGc { [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect() }

[int[]] $Milestone = @($Milestone -split ',' | Where-Object { $_ } | ForEach-Object { [int]$_ } | Sort-Object -Unique)
$total = $Milestone[-1]
if ($Milestone | Where-Object { $_ % $BatchSize }) { throw "Every milestone must be a multiple of the batch size $BatchSize." }

Import-Module $ModulePath -Force
Use-BenchSchemaCache
$watch = [Diagnostics.Stopwatch]::StartNew()
$server = Start-FtrackLocalServer -Seed Empty
$startMs = $watch.Elapsed.TotalMilliseconds
try {
    Connect-Ftrack -LocalServer $server
    Out-Json @{ kind = 'local-start'; ms = [math]::Round($startMs, 1) }

    $one = { param($type) $e = @(Invoke-FtrackQuery "select id from $type"); if (-not $e.Count) { throw "The Empty seed has no $type." }; [string]$e[0].id }
    $schemaId = & $one 'ProjectSchema'
    $typeIds = @(Invoke-FtrackQuery 'select id from Type' | ForEach-Object { [string]$_.id })
    $statusIds = @(Invoke-FtrackQuery 'select id from Status' | ForEach-Object { [string]$_.id })
    $priorityIds = @(Invoke-FtrackQuery 'select id from Priority' | ForEach-Object { [string]$_.id })

    # The hierarchy for every task to come, up front: client-chosen ids, one batch.
    $project = [guid]::NewGuid().ToString()
    $shotCount = [int][math]::Ceiling($total / 20)
    $shots = [string[]]::new($shotCount)
    $ops = [Collections.Generic.List[hashtable]]::new()
    $ops.Add(@{ action = 'create'; entity_type = 'Project'; entity_data = @{ id = $project; name = 'bench'; full_name = 'Benchmark'; project_schema_id = $schemaId } })
    $sequence = $null
    for ($j = 0; $j -lt $shotCount; $j++) {
        if ($j % 10 -eq 0) {
            $sequence = [guid]::NewGuid().ToString()
            $ops.Add(@{ action = 'create'; entity_type = 'Sequence'; entity_data = @{ id = $sequence; name = 'sq{0:0000}' -f ($j / 10 + 1); parent_id = $project } })
        }
        $shots[$j] = [guid]::NewGuid().ToString()
        $ops.Add(@{ action = 'create'; entity_type = 'Shot'; entity_data = @{ id = $shots[$j]; name = 'sh{0:00000}' -f ($j + 1); parent_id = $sequence } })
    }
    Write-Progress2 "creating the hierarchy: $($ops.Count) contexts"
    $watch.Restart()
    $null = Invoke-FtrackOperation -Operation $ops.ToArray() -Confirm:$false
    Out-Json @{ kind = 'local-hierarchy'; creates = $ops.Count; ms = [math]::Round($watch.Elapsed.TotalMilliseconds, 1) }

    $created = 0
    $start = [datetime]::new(2026, 1, 5, 9, 0, 0, [DateTimeKind]::Utc)
    $projection = 'select name, parent.name, parent.parent.name, status.name, type.name from Task'
    foreach ($target in $Milestone) {
        while ($created -lt $target) {
            $ops = [hashtable[]]::new($BatchSize)
            for ($k = 0; $k -lt $BatchSize; $k++) {
                $i = $created + $k
                $ops[$k] = @{ action = 'create'; entity_type = 'Task'; entity_data = @{
                    name = 'task_{0:00}' -f ($i % 20 + 1); parent_id = $shots[[math]::Floor($i / 20)]
                    type_id = $typeIds[$i % $typeIds.Count]; status_id = $statusIds[$i % $statusIds.Count]; priority_id = $priorityIds[$i % $priorityIds.Count]
                    description = "Task $i of the benchmark project"; bid = 3600 * ($i % 8 + 1)
                    start_date = $start.AddDays($i % 200); end_date = $start.AddDays($i % 200 + 5)
                } }
            }
            Invoke-FullGc
            Write-Progress2 "creating tasks $created..$($created + $BatchSize)"
            $watch.Restart()
            $results = @(Invoke-FtrackOperation -Operation $ops -Confirm:$false)
            $ms = $watch.Elapsed.TotalMilliseconds
            if ($results.Count -ne $BatchSize) { throw "The create batch answered $($results.Count) results for $BatchSize operations." }
            $created += $BatchSize
            $results = $null; $ops = $null
            Out-Json @{ kind = 'local-create'; batch = $BatchSize; tasks_after = $created; ms = [math]::Round($ms, 1); per_second = [math]::Round($BatchSize / ($ms / 1000)) }
        }

        $queries = [ordered]@{
            first1000 = @{ Expression = "$projection limit 1000"; Rows = 1000; Streamed = $false }
            last1000  = @{ Expression = "$projection offset $($target - 1000) limit 1000"; Rows = 1000; Streamed = $false }
            first5000 = @{ Expression = "$projection limit 5000"; Rows = 5000; Streamed = $false }
            first10000 = @{ Expression = "$projection limit 10000"; Rows = 10000; Streamed = $false }
            all       = @{ Expression = $projection; Rows = $target; Streamed = $true; PageSize = 0 }
            all1000   = @{ Expression = $projection; Rows = $target; Streamed = $true; PageSize = 1000 }
        }
        if ($target -eq $Milestone[0]) {
            # Warm the server's JIT first (tiered compilation): otherwise the first milestone is
            # measured on colder code than the later ones and the growth ratios flatter.
            Write-Progress2 'warming the query paths'
            foreach ($i in 1..3) { foreach ($q in $queries.Values) { $null = Invoke-FtrackQuery $q.Expression -PageSize $(if ($q.Streamed -and $q.PageSize) { $q.PageSize } elseif ($q.Streamed) { 5000 } else { 0 }) | Measure-Object } }
        }
        foreach ($name in $queries.Keys) {
            $q = $queries[$name]
            Write-Progress2 "query $name at $target tasks"
            $count = if ($name -like 'all*') { [math]::Max(1, [math]::Min($Repeats, 2)) } else { $Repeats }
            $runs = foreach ($r in 0..$count) {
                Invoke-FullGc
                $watch.Restart()
                if ($q.Streamed -and $q.PageSize) { $got = (Invoke-FtrackQuery $q.Expression -PageSize $q.PageSize | Measure-Object).Count }
                elseif ($q.Streamed) { $got = (Invoke-FtrackQuery $q.Expression | Measure-Object).Count }
                else {
                    $rows = @(Invoke-FtrackQuery $q.Expression -PageSize 0)
                    $got = $rows.Count
                    if (-not $rows[0].parent.parent.name -or -not $rows[-1].status.name) { throw "$name`: nested projections not loaded" }
                }
                $ms = $watch.Elapsed.TotalMilliseconds
                if ($got -ne $q.Rows) { throw "$name at $target tasks returned $got rows, expected $($q.Rows)." }
                $ms
            }
            $s = Get-Stats @($runs | Select-Object -Skip 1)
            Out-Json @{ kind = 'local-query'; query = $name; tasks = $target; rows = $q.Rows; ms_first = [math]::Round($runs[0], 1)
                ms_best = $s.best; ms_median = $s.median; rows_per_second = [math]::Round($q.Rows / ($s.median / 1000)); expression = $q.Expression
                page_size = if ($q.ContainsKey('PageSize')) { if ($q.PageSize) { $q.PageSize } else { 'default' } } else { 0 } }
        }
    }
}
finally {
    try { Disconnect-Ftrack } catch { }
    $server | Stop-FtrackLocalServer
    Remove-BenchSchemaCache
}
