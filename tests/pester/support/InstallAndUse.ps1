# Run by Install.Tests.ps1 in a child pwsh whose HOME is a throw-away folder: what a user does
# after getting the package. Writes what it saw to -ResultPath as JSON; the first step that
# fails is recorded as Error (step and message) and nothing after it runs.
param(
    [Parameter(Mandatory)] [string] $Feed,
    [Parameter(Mandatory)] [string] $RepositoryName,
    [Parameter(Mandatory)] [string] $ResultPath
)
$ErrorActionPreference = 'Stop'
$result = [ordered]@{ Step = 'start' }
try {
    $result.Step = 'environment'
    $result.FtrackModulePathSet = Test-Path Env:FTRACK_MODULE_PATH
    $result.PSModulePath = $env:PSModulePath
    $result.WorkingDirectory = (Get-Location).Path

    $result.Step = 'Register-PSResourceRepository'
    Register-PSResourceRepository -Name $RepositoryName -Uri $Feed -Trusted
    $result.RepositoryStore = (Get-PSResourceRepository -Name $RepositoryName).Uri.LocalPath

    $result.Step = 'Install-PSResource'
    Install-PSResource Ftrack -Repository $RepositoryName -Scope CurrentUser -TrustRepository
    $installed = Get-InstalledPSResource Ftrack -Scope CurrentUser
    $result.InstalledVersion = [string]$installed.Version
    $result.InstalledLocation = $installed.InstalledLocation
    $result.Available = @(Get-Module -ListAvailable Ftrack | ForEach-Object Path)

    $result.Step = 'Import-Module Ftrack'
    $module = Import-Module Ftrack -PassThru
    $result.ModuleBase = $module.ModuleBase
    $result.ModuleVersion = [string]$module.Version
    $result.Cmdlets = @($module.ExportedCmdlets.Keys | Sort-Object)

    $result.Step = 'Get-Help Connect-Ftrack -Full'
    $help = Get-Help Connect-Ftrack -Full
    $result.HelpSynopsis = ([string]$help.Synopsis).Trim()
    $result.HelpExampleCount = @($help.examples.example).Count
    $result.HelpText = $help | Out-String -Width 200

    $result.Step = 'Get-Help about_Ftrack'
    $result.AboutText = Get-Help about_Ftrack | Out-String -Width 200

    $result.Step = 'Start-FtrackLocalServer -Seed Demo | Connect-Ftrack'
    # The verbose line names the server assembly, so the test can see which copy ran.
    $records = @(Start-FtrackLocalServer -Seed Demo -Verbose 4>&1)
    $server = $records | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }
    $result.ServerStartLine = @($records | Where-Object { $_ -is [Management.Automation.VerboseRecord] } | ForEach-Object Message) -join "`n"
    try {
        $server | Connect-Ftrack

        $result.Step = "Invoke-FtrackQuery 'select name from Project'"
        $result.Projects = @(Invoke-FtrackQuery 'select name from Project' | ForEach-Object name)
    }
    finally {
        Disconnect-Ftrack -ErrorAction SilentlyContinue
        $server | Stop-FtrackLocalServer
        $result.ServerStillRunning = $server.IsRunning
    }
    $result.Step = 'done'
}
catch {
    $result.Error = "$($result.Step): $_"
}
finally {
    $result | ConvertTo-Json -Depth 3 | Set-Content -LiteralPath $ResultPath
}
