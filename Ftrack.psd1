@{
    RootModule           = 'Ftrack.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0c8d3e-8a4b-4f3e-9d2c-7b1e6a9c4f21'
    Author               = 'Ftrack for PowerShell contributors'
    Copyright            = 'Apache-2.0'
    Description          = 'A fast, PowerShell-native client for the ftrack production-tracking API, with a local ftrack-compatible server for tests.'
    PowerShellVersion    = '7.4'
    # Loaded before the types file is processed, so the entity adapter type resolves.
    RequiredAssemblies   = @('Ftrack.Core.dll', 'Ftrack.dll')
    CompatiblePSEditions = @('Core')
    TypesToProcess       = @('Ftrack.types.ps1xml')
    FormatsToProcess     = @('Ftrack.format.ps1xml')
    # Every cmdlet by name: no wildcard exports, so discovery needs no assembly load.
    CmdletsToExport      = @(
        'Connect-Ftrack'
        'Disconnect-Ftrack'
        'Get-FtrackSession'
        'Invoke-FtrackQuery'
        'Invoke-FtrackOperation'
        'Get-FtrackServerInformation'
        'Get-FtrackSchema'
        'New-FtrackEntity'
        'Set-FtrackEntity'
        'Remove-FtrackEntity'
        'Get-FtrackEntity'
        'Start-FtrackBatch'
        'Submit-FtrackBatch'
        'Get-FtrackBatch'
        'Undo-FtrackBatch'
        'Invoke-FtrackBatch'
        'Start-FtrackLocalServer'
        'Stop-FtrackLocalServer'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('ftrack', 'pipeline', 'vfx', 'production-tracking')
            LicenseUri = 'https://www.apache.org/licenses/LICENSE-2.0'
        }
    }
}
