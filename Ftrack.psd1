@{
    RootModule           = 'Ftrack.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0c8d3e-8a4b-4f3e-9d2c-7b1e6a9c4f21'
    Author               = 'Ftrack for PowerShell contributors'
    CompanyName          = 'Ftrack for PowerShell contributors'
    Copyright            = '(c) 2026 Ftrack for PowerShell contributors. Licensed under the Apache License 2.0.'
    Description          = 'A fast, PowerShell-native client for the ftrack production-tracking API: queries streamed into the pipeline with automatic paging, entity writes and batches checked against the schema, typed errors, full help; plus a local ftrack-compatible server for writing and Pester-testing scripts without a studio server.'
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
        'New-FtrackNote'
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
        'New-FtrackComponent'
        'Save-FtrackComponent'
        'Get-FtrackComponentUrl'
        'Set-FtrackThumbnail'
        'Publish-FtrackReviewMedia'
        'Register-FtrackEvent'
        'Send-FtrackEvent'
        'Register-FtrackAction'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        # What the PowerShell Gallery shows and searches (Publish-/Compress-PSResource copy it into the package).
        PSData = @{
            # Platform tags only for what CI runs on.
            Tags         = @('ftrack', 'production-tracking', 'pipeline', 'vfx', 'animation', 'api', 'pester', 'PSEdition_Core', 'Linux')
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            ProjectUri   = 'https://github.com/ftrack-powershell/Ftrack'
            ReleaseNotes = @'
0.1.0, the first release:
- Connect-Ftrack with a PSCredential, a SecureString API key, the FTRACK_* environment variables or the local server; the key is never shown or logged.
- Invoke-FtrackQuery streams results into the pipeline and pages for you; one object per entity, tab completion of types and attributes.
- New-, Set-, Remove- and Get-FtrackEntity, batches (Start-, Submit-, Invoke-FtrackBatch) sent as one transaction, with attribute names checked against the schema first; Invoke-FtrackOperation for raw operations.
- Reads retried on transient failures, writes never resent; errors with stable ids that say what went wrong.
- Start-FtrackLocalServer: an ftrack-compatible server inside PowerShell for demos and Pester tests; it needs nothing but pwsh 7.4+.
- Help for every cmdlet and about_Ftrack topics.
'@
        }
    }
}
