# What the server reports as plain JSON objects (issue #15, item 8) comes out as objects that
# format: Get-FtrackServerInformation and each result of Invoke-FtrackOperation, nested objects
# included - never a Dictionary shown as Key/Value rows or as its .NET type name.
BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:server = Start-FtrackLocalServer -Seed Demo
    $server | Connect-Ftrack
}

AfterAll {
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

Describe 'Server information' {
    It 'is one object whose nested values are objects too, and shows no .NET type names' {
        $info = Get-FtrackServerInformation
        $info.PSTypeNames[0] | Should -Be 'Ftrack.ServerInformation'
        $info.storage_scenario | Should -BeOfType [pscustomobject]
        $info.storage_scenario.scenario | Should -Be 'ftrack.automatic'
        $text = $info | Out-String -Width 200
        $text | Should -Not -Match 'System\.Collections'
        $text | Should -Match 'scenario=ftrack\.automatic'
    }
}

Describe 'Invoke-FtrackOperation results' {
    It 'are one object per operation, told apart by action, never Key/Value rows run together' {
        $results = @(Invoke-FtrackOperation @{ action = 'query_server_information' }, @{ action = 'query'; expression = 'select name from Project' })
        $results | Should -HaveCount 2
        $results[0].PSTypeNames[0] | Should -Be 'Ftrack.OperationResult#query_server_information'
        $results[0].version | Should -Be (Get-FtrackServerInformation).version
        $results[1].PSTypeNames[0] | Should -Be 'Ftrack.OperationResult#query'
        $results[1].data.name | Should -Contain 'sintel_redux'
        $results[1].metadata | Should -BeOfType [pscustomobject]
        $text = $results | Out-String -Width 200
        $text | Should -Not -Match 'System\.Collections'
        $text | Should -Not -Match '(?m)^Key\s+Value'
    }
}
