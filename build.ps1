#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests, demonstrates and benchmarks the Ftrack module.
.DESCRIPTION
    Tasks:
      build    compile everything and lay the module out in out/Ftrack (allow-list copy)
      package  build, then pack out/Ftrack into out/Ftrack.<version>.nupkg with PSResourceGet,
               installable with Install-PSResource from a folder or feed
      help     build en-US/Ftrack.dll-Help.xml from docs/*.md (part of build)
      test     package, then run every xunit project and the Pester suite (which installs the
               package); prints one line "N passed, N failed, N skipped" for all of them together
      demo     build, start the local server with demo data, and tour the module
      bench    build, then time the module against the official JS client on the shared stub
    Output redirected to a file or a pipe (CI logs) is plain text, without ANSI colour codes.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'package', 'help', 'test', 'demo', 'bench', 'clean')]
    [string[]] $Task = @('build'),
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # demo and bench: use out/Ftrack as it was last built.
    [switch] $NoBuild
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
# A log gets plain text: pwsh colours verbose lines, warnings, errors and table headers with ANSI
# codes even when its output is redirected. NO_COLOR turns that off here and in every pwsh this
# script starts (the Pester run, the demo), which inherit it.
if ([Console]::IsOutputRedirected) {
    $env:NO_COLOR = '1'
    $PSStyle.OutputRendering = 'PlainText'
}
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'Ftrack'
# The platforms pwsh 7.4+ is released for: the server ships SQLite's native library for these.
$ServerRuntimes = 'linux-x64', 'linux-arm64', 'linux-musl-x64', 'osx-x64', 'osx-arm64', 'win-x64', 'win-arm64'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
# Get-PwshCommand: the pwsh running this script, as a command line (for child pwsh processes).
. (Join-Path $Root 'tests/tools/PwshCommand.ps1')

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    Invoke-Dotnet build (Join-Path $Root 'Ftrack.sln') -c $Configuration -nologo --verbosity quiet '-clp:NoSummary;ErrorsOnly'
    Invoke-HelpBuild
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    New-Item -ItemType Directory -Path $ModuleOut | Out-Null

    # Allow-list: exactly what the module needs. Never System.Management.Automation.dll, never
    # the STJ package's copies (the host's own System.Text.Json wins anyway).
    $bin = Join-Path $Root "src/Ftrack/bin/$Configuration/netstandard2.0"
    foreach ($file in 'Ftrack.dll', 'Ftrack.Core.dll') { Copy-Item (Join-Path $bin $file) $ModuleOut }
    Copy-Item (Join-Path $Root 'Ftrack.psd1') $ModuleOut
    # The licence travels with the module, so every installed copy carries it; so do the notices of
    # what the package redistributes (the server's SQLite and its .NET bindings, the recorded schemas).
    Copy-Item (Join-Path $Root 'LICENSE') $ModuleOut
    Copy-Item (Join-Path $Root 'THIRD-PARTY-NOTICES.txt') $ModuleOut
    foreach ($file in 'Ftrack.types.ps1xml', 'Ftrack.format.ps1xml') { Copy-Item (Join-Path $Root "src/Ftrack/$file") $ModuleOut }
    $help = Join-Path $ModuleOut 'en-US'
    New-Item -ItemType Directory -Path $help | Out-Null
    Get-ChildItem (Join-Path $Root 'en-US') -File | Where-Object { $_.Name -like '*.xml' -or $_.Name -like 'about_*.help.txt' } |
        Copy-Item -Destination $help

    # The local server: loaded into pwsh by Start-FtrackLocalServer (a load context of its own over
    # server/), or run standalone with `dotnet server/Ftrack.Server.dll`. Its assemblies, the files
    # the standalone form needs (deps.json places SQLite's native library), and SQLite for the
    # platforms pwsh ships for; no symbols, no native launcher.
    $serverBin = Join-Path $Root "src/Ftrack.Server/bin/$Configuration/net8.0"
    if (Test-Path (Join-Path $serverBin 'Ftrack.Server.dll')) {
        $serverOut = Join-Path $ModuleOut 'server'
        New-Item -ItemType Directory -Path $serverOut | Out-Null
        Get-ChildItem $serverBin -File | Where-Object { $_.Extension -eq '.dll' -or $_.Name -in 'Ftrack.Server.deps.json', 'Ftrack.Server.runtimeconfig.json' } |
            Copy-Item -Destination $serverOut
        foreach ($rid in $ServerRuntimes) {
            $native = Join-Path $serverBin "runtimes/$rid/native"
            if (-not (Test-Path $native)) { throw "SQLite has no native library for $rid in $serverBin/runtimes: the package no longer ships it." }
            $target = Join-Path $serverOut "runtimes/$rid/native"
            New-Item -ItemType Directory -Path $target | Out-Null
            Copy-Item (Join-Path $native '*') $target
        }
    }
    Write-Host "Module laid out in $ModuleOut"
}

function Invoke-Package {
    # Build's messages to the console: this function's only output is the package's path.
    Invoke-Build | Out-Host
    # PSResourceGet's own packer (the first half of Publish-PSResource, without a repository):
    # it validates the manifest and writes the nuspec from it as the Gallery expects. It packs
    # the whole laid-out folder, so whatever build puts in out/Ftrack is in the package.
    if (-not (Get-Command Compress-PSResource -ErrorAction SilentlyContinue)) {
        throw "Packaging needs Compress-PSResource (Microsoft.PowerShell.PSResourceGet 1.1 or newer, bundled with pwsh 7.6); this is pwsh $($PSVersionTable.PSVersion). Run it as: dotnet tool restore; dotnet pwsh ./build.ps1 package"
    }
    # One package in out/: an older version's would be ambiguous for the install test and for users.
    Get-ChildItem $Out -Filter 'Ftrack.*.nupkg' | Remove-Item -Force
    $package = Compress-PSResource -Path $ModuleOut -DestinationPath $Out -PassThru
    Write-Host "Package written to $($package.FullName)"
    $package.FullName
}

function Invoke-HelpBuild {
    $builder = Join-Path $Root "src/Ftrack.HelpBuilder/bin/$Configuration/net10.0/Ftrack.HelpBuilder.dll"
    $docs = Join-Path $Root 'docs'
    if ((Test-Path $builder) -and (Get-ChildItem $docs -Filter '*.md' -ErrorAction SilentlyContinue)) {
        Invoke-Dotnet $builder --docs $docs --output (Join-Path $Root 'en-US/Ftrack.dll-Help.xml')
    }
}

function Get-TrxCounts([string] $Path) {
    [xml] $trx = Get-Content -Raw $Path
    $c = $trx.TestRun.ResultSummary.Counters
    $failed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
    # xunit's skipped tests are in "total" but in none of the outcome counters.
    [pscustomobject]@{ Passed = [int]$c.passed; Failed = $failed; Skipped = [int]$c.total - [int]$c.passed - $failed }
}

function Invoke-Test {
    # The Pester suite installs the package as a user would (tests/pester/Install.Tests.ps1).
    $package = Invoke-Package
    $results = Join-Path $Out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Path $results | Out-Null
    $passed = 0; $failed = 0; $skipped = 0

    # The JS-client proof needs the official client from npm.
    $js = Join-Path $Root 'tests/js'
    if ((Test-Path (Join-Path $js 'package-lock.json')) -and (Get-Command npm -ErrorAction SilentlyContinue)) {
        Push-Location $js
        try { & npm ci --no-audit --no-fund --loglevel=error | Out-Host } finally { Pop-Location }
    }

    foreach ($project in Get-ChildItem (Join-Path $Root 'tests') -Recurse -Filter '*.Tests.csproj') {
        $trx = Join-Path $results ($project.BaseName + '.trx')
        & dotnet test $project.FullName -c $Configuration --no-build --nologo --verbosity quiet --logger "trx;LogFileName=$trx" | Out-Host
        if (Test-Path $trx) {
            $counts = Get-TrxCounts $trx
            $passed += $counts.Passed; $failed += $counts.Failed; $skipped += $counts.Skipped
            Write-Host ("{0}: {1} passed, {2} failed, {3} skipped" -f $project.BaseName, $counts.Passed, $counts.Failed, $counts.Skipped)
        }
        else {
            Write-Host "$($project.BaseName): no results (the test run did not start)"
            $failed += 1
        }
    }

    $pester = Invoke-PesterSuite -Package $package
    $passed += $pester.Passed; $failed += $pester.Failed; $skipped += $pester.Skipped

    Write-Host ''
    Write-Host ("{0} passed, {1} failed, {2} skipped" -f $passed, $failed, $skipped)
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-PesterSuite([string] $Package) {
    Invoke-Dotnet restore (Join-Path $Root 'tests/tools/Ftrack.TestTools.csproj') -nologo --verbosity quiet
    $nugetRoot = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $pesterPath = Join-Path $nugetRoot 'pester/5.7.1/tools/Pester.psd1'
    # Pester runs in a child pwsh so the module under test loads fresh, as a user would load it.
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$pesterPath'
`$env:FTRACK_MODULE_PATH = '$(Join-Path $ModuleOut 'Ftrack.psd1')'
# out/ first on the module path: 'Import-Module Ftrack' by name (as the README's example does)
# loads the build under test, never an installed copy.
`$env:PSModulePath = '$Out' + [IO.Path]::PathSeparator + `$env:PSModulePath
`$env:FTRACK_PACKAGE_PATH = '$Package'
`$c = New-PesterConfiguration
`$c.Run.Path = '$(Join-Path $Root 'tests/pester')'
`$c.Run.PassThru = `$true
`$c.Output.Verbosity = 'Detailed'
`$c.Output.RenderMode = 'Plaintext'
`$c.TestResult.Enabled = `$true
`$c.TestResult.OutputPath = '$(Join-Path $Out 'test-results/pester.xml')'
`$r = Invoke-Pester -Configuration `$c
[pscustomobject]@{ Passed = `$r.PassedCount; Failed = `$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount; Skipped = `$r.SkippedCount } |
    ConvertTo-Json | Set-Content '$(Join-Path $Out 'test-results/pester.json')'
"@
    $pwsh = @(Get-PwshCommand)
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script | Out-Host
    $summary = Join-Path $Out 'test-results/pester.json'
    if (-not (Test-Path $summary)) { return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    $counts = Get-Content -Raw $summary | ConvertFrom-Json
    Write-Host ("Pester: {0} passed, {1} failed, {2} skipped" -f $counts.Passed, $counts.Failed, $counts.Skipped)
    $counts
}

function Invoke-Demo {
    if (-not $NoBuild) { Invoke-Build }
    $pwsh = @(Get-PwshCommand)
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -File (Join-Path $Root 'tests/demo/Demo.ps1') -ModulePath (Join-Path $ModuleOut 'Ftrack.psd1')
    if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
}

function Invoke-Bench {
    if (-not $NoBuild) { Invoke-Build }
    & (Join-Path $Root 'tests/bench/Run-Bench.ps1') -ModulePath (Join-Path $ModuleOut 'Ftrack.psd1')
}

foreach ($t in $Task) {
    switch ($t) {
        'clean' { if (Test-Path $Out) { Remove-Item $Out -Recurse -Force } }
        'build' { Invoke-Build }
        'package' { Invoke-Package | Out-Null }
        'help' { Invoke-Dotnet build (Join-Path $Root 'src/Ftrack.HelpBuilder') -c $Configuration -nologo --verbosity quiet; Invoke-HelpBuild }
        'test' { Invoke-Test }
        'demo' { Invoke-Demo }
        'bench' { Invoke-Bench }
    }
}
