#!/usr/bin/env pwsh
<#
.SYNOPSIS
    The benchmark behind "build.ps1 bench": the module against the official JS client on the same
    stub, our decoder against JsonDocument.Parse, paging, startup, and the local server.
.DESCRIPTION
    In one go, on this machine, one step after another (never two measurements at once):
      1. js       ../shared/bench/ftrack-stub/bench-js.mjs (@ftrack/api 1.11.2), copied with its
                  lock file into results/js and installed there with npm ci (shared/ is read-only)
      2. module   per N, a fresh pwsh (Measure-Module.ps1) against the same stub:
                  $r = Invoke-FtrackQuery $expr -PageSize 0 (held) and ... | Measure-Object
                  (streamed, default page size); Connect-Ftrack cold and with a warm schema cache;
                  at the largest N, paging (-PageSize) against one request.
                  Also the same query through FtrackSession in C# (no PowerShell), and
                  Import-Module in fresh pwsh processes.
      3. decoder  Ftrack.Bench (C#) on the payload the stub saved: ResponseReader beside
                  JsonDocument.Parse; time, bytes allocated, bytes retained per task
      4. local    the bundled local server (Measure-LocalServer.ps1): rows/s of a 1,000-row query
                  with nested projections, creates/s in 10,000-entity batches, query time as the
                  table grows (10k -> 50k -> 100k; -LocalTasks to change)
      5. latency  the stub as a server 50 ms away (LATENCY_MS=50, ROW_US=20; Measure-Latency.ps1):
                  the largest N streamed with one request, pages of 1,000 and the default page size
      6. memory   peak working set of a fresh pwsh streaming the whole query, at -MemoryN (20,000
                  and 200,000 rows; Measure-Memory.ps1): memory must not grow with the rows
      7. loading  reading .status.name on 5,000 tasks queried with "select name", through a proxy
                  adding 50 ms (Measure-Loading.ps1), against one request per entity
      8. transfer the module's upload and download of a -TransferMiB file (1 GiB) against curl's on
                  the same local server, and its working set while uploading (Measure-Transfer.ps1)
      9. events   the event hub soak (Measure-Events.ps1): 100,000 events through a standalone local
                  server to 10 subscribers of the module's client; events/s, memory, lost events
    Prints the tables and PASS/MISS lines for the targets, and writes them with the raw JSON lines
    to results/bench-<date>.md. Any failure (no node, npm, wrong row counts) throws.
.EXAMPLE
    dotnet pwsh ./build.ps1 bench
.EXAMPLE
    dotnet pwsh tests/bench/Run-Bench.ps1 -ModulePath out/Ftrack/Ftrack.psd1 -Skip local -Repeats 5
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/Ftrack/Ftrack.psd1'),
    # Lists may also be given comma-separated (as with pwsh -File).
    [string[]] $N = @('10000', '50000'),
    [ValidateRange(1, 50)]
    [int] $Repeats = 3,
    [string[]] $PageSize = @('1000', '5000', '10000'),
    # Task counts at which the local server's queries are timed (it grows in batches of 10,000).
    [string[]] $LocalTasks = @('10000', '50000', '100000'),
    # Row counts streamed by the memory step, smallest first.
    [string[]] $MemoryN = @('20000', '200000'),
    # Size of the file the transfer step uploads and downloads.
    [ValidateRange(1, 16384)]
    [int] $TransferMiB = 1024,
    # Any of js, module, decoder, local, latency, memory, loading, transfer, events.
    [string[]] $Skip = @(),
    [string] $OutputDirectory = (Join-Path $PSScriptRoot 'results'),
    # Render the report again from the raw lines (.jsonl) of an earlier run; measures nothing.
    [string] $FromRaw
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$BenchStart = [Diagnostics.Stopwatch]::StartNew()
$RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$ModulePath = (Resolve-Path $ModulePath).Path
# The module's own paging defaults (QueryPaging), for labels and targets.
Add-Type -Path (Join-Path (Split-Path $ModulePath) 'Ftrack.Core.dll')
function Split-List([string[]] $values) { @($values -split ',' | ForEach-Object Trim | Where-Object { $_ }) }
[int[]] $N = @(Split-List $N | ForEach-Object { [int]$_ } | Sort-Object -Unique)
[int[]] $PageSize = @(Split-List $PageSize | ForEach-Object { [int]$_ })
[int[]] $LocalTasks = @(Split-List $LocalTasks | ForEach-Object { [int]$_ } | Sort-Object -Unique)
[int[]] $MemoryN = @(Split-List $MemoryN | ForEach-Object { [int]$_ } | Sort-Object -Unique)
$Steps = 'js', 'module', 'decoder', 'local', 'latency', 'memory', 'loading', 'transfer', 'events'
$Skip = @(Split-List $Skip)
foreach ($s in $Skip) { if ($s -notin $Steps) { throw "-Skip takes $($Steps -join ', '); not '$s'." } }
$MaxN = $N[-1]
$Expression = $BenchTaskQuery
$Raw = [Collections.Generic.List[string]]::new()      # every JSON line, as measured
$Rows = [Collections.Generic.List[object]]::new()     # the same, parsed, with a "source"
New-Item -ItemType Directory -Force -Path $OutputDirectory | Out-Null
$Stamp = [datetime]::UtcNow.ToString('yyyy-MM-dd-HHmm')
$RawFile = Join-Path $OutputDirectory "bench-$Stamp.jsonl"
if ($FromRaw) { $FromRaw = (Resolve-Path $FromRaw).Path; $Skip = $Steps }
if (Test-Path $RawFile) { Remove-Item $RawFile }

function Write-Step([string] $text) { Write-Host "[bench $([math]::Round($BenchStart.Elapsed.TotalSeconds))s] $text" -ForegroundColor Cyan }

function Find-SharedBench {
    # shared/ sits beside the clone (../shared) in CI and in a developer's workplace alike.
    $dir = $RepoRoot
    while ($dir) {
        $candidate = Join-Path $dir 'shared/bench/ftrack-stub'
        if (Test-Path (Join-Path $candidate 'stub.mjs')) { return (Resolve-Path (Join-Path $candidate '../..')).Path }
        $parent = Split-Path $dir -Parent
        if ($parent -eq $dir) { break }
        $dir = $parent
    }
    throw "No shared/bench/ftrack-stub above ${RepoRoot}: the benchmark needs the shared stub (../shared beside the clone)."
}

function Assert-Command([string] $name, [string] $why) {
    if (-not (Get-Command $name -CommandType Application -ErrorAction SilentlyContinue)) { throw "'$name' is not on PATH: $why" }
}

. (Join-Path $PSScriptRoot '../tools/PwshCommand.ps1')
$Pwsh = @(Get-PwshCommand)

function Add-JsonLines([string[]] $lines, [string] $source) {
    $added = 0
    foreach ($line in $lines) {
        if ($line -notmatch '^\s*\{') { continue }
        $row = $line | ConvertFrom-Json
        if (-not $row.PSObject.Properties['source']) { $row | Add-Member -NotePropertyName source -NotePropertyValue $source }
        $json = $row | ConvertTo-Json -Compress -Depth 5
        $Raw.Add($json)
        Add-Content -Path $RawFile -Value $json
        $Rows.Add($row)
        $added++
    }
    $added
}

function Invoke-Child([string] $what, [string] $file, [object[]] $arguments, [string] $source) {
    $lines = & $file @arguments
    $code = $LASTEXITCODE
    if ($code -ne 0) { throw "$what failed with exit code $code." }
    if ((Add-JsonLines @($lines) $source) -eq 0) { throw "$what printed no measurement." }
}

function Invoke-PwshScript([string] $what, [string] $script, [object[]] $arguments, [string] $source) {
    $lines = & $Pwsh[0] @($Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $script @arguments
    if ($LASTEXITCODE -ne 0) { throw "$what failed with exit code $LASTEXITCODE." }
    if ((Add-JsonLines @($lines) $source) -eq 0) { throw "$what printed no measurement." }
}

function Start-BenchStub([string] $stubPath, [int] $count, [string] $payloadDir, [int] $latencyMs = 0, [int] $rowUs = 0) {
    $psi = [Diagnostics.ProcessStartInfo]::new('node', "`"$stubPath`"")
    $psi.Environment['N'] = "$count"
    $psi.Environment['PORT'] = '0'
    $psi.Environment['LATENCY_MS'] = "$latencyMs"
    $psi.Environment['ROW_US'] = "$rowUs"
    if ($payloadDir) { $psi.Environment['SAVE_PAYLOAD_DIR'] = $payloadDir }
    $psi.RedirectStandardOutput = $true
    $psi.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($psi)
    $line = $process.StandardOutput.ReadLineAsync()
    if (-not $line.Wait([TimeSpan]::FromSeconds(120)) -or $line.Result -notmatch '^LISTENING (\S+) N=(\d+) bytes=(\d+) sha256=(\w+)') {
        try { $process.Kill() } catch { }
        throw "The stub (N=$count) did not start: $(if ($line.IsCompleted) { $line.Result } else { 'no LISTENING line within 120 s' })"
    }
    [pscustomobject]@{ Url = $Matches[1]; N = [int]$Matches[2]; Bytes = [long]$Matches[3]; Sha256 = $Matches[4]; Process = $process }
}

function Stop-BenchStub($stub) {
    if ($stub -and -not $stub.Process.HasExited) { $stub.Process.Kill(); $stub.Process.WaitForExit(5000) | Out-Null }
}

function Get-Row([string] $source, [scriptblock] $where) {
    @($Rows | Where-Object { $_.source -eq $source } | Where-Object $where)
}
function Get-One([string] $source, [scriptblock] $where, [string] $what) {
    $found = @(Get-Row $source $where)
    if ($found.Count -ne 1) { throw "Expected one $what measurement, found $($found.Count)." }
    $found[0]
}

# ---------------------------------------------------------------------------------------------
# Prerequisites
# ---------------------------------------------------------------------------------------------
if ($FromRaw) { $null = Add-JsonLines @(Get-Content $FromRaw) 'unknown' }
$Shared = Find-SharedBench
$StubSource = Join-Path $Shared 'bench/ftrack-stub'
Assert-Command node 'the stub and the official JS client run on Node.js (20 or newer).'
if ('js' -notin $Skip) { Assert-Command npm 'npm installs the official JS client (@ftrack/api) for the comparison.' }
Assert-Command dotnet 'the decoder benchmark is a .NET console app.'
$nodeVersion = (& node --version).Trim()
if ([version]($nodeVersion.TrimStart('v')) -lt [version]'20.0') { throw "Node.js $nodeVersion is too old: bench-js.mjs needs 20 or newer." }
$LoadBefore = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0..2] -join ' ' } else { 'n/a' }
Write-Step "module $ModulePath; shared $Shared; node $nodeVersion; load average $LoadBefore"

# The working copy of the stub and the JS bench: shared/ is read-only, so npm ci runs here. stub.mjs
# finds its fixtures at ../../fixtures/ftrack-server: results/js/fixtures links to shared/fixtures.
$JsRoot = Join-Path $OutputDirectory 'js'
$JsDir = Join-Path $JsRoot 'bench/ftrack-stub'
New-Item -ItemType Directory -Force -Path $JsDir | Out-Null
foreach ($file in 'package.json', 'package-lock.json', 'stub.mjs', 'bench-js.mjs') { Copy-Item (Join-Path $StubSource $file) $JsDir -Force }
$fixtures = Join-Path $JsRoot 'fixtures'
if (-not (Test-Path (Join-Path $fixtures 'ftrack-server'))) {
    if (Test-Path $fixtures) { Remove-Item $fixtures -Recurse -Force }
    try { New-Item -ItemType SymbolicLink -Path $fixtures -Target (Join-Path $Shared 'fixtures') | Out-Null }
    catch { Copy-Item (Join-Path $Shared 'fixtures') $fixtures -Recurse }   # e.g. Windows without symlink rights
}
$StubScript = Join-Path $JsDir 'stub.mjs'
$PayloadDir = Join-Path $OutputDirectory 'payloads'
New-Item -ItemType Directory -Force -Path $PayloadDir | Out-Null

# ---------------------------------------------------------------------------------------------
# 1. The official JS client
# ---------------------------------------------------------------------------------------------
if ('js' -notin $Skip) {
    $lockHash = (Get-FileHash (Join-Path $JsDir 'package-lock.json') -Algorithm SHA256).Hash
    $marker = Join-Path $JsDir 'node_modules/.bench-lock-sha256'
    if (-not (Test-Path $marker) -or (Get-Content -Raw $marker).Trim() -ne $lockHash -or -not (Test-Path (Join-Path $JsDir 'node_modules/@ftrack/api/package.json'))) {
        Write-Step 'npm ci (official JS client @ftrack/api)'
        Push-Location $JsDir
        try { & npm ci --no-audit --no-fund --loglevel=error | Out-Host; $npmCode = $LASTEXITCODE } finally { Pop-Location }
        if ($npmCode -ne 0) { throw "npm ci failed in $JsDir (exit code $npmCode): the JS client could not be installed from the npm registry." }
        Set-Content -Path $marker -Value $lockHash
    }
    $apiVersion = (Get-Content -Raw (Join-Path $JsDir 'node_modules/@ftrack/api/package.json') | ConvertFrom-Json).version
    if ($apiVersion -ne '1.11.2') { throw "npm installed @ftrack/api $apiVersion, expected 1.11.2." }

    Write-Step "JS client: node bench-js.mjs NS='$($N -join ' ')' REPEATS=$Repeats MODES='moment iso'"
    $saved = @{ NS = $env:NS; REPEATS = $env:REPEATS; MODES = $env:MODES; STUB_URL = $env:STUB_URL }
    $env:NS = $N -join ' '; $env:REPEATS = "$Repeats"; $env:MODES = 'moment iso'; $env:STUB_URL = $null
    Push-Location $JsDir
    try {
        $lines = & node bench-js.mjs
        $jsCode = $LASTEXITCODE
    }
    finally {
        Pop-Location
        foreach ($k in $saved.Keys) { Set-Item "env:$k" -Value $saved[$k] }
    }
    $lines | Where-Object { $_ -notmatch '^\s*\{' } | Out-Host
    if ($jsCode -ne 0) { throw "bench-js.mjs failed (exit code $jsCode); its messages are above." }
    $null = Add-JsonLines @($lines) 'js'
    foreach ($count in $N) {
        foreach ($mode in 'moment', 'iso') {
            $null = Get-One 'js' { $_.n -eq $count -and $_.mode -eq $mode } "JS ($mode, N=$count)"
        }
    }
}

# ---------------------------------------------------------------------------------------------
# 2 + 3. The module, the client without PowerShell, and the decoder, per N
# ---------------------------------------------------------------------------------------------
$BenchProject = Join-Path $PSScriptRoot 'Ftrack.Bench/Ftrack.Bench.csproj'
$BenchDll = Join-Path $PSScriptRoot 'Ftrack.Bench/bin/Release/net10.0/Ftrack.Bench.dll'
if ('module' -notin $Skip -or 'decoder' -notin $Skip) {
    Write-Step 'dotnet build Ftrack.Bench (Release)'
    & dotnet build $BenchProject -c Release -nologo --verbosity quiet '-clp:NoSummary;ErrorsOnly' | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "Building $BenchProject failed (exit code $LASTEXITCODE)." }

    foreach ($count in $N) {
        Write-Step "stub N=$count"
        $stub = Start-BenchStub $StubScript $count $PayloadDir
        try {
            if ($stub.N -ne $count) { throw "The stub serves N=$($stub.N), expected $count." }
            $js = @(Get-Row 'js' { $_.n -eq $count })
            if ($js.Count -and $js[0].bytes -ne $stub.Bytes) { throw "The stub serves $($stub.Bytes) bytes for N=$count but the JS run saw $($js[0].bytes): not the same payload." }
            if ('module' -notin $Skip) {
                Write-Step "module N=$count (fresh pwsh$(if ($count -eq $MaxN) { ', with paging' }))"
                $arguments = @('-ModulePath', $ModulePath, '-Url', $stub.Url, '-N', $count, '-Repeats', $Repeats)
                if ($count -eq $MaxN) { $arguments += @('-Paging', '-PageSize', ($PageSize -join ',')) }
                Invoke-PwshScript "Measure-Module.ps1 (N=$count)" (Join-Path $PSScriptRoot 'Measure-Module.ps1') $arguments 'module'
                Write-Step "FtrackSession in C# N=$count"
                $sessionArgs = @($BenchDll, 'session', '--url', $stub.Url, '--n', $count, '--repeats', [math]::Max($Repeats, 5))
                if ($count -eq $MaxN) { $sessionArgs += @('--page-sizes', ($PageSize -join ',')) }
                Invoke-Child "Ftrack.Bench session (N=$count)" 'dotnet' $sessionArgs 'session'
            }
        }
        finally { Stop-BenchStub $stub }

        if ('decoder' -notin $Skip) {
            $payload = Join-Path $PayloadDir "payload_$count.json"
            if (-not (Test-Path $payload)) { throw "The stub did not save $payload (SAVE_PAYLOAD_DIR)." }
            if ((Get-Item $payload).Length -ne $stub.Bytes) { throw "$payload has $((Get-Item $payload).Length) bytes, the stub served $($stub.Bytes)." }
            Write-Step "decoder N=$count"
            Invoke-Child "Ftrack.Bench decode (N=$count)" 'dotnet' @($BenchDll, 'decode', '--payload', $payload, '--n', $count, '--repeats', [math]::Max($Repeats, 5)) 'decoder'
        }
    }

    if ('module' -notin $Skip) {
        Write-Step 'Import-Module in fresh pwsh processes'
        $script = "`$w = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$($ModulePath -replace "'", "''")'; `$ms = `$w.Elapsed.TotalMilliseconds; " +
            "if (-not (Get-Command Invoke-FtrackQuery -ErrorAction SilentlyContinue)) { throw 'Ftrack did not load' }; [Console]::Out.WriteLine(`$ms)"
        $imports = foreach ($i in 1..([math]::Max($Repeats, 3))) {
            $out = & $Pwsh[0] @($Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script
            if ($LASTEXITCODE -ne 0) { throw "Import-Module in a fresh pwsh failed (exit code $LASTEXITCODE)." }
            [double]::Parse(@($out)[-1], [Globalization.CultureInfo]::InvariantCulture)
        }
        $sorted = @($imports | Sort-Object)
        $line = @{ kind = 'import'; ms_first = [math]::Round($imports[0], 1); ms_best = [math]::Round($sorted[0], 1)
            ms_median = [math]::Round($sorted[[int][math]::Floor($sorted.Count / 2)], 1); processes = $sorted.Count } | ConvertTo-Json -Compress
        $null = Add-JsonLines @($line) 'import'
    }
}

# ---------------------------------------------------------------------------------------------
# 4. The local server
# ---------------------------------------------------------------------------------------------
if ('local' -notin $Skip) {
    $milestones = $LocalTasks
    Write-Step "local server: $($milestones -join ' -> ') tasks"
    Invoke-PwshScript 'Measure-LocalServer.ps1' (Join-Path $PSScriptRoot 'Measure-LocalServer.ps1') @('-ModulePath', $ModulePath, '-Milestone', ($milestones -join ','), '-Repeats', $Repeats) 'local'
}

# ---------------------------------------------------------------------------------------------
# 5. Latency: the stub as a server 50 ms away
# ---------------------------------------------------------------------------------------------
$LatencyMs = 50; $RowUs = 20
if ('latency' -notin $Skip) {
    Write-Step "latency: stub N=$MaxN with LATENCY_MS=$LatencyMs ROW_US=$RowUs"
    $stub = Start-BenchStub $StubScript $MaxN $null $LatencyMs $RowUs
    try { Invoke-PwshScript 'Measure-Latency.ps1' (Join-Path $PSScriptRoot 'Measure-Latency.ps1') @('-ModulePath', $ModulePath, '-Url', $stub.Url, '-N', $MaxN, '-Rounds', $Repeats) 'latency' }
    finally { Stop-BenchStub $stub }
}

# ---------------------------------------------------------------------------------------------
# 6. Memory: streaming many rows in a fresh process each
# ---------------------------------------------------------------------------------------------
if ('memory' -notin $Skip) {
    foreach ($count in $MemoryN) {
        Write-Step "memory: stream N=$count in a fresh pwsh"
        $stub = Start-BenchStub $StubScript $count $null
        try { Invoke-PwshScript "Measure-Memory.ps1 (N=$count)" (Join-Path $PSScriptRoot 'Measure-Memory.ps1') @('-ModulePath', $ModulePath, '-Url', $stub.Url, '-N', $count) 'memory' }
        finally { Stop-BenchStub $stub }
    }
}

# ---------------------------------------------------------------------------------------------
# 7. Loading attributes that were not selected, 50 ms away
# ---------------------------------------------------------------------------------------------
if ('loading' -notin $Skip) {
    Write-Step 'loading: .status.name on 5,000 tasks selected without it, through a 50 ms proxy'
    Invoke-PwshScript 'Measure-Loading.ps1' (Join-Path $PSScriptRoot 'Measure-Loading.ps1') @('-ModulePath', $ModulePath, '-Tasks', 5000, '-LatencyMs', $LatencyMs) 'loading'
}

# ---------------------------------------------------------------------------------------------
# 8. Transfers: the module's upload and download against curl's, on the same local server
# ---------------------------------------------------------------------------------------------
if ('transfer' -notin $Skip) {
    Write-Step "transfer: $TransferMiB MiB up and down, module and curl, $Repeats times each"
    Invoke-PwshScript 'Measure-Transfer.ps1' (Join-Path $PSScriptRoot 'Measure-Transfer.ps1') @('-ModulePath', $ModulePath, '-SizeMiB', $TransferMiB, '-Repeats', $Repeats) 'transfer'
}

# ---------------------------------------------------------------------------------------------
# 9. Events: the event hub soak
# ---------------------------------------------------------------------------------------------
if ('events' -notin $Skip) {
    Write-Step 'events: 100,000 events through the local server to 10 subscribers'
    Invoke-PwshScript 'Measure-Events.ps1' (Join-Path $PSScriptRoot 'Measure-Events.ps1') @('-ModulePath', $ModulePath, '-Events', 100000, '-Subscribers', 10) 'events'
}

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
$LoadAfter = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0..2] -join ' ' } else { 'n/a' }
$md = [Collections.Generic.List[string]]::new()
$verdicts = [Collections.Generic.List[string]]::new()
function Format-Ms($v) { if ($null -eq $v) { 'n/a' } else { '{0:N0}' -f [double]$v } }
function Format-Ratio($a, $b) { if ($null -eq $a -or $null -eq $b -or [double]$b -eq 0) { 'n/a' } else { '{0:N2}×' -f ([double]$a / [double]$b) } }
function Add-Table([string] $title, [string[]] $header, [object[][]] $body, [string] $note = '') {
    $md.Add("### $title"); $md.Add('')
    if ($note) { $md.Add($note); $md.Add('') }
    $md.Add('| ' + ($header -join ' | ') + ' |')
    $md.Add('|' + (($header | ForEach-Object { '---' }) -join '|') + '|')
    foreach ($r in $body) { $md.Add('| ' + (($r | ForEach-Object { "$_" -replace '\|', '\|' }) -join ' | ') + ' |') }
    $md.Add('')
}
function Add-Verdict([string] $target, [Nullable[bool]] $pass, [string] $evidence) {
    $word = if ($null -eq $pass) { 'SKIP' } elseif ($pass) { 'PASS' } else { 'MISS' }
    $verdicts.Add("$word  $target — $evidence")
}
function First-Or-Null($items) { $all = @($items); if ($all.Count) { $all[0] } else { $null } }

$cpu = try { ((Get-Content /proc/cpuinfo -ErrorAction Stop | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -split ':\s*', 2)[1] } catch { 'unknown CPU' }
$md.Add("# Ftrack module benchmark, $([datetime]::UtcNow.ToString('yyyy-MM-dd HH:mm')) UTC")
$md.Add('')
$md.Add("Machine: $([Environment]::ProcessorCount) CPUs ($cpu), $([Runtime.InteropServices.RuntimeInformation]::OSDescription); " +
    "pwsh $($PSVersionTable.PSVersion), .NET $([Environment]::Version), node $nodeVersion. Load average before $LoadBefore, after $LoadAfter " +
    "(other work on the machine skews every number). Repeats: $Repeats. Commit $(try { (& git -C $RepoRoot rev-parse --short HEAD) } catch { 'n/a' }).")
$md.Add('')
$md.Add("Expression: ``$Expression``")
$md.Add('')
$md.Add('Times in ms. "first" is the first query of a fresh process (cold JIT); best/median are over the repeats after it.')
$md.Add('')

# Whole query
$body = foreach ($count in $N) {
    $iso = First-Or-Null (Get-Row 'js' { $_.n -eq $count -and $_.mode -eq 'iso' })
    $moment = First-Or-Null (Get-Row 'js' { $_.n -eq $count -and $_.mode -eq 'moment' })
    $held = First-Or-Null (Get-Row 'module' { $_.n -eq $count -and $_.kind -eq 'held' })
    $streamed = First-Or-Null (Get-Row 'module' { $_.n -eq $count -and $_.kind -eq 'streamed' })
    $session = First-Or-Null (Get-Row 'session' { $_.n -eq $count -and $_.kind -eq 'session' })
    $rowsOut = @()
    if ($iso) { $rowsOut += , @('JS @ftrack/api 1.11.2, decodeDatesAsIso', ('{0:N0}' -f $count), (Format-Ms $iso.query_ms_first), (Format-Ms $iso.query_ms_best), (Format-Ms $iso.query_ms_median), '1.00×', "peak RSS $($iso.rss_mib) MiB") }
    if ($moment) { $rowsOut += , @('JS @ftrack/api 1.11.2, moment dates (default)', ('{0:N0}' -f $count), (Format-Ms $moment.query_ms_first), (Format-Ms $moment.query_ms_best), (Format-Ms $moment.query_ms_median), (Format-Ratio $moment.query_ms_median (${iso}?.query_ms_median)), "peak RSS $($moment.rss_mib) MiB") }
    if ($held) { $rowsOut += , @('**module** `$r = Invoke-FtrackQuery $expr -PageSize 0`', ('{0:N0}' -f $count), (Format-Ms $held.ms_first), (Format-Ms $held.ms_best), (Format-Ms $held.ms_median), (Format-Ratio $held.ms_median (${iso}?.query_ms_median)), "retained $('{0:N0}' -f $held.retained_per_entity) B/entity") }
    if ($streamed) { $rowsOut += , @('**module** `Invoke-FtrackQuery $expr | Measure-Object` (default page size)', ('{0:N0}' -f $count), (Format-Ms $streamed.ms_first), (Format-Ms $streamed.ms_best), (Format-Ms $streamed.ms_median), (Format-Ratio $streamed.ms_median (${iso}?.query_ms_median)), "$($streamed.requests) requests") }
    if ($session) { $rowsOut += , @('client alone: FtrackSession.Call in C#, held', ('{0:N0}' -f $count), (Format-Ms $session.ms_first), (Format-Ms $session.ms_best), (Format-Ms $session.ms_median), (Format-Ratio $session.ms_median (${iso}?.query_ms_median)), '') }
    $rowsOut
}
if ($body) { Add-Table 'Whole query on the stub (HTTP + JSON + decode)' @('client', 'N', 'first', 'best', 'median', 'median ÷ JS iso median', 'notes') $body }

# Decoder
$body = foreach ($count in $N) {
    $floor = First-Or-Null (Get-Row 'decoder' { $_.n -eq $count -and $_.what -eq 'JsonDocument.Parse' })
    $iso = First-Or-Null (Get-Row 'js' { $_.n -eq $count -and $_.mode -eq 'iso' })
    foreach ($d in Get-Row 'decoder' { $_.n -eq $count }) {
        , @($d.what, ('{0:N0}' -f $count), ('{0:N1}' -f ($d.bytes / 1MB)), (Format-Ms $d.ms_best), (Format-Ms $d.ms_median), (Format-Ratio $d.ms_best (${floor}?.ms_best)),
            $(if ($d.what -like 'Ftrack*') { '{0:N0}' -f $d.alloc_per_task } else { 'pooled' }),
            $(if ($null -ne $d.retained_per_task -and $d.what -like 'Ftrack*') { '{0:N0}' -f [math]::Max(0, $d.retained_per_task) } else { '—' }))
    }
    if ($iso) {
        , @('JS: JSON.parse + session.decode (iso), for reference', ('{0:N0}' -f $count), ('{0:N1}' -f ($iso.bytes / 1MB)), (Format-Ms ($iso.parse_ms + $iso.decode_ms)), '—', (Format-Ratio ($iso.parse_ms + $iso.decode_ms) (${floor}?.ms_best)), '—', '—')
    }
}
if ($body) { Add-Table 'Decoder alone on the saved payload (in memory)' @('decoder', 'N', 'MiB', 'best', 'median', 'best ÷ JsonDocument', 'bytes allocated / task', 'bytes retained / task') $body 'JsonDocument rents its buffers from ArrayPool, so its allocations and retained bytes do not show in the GC counters.' }

# Paging
$paging = @(Get-Row 'module' { $_.n -eq $MaxN -and $_.kind -like 'paging-*' })
$fastest = $null
if ($paging) {
    $oneHeld = First-Or-Null @($paging | Where-Object { $_.kind -eq 'paging-held' -and "$($_.page_size)" -eq '0' })
    $oneStreamed = First-Or-Null @($paging | Where-Object { $_.kind -eq 'paging-streamed' -and "$($_.page_size)" -eq '0' })
    $csharp = @(Get-Row 'session' { $_.n -eq $MaxN -and $_.kind -eq 'session-paging' })
    $oneCs = First-Or-Null @($csharp | Where-Object { "$($_.page_size)" -eq '0' })
    $body = foreach ($size in @(0) + $PageSize) {
        $h = First-Or-Null @($paging | Where-Object { $_.kind -eq 'paging-held' -and "$($_.page_size)" -eq "$size" })
        $s = First-Or-Null @($paging | Where-Object { $_.kind -eq 'paging-streamed' -and "$($_.page_size)" -eq "$size" })
        $c = First-Or-Null @($csharp | Where-Object { "$($_.page_size)" -eq "$size" })
        , @($(if ($size -eq 0) { 'one request (-PageSize 0)' } else { '{0:N0}' -f $size }), $h.requests,
            (Format-Ms $h.ms_best), (Format-Ms $h.ms_median), (Format-Ratio $h.ms_median $oneHeld.ms_median),
            (Format-Ms $s.ms_best), (Format-Ms $s.ms_median), (Format-Ratio $s.ms_median $oneStreamed.ms_median),
            $(if ($c) { "$(Format-Ms $c.ms_median) ($(Format-Ratio $c.ms_median $oneCs.ms_median))" } else { 'n/a' }))
    }
    function Get-Fastest([string] $kind, [string] $by) { First-Or-Null @($paging | Where-Object { $_.kind -eq $kind -and "$($_.page_size)" -ne '0' } | Sort-Object $by) }
    $fastest = Get-Fastest 'paging-streamed' 'ms_median'
    $note = "Page sizes measured round-robin ($($oneHeld.repeats) rounds after a warm-up round). Fastest page size — streamed: **$('{0:N0}' -f $fastest.page_size)** by median ($(Format-Ms $fastest.ms_median) ms), " +
        "**$('{0:N0}' -f (Get-Fastest 'paging-streamed' 'ms_best').page_size)** by best; held: **$('{0:N0}' -f (Get-Fastest 'paging-held' 'ms_median').page_size)** by median, " +
        "**$('{0:N0}' -f (Get-Fastest 'paging-held' 'ms_best').page_size)** by best. The module's default page size is 5,000 (QueryPaging.DefaultPageSize). " +
        'Last column: the same paging through QueryStream in C# (no PowerShell), median and ratio to its one request.'
    Add-Table "Paging: $('{0:N0}' -f $MaxN) rows through the module" @('page size', 'requests', 'held best', 'held median', 'held ÷ one request', 'streamed best', 'streamed median', 'streamed ÷ one request', 'C# QueryStream median') $body $note
}

# Startup
$import = First-Or-Null (Get-Row 'import' { $true })
$connect = First-Or-Null (Get-Row 'module' { $_.kind -eq 'connect' -and $_.n -eq $MaxN })
$isoMax = First-Or-Null (Get-Row 'js' { $_.n -eq $MaxN -and $_.mode -eq 'iso' })
if ($import -or $connect) {
    $body = @()
    if ($import) { $body += , @('Import-Module Ftrack, fresh pwsh', (Format-Ms $import.ms_first), (Format-Ms $import.ms_best), (Format-Ms $import.ms_median), '—', "$($import.processes) processes") }
    if ($connect) {
        $body += , @('Connect-Ftrack, cold schema cache (first in process)', (Format-Ms $connect.cold_ms), '—', '—', $connect.cold_requests, ('{0:N0} bytes received' -f $connect.cold_bytes))
        $body += , @('Connect-Ftrack, warm schema cache', (Format-Ms $connect.cached_ms_first), (Format-Ms $connect.cached_ms_best), (Format-Ms $connect.cached_ms_median), $connect.cached_requests, ('{0:N0} bytes received' -f $connect.cached_bytes))
    }
    if ($isoMax) { $body += , @('JS: new Session + initializing (cold, for reference)', (Format-Ms $isoMax.init_ms), '—', '—', '—', '') }
    Add-Table 'Startup' @('step', 'first', 'best', 'median', 'requests', 'notes') $body
}

# Local server
$local = @(Get-Row 'local' { $true })
if ($local) {
    $start = First-Or-Null @($local | Where-Object kind -eq 'local-start')
    $hier = First-Or-Null @($local | Where-Object kind -eq 'local-hierarchy')
    $creates = @($local | Where-Object kind -eq 'local-create')
    $body = @(, @('server start (Start-FtrackLocalServer -Seed Empty, in memory)', (Format-Ms $start.ms), '', ''))
    $body += , @("create $($hier.creates) contexts (project, sequences, shots), one batch", (Format-Ms $hier.ms), ('{0:N0}/s' -f ($hier.creates / ($hier.ms / 1000))), '')
    foreach ($c in $creates) { $body += , @("create $('{0:N0}' -f $c.batch) Tasks, one batch (table then $('{0:N0}' -f $c.tasks_after))", (Format-Ms $c.ms), ('{0:N0}/s' -f $c.per_second), '') }
    $queries = @($local | Where-Object kind -eq 'local-query')
    $tasksSeen = @($queries | ForEach-Object tasks | Sort-Object -Unique)
    foreach ($q in $queries) {
        $base = First-Or-Null @($queries | Where-Object { $_.query -eq $q.query -and $_.tasks -eq $tasksSeen[0] })
        $label = switch ($q.query) { 'first1000' { 'first 1,000 rows' } 'first5000' { 'first 5,000 rows, one request' } 'first10000' { 'first 10,000 rows, one request' } 'last1000' { 'last 1,000 rows (deep offset)' } 'all' { 'all rows, streamed (default page size)' } 'all1000' { 'all rows, streamed in pages of 1,000' } }
        $body += , @("query, $label, table of $('{0:N0}' -f $q.tasks)", "$(Format-Ms $q.ms_median) (best $(Format-Ms $q.ms_best))", ('{0:N0} rows/s' -f $q.rows_per_second),
            $(if ($q.tasks -ne $tasksSeen[0]) { "$(Format-Ratio $q.ms_median $base.ms_median) the time at $('{0:N0}' -f $tasksSeen[0]) tasks" } else { '' }))
    }
    Add-Table 'Local server (through the module)' @('step', 'ms (median)', 'rate', 'growth') $body `
        ('Query: `select name, parent.name, parent.parent.name, status.name, type.name from Task` (three nested projections); ' + "Tasks under Shots under Sequences under one Project; growth is the median against the one at the smallest table.")
}

# Latency
$latency = @(Get-Row 'latency' { $true })
if ($latency) {
    $one = First-Or-Null @($latency | Where-Object { $_.page_size -eq 0 })
    $body = foreach ($l in $latency | Sort-Object page_size) {
        , @($(if ($l.page_size -eq 0) { 'one request (-PageSize 0)' } else { '{0:N0}' -f $l.page_size }), $l.requests, (Format-Ms $l.ms_best), (Format-Ms $l.ms_median), (Format-Ratio $l.ms_median $one.ms_median))
    }
    # ftrack's Python client pages by 500, one page after another: its waiting alone, on the same stub settings.
    $pythonWait = [math]::Ceiling($MaxN / 500) * ($LatencyMs + 500 * $RowUs / 1000)
    $body += , @("Python client's model: pages of 500, one after another (waiting only, computed)", [math]::Ceiling($MaxN / 500), '—', (Format-Ms $pythonWait), (Format-Ratio $pythonWait $one.ms_median))
    Add-Table "Paging $('{0:N0}' -f $MaxN) rows from a server $LatencyMs ms away (+$RowUs µs per row)" @('page size', 'requests', 'best', 'median', '÷ one request') $body `
        "Streamed into Measure-Object; the stub waits LATENCY_MS + ROW_US × rows before each answer. Up to $([Ftrack.Core.Query.QueryPaging]::DefaultPagesInFlight) pages are in flight once the first page came back full."
}

# Memory
$memory = @(Get-Row 'memory' { $true } | Sort-Object n)
if ($memory) {
    $small = $memory[0]
    $body = foreach ($m in $memory) { , @(('{0:N0}' -f $m.n), (Format-Ms $m.ms), ('{0:N1}' -f $m.peak_working_set_mib), (Format-Ratio $m.peak_working_set_mib $small.peak_working_set_mib), ('{0:N1}' -f $m.heap_after_mib)) }
    Add-Table 'Memory: streaming the whole query (fresh pwsh per N)' @('rows', 'ms', 'peak working set MiB', '÷ smallest', 'managed heap after, MiB') $body
}

# Events
$events = First-Or-Null (Get-Row 'events' { $_.kind -eq 'events-soak' })
if ($events) {
    Add-Table "Event hub soak: $('{0:N0}' -f $events.events) events to $($events.subscribers) subscribers" @('events/s', 'deliveries/s', 'server working set MiB (start → middle → end)', 'client heap MiB (start → middle → end)', 'lost', 'duplicated', 'reconnections') `
        @(, @(('{0:N0}' -f $events.events_per_second), ('{0:N0}' -f $events.deliveries_per_second), ("{0:N1} → {1:N1} → {2:N1}" -f $events.server_working_set_mib_start, $events.server_working_set_mib_middle, $events.server_working_set_mib_end),
            ("{0:N1} → {1:N1} → {2:N1}" -f $events.client_heap_mib_start, $events.client_heap_mib_middle, $events.client_heap_mib_end), $events.lost, $events.duplicates, $events.reconnections)) `
        "A standalone local server; the module's client (FtrackEventHub) for the $($events.subscribers) subscribers and the publisher, all in one pwsh; the publisher at most $($events.window) events ahead of the slowest subscriber."
}

# Loading
$loading = First-Or-Null (Get-Row 'loading' { $true })
if ($loading) {
    Add-Table 'Reading an attribute that was not selected, 50 ms away' @('what', 'requests', 'ms') @(
        , @("module: `$_.status.name on $('{0:N0}' -f $loading.tasks) tasks from 'select name'", $loading.requests, (Format-Ms $loading.ms))
        , @("one request per entity (ftrack's Python client): $('{0:N0}' -f $loading.tasks) × mean of $($loading.sample) single loads ($('{0:N1}' -f $loading.single_ms_mean) ms)", $loading.tasks, (Format-Ms $loading.per_entity_ms))
    )
}

# Transfers: medians of each side, MB/s (10^6 bytes) as curl reports them
$transferCurl = @(Get-Row 'transfer' { $_.kind -eq 'transfer-curl' })
$transferModule = @(Get-Row 'transfer' { $_.kind -eq 'transfer-module' })
function Get-Median([double[]] $values) { $sorted = @($values | Sort-Object); if ($sorted.Count % 2) { $sorted[[int][math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 } }
if ($transferCurl -and $transferModule) {
    $bytes = [double]$transferCurl[0].bytes
    $rate = @{}
    foreach ($side in @(@('curl', $transferCurl), @('module', $transferModule))) {
        foreach ($way in 'upload', 'download') { $rate["$($side[0])-$way"] = $bytes / 1e6 / ((Get-Median @($side[1] | ForEach-Object { [double]$_."$($way)_ms" })) / 1000) }
    }
    $growth = Get-Median @($transferModule | ForEach-Object { [double]$_.working_set_peak_upload_mib - [double]$_.working_set_before_mib })
    Add-Table "Transfers of $('{0:N0}' -f ($bytes / 1MB)) MiB over loopback, same local server (median of $($transferCurl.Count))" @('', 'curl MB/s', 'module MB/s', 'module ÷ curl') @(
        , @('upload (PUT to get_upload_metadata''s URL)', ('{0:N0}' -f $rate['curl-upload']), ('{0:N0}' -f $rate['module-upload']), (Format-Ratio $rate['module-upload'] $rate['curl-upload']))
        , @('download (signed ComponentLocation.url)', ('{0:N0}' -f $rate['curl-download']), ('{0:N0}' -f $rate['module-download']), (Format-Ratio $rate['module-download'] $rate['curl-download']))
    ) ("Module: New-FtrackComponent and Save-FtrackComponent in a fresh pwsh; its working set grew by $('{0:N1}' -f $growth) MiB (peak while uploading, sampled every 20 ms, over before)." +
        $(if ($transferServer = First-Or-Null (Get-Row 'transfer' { $_.kind -eq 'transfer-server' })) { " The server's peak working set over the whole step: $('{0:N0}' -f $transferServer.peak_working_set_mib) MiB." } else { '' }))
}

# Targets
if ($transferCurl -and $transferModule) {
    foreach ($way in 'upload', 'download') {
        $ratio = $rate["module-$way"] / $rate["curl-$way"]
        Add-Verdict "$way of $('{0:N0}' -f ($bytes / 1MB)) MiB ≥ 0.5× curl's rate" ($ratio -ge 0.5) ("module {0:N0} MB/s vs curl {1:N0} MB/s = {2:N2}×" -f $rate["module-$way"], $rate["curl-$way"], $ratio)
    }
    Add-Verdict 'working set grows < 100 MiB while uploading' ($growth -lt 100) ("{0:N1} MiB (median of {1})" -f $growth, $transferModule.Count)
}
if ($isoMax) {
    $held = First-Or-Null (Get-Row 'module' { $_.n -eq $MaxN -and $_.kind -eq 'held' })
    if ($held) {
        $ratio = $held.ms_median / $isoMax.query_ms_median
        Add-Verdict "end-to-end $('{0:N0}' -f $MaxN) held ≤ 0.25× JS (iso) whole query (aim 0.15×)" ($ratio -le 0.25) ("module median $(Format-Ms $held.ms_median) ms vs JS iso median $(Format-Ms $isoMax.query_ms_median) ms = {0:N2}× (best {1:N2}×){2}" -f $ratio, ($held.ms_best / $isoMax.query_ms_best), $(if ($ratio -le 0.15) { '; aim met' } else { '; aim 0.15× not met' }))
    }
    $streamedMax = First-Or-Null (Get-Row 'module' { $_.n -eq $MaxN -and $_.kind -eq 'streamed' })
    if ($streamedMax) {
        $ratio = $streamedMax.ms_median / $isoMax.query_ms_median
        Add-Verdict "end-to-end $('{0:N0}' -f $MaxN) streamed ≤ 0.3× JS (iso)" ($ratio -le 0.3) ("``| Measure-Object`` median $(Format-Ms $streamedMax.ms_median) ms vs JS iso median $(Format-Ms $isoMax.query_ms_median) ms = {0:N2}×" -f $ratio)
    }
}
else { Add-Verdict 'end-to-end held ≤ 0.5× JS' $null 'JS run skipped' }
$ours = First-Or-Null (Get-Row 'decoder' { $_.n -eq $MaxN -and $_.what -eq 'Ftrack.Core ResponseReader (held)' })
$floor = First-Or-Null (Get-Row 'decoder' { $_.n -eq $MaxN -and $_.what -eq 'JsonDocument.Parse' })
if ($ours -and $floor) { Add-Verdict 'decoder ≤ 2× JsonDocument.Parse' ($ours.ms_best / $floor.ms_best -le 2) ("{0:N0} ms vs {1:N0} ms = {2:N2}× (best of {3}, N={4:N0})" -f $ours.ms_best, $floor.ms_best, ($ours.ms_best / $floor.ms_best), $ours.repeats, $MaxN) }
else { Add-Verdict 'decoder ≤ 2× JsonDocument.Parse' $null 'decoder run skipped' }
$heldMax = First-Or-Null (Get-Row 'module' { $_.n -eq $MaxN -and $_.kind -eq 'held' })
if ($heldMax -or $ours) {
    $worst = @(@((${heldMax}?.retained_per_entity), (${ours}?.retained_per_task)) | Where-Object { $null -ne $_ } | Sort-Object)[-1]
    Add-Verdict 'retained < 1 KB per task' ($worst -lt 1024) ("module `$r: $(if ($heldMax) { '{0:N0}' -f $heldMax.retained_per_entity } else { 'n/a' }) B/entity (with PowerShell's wrappers); decoder result alone: $(if ($ours) { '{0:N0}' -f $ours.retained_per_task } else { 'n/a' }) B/task")
}
if ($paging) {
    foreach ($kind in 'held', 'streamed') {
        $one = First-Or-Null @($paging | Where-Object { $_.kind -eq "paging-$kind" -and "$($_.page_size)" -eq '0' })
        $k = First-Or-Null @($paging | Where-Object { $_.kind -eq "paging-$kind" -and "$($_.page_size)" -eq '1000' })
        if ($one -and $k) { Add-Verdict "paging 1,000 within 1.3× of one request ($kind)" ($k.ms_median / $one.ms_median -le 1.3) ("{0:N0} ms in {1} requests vs {2:N0} ms in one = {3:N2}×" -f $k.ms_median, $k.requests, $one.ms_median, ($k.ms_median / $one.ms_median)) }
    }
}
if ($latency) {
    $one = First-Or-Null @($latency | Where-Object { $_.page_size -eq 0 })
    foreach ($target in @(@(1000, 1.3), @([Ftrack.Core.Query.QueryPaging]::DefaultPageSize, 1.1))) {
        $l = First-Or-Null @($latency | Where-Object { $_.page_size -eq $target[0] })
        if ($one -and $l) { Add-Verdict ("{0:N0} ms away: pages of {1:N0} within {2}× of one request" -f $LatencyMs, $target[0], $target[1]) ($l.ms_median / $one.ms_median -le $target[1]) ("{0:N0} ms in {1} requests vs {2:N0} ms in one = {3:N2}×" -f $l.ms_median, $l.requests, $one.ms_median, ($l.ms_median / $one.ms_median)) }
    }
}
if ($memory.Count -ge 2) {
    $ratio = $memory[-1].peak_working_set_mib / $memory[0].peak_working_set_mib
    Add-Verdict ("streaming {0:N0} rows peaks ≤ 1.25× streaming {1:N0}" -f $memory[-1].n, $memory[0].n) ($ratio -le 1.25) ("{0:N1} MiB vs {1:N1} MiB = {2:N2}×" -f $memory[-1].peak_working_set_mib, $memory[0].peak_working_set_mib, $ratio)
}
if ($loading) {
    $ratio = $loading.per_entity_ms / $loading.ms
    Add-Verdict "unselected attribute on $('{0:N0}' -f $loading.tasks) tasks ≥ 100× faster than one request per entity" ($ratio -ge 100 -and $loading.requests -le [math]::Ceiling($loading.tasks / 5000) * 2) ("{0:N0} ms in {1} requests vs {2:N0} ms estimated = {3:N0}×" -f $loading.ms, $loading.requests, $loading.per_entity_ms, $ratio)
}
if ($events) {
    Add-Verdict "event hub soak: no event lost of $('{0:N0}' -f ($events.events * $events.subscribers)) deliveries" ($events.lost -eq 0 -and $events.duplicates -eq 0) ("$($events.lost) lost, $($events.duplicates) duplicated, $('{0:N0}' -f $events.events_per_second) events/s")
    $growth = $events.server_working_set_mib_end / $events.server_working_set_mib_middle
    Add-Verdict 'event hub soak: server memory flat (end ≤ 1.25× middle)' ($growth -le 1.25) ("{0:N1} MiB at the middle, {1:N1} MiB at the end = {2:N2}×" -f $events.server_working_set_mib_middle, $events.server_working_set_mib_end, $growth)
}
if ($import) { Add-Verdict 'Import-Module < 0.3 s' ($import.ms_median -lt 300) ("median $(Format-Ms $import.ms_median) ms over $($import.processes) fresh processes (first $(Format-Ms $import.ms_first) ms)") }
if ($connect) { Add-Verdict 'Connect with cached schemas = 1 small request' ($connect.cached_requests -eq 1 -and $connect.cached_bytes -lt 4096) ("$($connect.cached_requests) request(s), $('{0:N0}' -f $connect.cached_bytes) bytes received, median $(Format-Ms $connect.cached_ms_median) ms (cold: $($connect.cold_requests) request(s), $('{0:N0}' -f $connect.cold_bytes) bytes)") }

$md.Add('### Targets'); $md.Add('')
$md.Add('```'); foreach ($v in $verdicts) { $md.Add($v) }; $md.Add('```'); $md.Add('')
$md.Add("Whole run: $([math]::Round($BenchStart.Elapsed.TotalSeconds)) s.")
$md.Add('')
$md.Add('### Raw measurements (JSON lines)'); $md.Add('')
$md.Add('```'); foreach ($line in $Raw) { $md.Add($line) }; $md.Add('```')

$report = Join-Path $OutputDirectory "bench-$Stamp.md"
$md | Set-Content -Path $report -Encoding utf8
Write-Host ''
$md | Where-Object { $_ -notmatch '^### Raw' } | Select-Object -First ($md.IndexOf('### Raw measurements (JSON lines)')) | Out-Host
Write-Host "Report: $report" -ForegroundColor Green
