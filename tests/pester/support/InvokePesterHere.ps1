# Run by Install.Tests.ps1 in a child pwsh: Invoke-Pester in the current folder, as the README's
# example says. Writes the outcome and which Ftrack module the folder's tests could load to
# -ResultPath as JSON.
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ResultPath
)
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
$result = [ordered]@{ FtrackModulePathSet = Test-Path Env:FTRACK_MODULE_PATH }
try {
    $result.Available = @(Get-Module -ListAvailable Ftrack | ForEach-Object Path)
    Import-Module $PesterPath
    $run = Invoke-Pester -PassThru -Output Detailed
    $result.Result = [string]$run.Result
    $result.Passed = $run.PassedCount
    $result.Failed = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount
    $result.Files = @($run.Containers | ForEach-Object { [string]$_.Item })
    $result.Loaded = @(Get-Module Ftrack | ForEach-Object Path)
}
catch {
    $result.Error = "$_"
}
finally {
    $result | ConvertTo-Json -Depth 3 | Set-Content -LiteralPath $ResultPath
}
