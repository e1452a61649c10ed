BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
}

Describe 'Start-FtrackLocalServer' {
    BeforeAll { $script:server = Start-FtrackLocalServer -Seed Demo }
    AfterAll { $server | Stop-FtrackLocalServer; Disconnect-Ftrack }

    It 'returns the URL, user, key as SecureString and process id of a loopback server' {
        $server.Url.Host | Should -Be '127.0.0.1'
        $server.ApiKey | Should -BeOfType [securestring]
        (Get-Process -Id $server.ProcessId).Id | Should -Be $server.ProcessId
        ($server | Format-List * | Out-String) | Should -Not -Match ([pscredential]::new('x', $server.ApiKey).GetNetworkCredential().Password)
    }

    It 'is reached through Connect-Ftrack -LocalServer and answers queries' {
        $server | Connect-Ftrack
        $projects = Invoke-FtrackQuery 'select name from Project'
        $projects.Count | Should -BeGreaterThan 0
        $tasks = Invoke-FtrackQuery 'select name, status.name, parent.name from Task' -PageSize 7
        ($tasks | Sort-Object -Unique { [Runtime.CompilerServices.RuntimeHelpers]::GetHashCode($_.status) }).Count |
            Should -Be ($tasks.status.name | Sort-Object -Unique).Count
    }

    It 'answers a query error with a ParseError record' {
        Invoke-FtrackQuery 'select from where' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.QueryParseFailed,Ftrack.Cmdlets.InvokeFtrackQueryCommand'
    }

    It 'refuses a wrong key' {
        { Connect-Ftrack -Server $server.Url -Credential ([pscredential]::new($server.ApiUser, (ConvertTo-SecureString 'not-the-key' -AsPlainText -Force))) } |
            Should -Throw -ErrorId 'Ftrack.AuthenticationFailed,Ftrack.Cmdlets.ConnectFtrackCommand'
    }

    It 'sends a batch of operations as one request' {
        $server | Connect-Ftrack
        $before = (Get-FtrackSession).RequestCount
        $results = Invoke-FtrackOperation @(
            @{ action = 'query'; expression = 'select name from Project' }
            @{ action = 'query'; expression = 'select username from User' }
        )
        $results | Should -HaveCount 2
        $results[1].data.username | Should -Contain $server.ApiUser
        ((Get-FtrackSession).RequestCount - $before) | Should -Be 1
    }

    It 'stops with Stop-FtrackLocalServer' {
        $other = Start-FtrackLocalServer -Seed Empty
        $other | Stop-FtrackLocalServer
        { Get-Process -Id $other.ProcessId -ErrorAction Stop } | Should -Throw
    }
}

Describe 'The README demo' {
    It 'runs from start to end' {
        $output = & (Join-Path $PSScriptRoot '../demo/Demo.ps1') -ModulePath $env:FTRACK_MODULE_PATH 6>&1 | Out-String
        $output | Should -Match 'share one project object: True'
        $output | Should -Match 'Ftrack.ValidationFailed'
    }
}
