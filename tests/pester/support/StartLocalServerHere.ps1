# Run by LocalServerHosting.Tests.ps1 in a child pwsh whose world was narrowed (no ASP.NET Core,
# no dotnet on PATH): what that pwsh has, and whether Start-FtrackLocalServer | Connect-Ftrack and
# a query work there. Writes what it saw to -ResultPath as JSON; the first failing step is Error.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $AspNetCoreFolder,
    [Parameter(Mandatory)] [string] $ResultPath
)
$ErrorActionPreference = 'Stop'
$result = [ordered]@{ Step = 'start' }
try {
    $result.Step = 'environment'
    $result.DotnetOnPath = @(Get-Command dotnet -CommandType Application -ErrorAction SilentlyContinue | ForEach-Object Source)
    $result.Path = $env:PATH
    $result.AspNetCoreFiles = @(Get-ChildItem -LiteralPath $AspNetCoreFolder -Recurse -File -ErrorAction SilentlyContinue).Count
    $result.NetCoreFiles = @(Get-ChildItem -LiteralPath ([Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()) -File).Count

    $result.Step = 'Start-FtrackLocalServer -Seed Demo | Connect-Ftrack'
    Import-Module $ModulePath
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ('ftrack-cache-' + [guid]::NewGuid())
    $server = Start-FtrackLocalServer -Seed Demo
    try {
        $server | Connect-Ftrack
        $result.Step = "Invoke-FtrackQuery 'select name from Project'"
        $result.Projects = @(Invoke-FtrackQuery 'select name from Project' | ForEach-Object name)
        $result.AspNetCoreLoaded = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -like 'Microsoft.AspNetCore*' }).Count
    }
    finally {
        Disconnect-Ftrack -ErrorAction SilentlyContinue
        $server | Stop-FtrackLocalServer
        Remove-Item $env:FTRACK_SCHEMA_CACHE -Recurse -Force -ErrorAction SilentlyContinue
    }
    $result.Step = 'done'
}
catch {
    $result.Error = "$($result.Step): $_"
}
finally {
    $result | ConvertTo-Json -Depth 3 | Set-Content -LiteralPath $ResultPath
}
