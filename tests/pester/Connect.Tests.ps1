BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'support/TestServers.psm1') -Force
    $script:server = Start-FaultServer
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
}

AfterAll {
    Disconnect-Ftrack
    & $script:server.Stop
    Remove-Item $env:FTRACK_SCHEMA_CACHE -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Connect-Ftrack' {
    It 'connects with a credential, sets the default session and returns it with -PassThru' {
        $session = Connect-Ftrack -Server $server.Url -Credential (New-TestCredential) -PassThru
        $session.ApiUser | Should -Be 'tester'
        $session.Server.ToString() | Should -Be ($server.Url + '/')
        [object]::ReferenceEquals((Get-FtrackSession), $session) | Should -BeTrue
        $session.CachedServerInformation.Version | Should -Be 'dev'
    }

    It 'connects with -ApiUser and a SecureString -ApiKey' {
        Connect-Ftrack -Server $server.Url -ApiUser 'tester' -ApiKey (ConvertTo-SecureString 'good-key' -AsPlainText -Force)
        (Get-FtrackSession).ApiUser | Should -Be 'tester'
    }

    It 'falls back to FTRACK_SERVER, FTRACK_API_USER and FTRACK_API_KEY' {
        try {
            $env:FTRACK_SERVER = $server.Url; $env:FTRACK_API_USER = 'env-user'; $env:FTRACK_API_KEY = 'good-key'
            Connect-Ftrack
            (Get-FtrackSession).ApiUser | Should -Be 'env-user'
        }
        finally { Remove-Item Env:FTRACK_SERVER, Env:FTRACK_API_USER, Env:FTRACK_API_KEY -ErrorAction SilentlyContinue }
    }

    It 'fetches schemas with the server information in one request, then reuses the disk cache' {
        $cache = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
        $env:FTRACK_SCHEMA_CACHE = $cache
        $first = Connect-Ftrack -Server $server.Url -Credential (New-TestCredential) -PassThru -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($first.Message -match 'POST') | Should -HaveCount 1
        ($first.Message -match 'query_schemas') | Should -HaveCount 1
        $second = Connect-Ftrack -Server $server.Url -Credential (New-TestCredential) -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $posts = @($second.Message -match 'POST')
        $posts | Should -HaveCount 1
        $posts[0] | Should -Match 'query_server_information'
        $posts[0] | Should -Not -Match 'query_schemas'
        (Get-FtrackSession).CachedSchemas.EntityTypeNames.Count | Should -Be 116
        (Get-FtrackSession).RequestCount | Should -Be 1
    }

    It 'fails with Ftrack.AuthenticationFailed for a wrong key, and keeps the key out of the error' {
        { Connect-Ftrack -Server $server.Url -Credential (New-TestCredential -Key 'wrong-key-123') } |
            Should -Throw -ErrorId 'Ftrack.AuthenticationFailed,Ftrack.Cmdlets.ConnectFtrackCommand'
        $Error[0].Exception.Message | Should -Match 'InvalidCredentialsError'
        ($Error | Out-String) | Should -Not -Match 'wrong-key-123'
    }

    It 'refuses http:// to a host that is not loopback' {
        { Connect-Ftrack -Server 'http://ftrack.example.com' -Credential (New-TestCredential) } |
            Should -Throw -ErrorId 'Ftrack.InsecureConnection,Ftrack.Cmdlets.ConnectFtrackCommand'
    }

    It 'says plainly when the server refuses the connection' {
        $port = Get-FreeTcpPort
        { Connect-Ftrack -Server "http://127.0.0.1:$port" -Credential (New-TestCredential) } |
            Should -Throw -ErrorId 'Ftrack.ConnectionFailed,Ftrack.Cmdlets.ConnectFtrackCommand'
        $Error[0].Exception.Message | Should -Match 'refused'
        $Error[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'needs a server from somewhere' {
        Remove-Item Env:FTRACK_SERVER -ErrorAction SilentlyContinue
        { Connect-Ftrack -Credential (New-TestCredential) } | Should -Throw -ErrorId 'Ftrack.MissingServer,Ftrack.Cmdlets.ConnectFtrackCommand'
    }
}

Describe 'The session object' {
    It 'never shows the API key' {
        $session = Connect-Ftrack -Server $server.Url -Credential (New-TestCredential -Key 'good-key') -PassThru
        ($session | Format-List * | Out-String) | Should -Not -Match 'good-key'
        ($session | Format-Table | Out-String) | Should -Not -Match 'good-key'
        $session.ToString() | Should -Not -Match 'good-key'
        ($session | ConvertTo-Json -Depth 2 -WarningAction SilentlyContinue) | Should -Not -Match 'good-key'
    }
}

Describe 'Without a session' {
    It 'Disconnect-Ftrack forgets the default session and cmdlets ask for Connect-Ftrack' {
        Connect-Ftrack -Server $server.Url -Credential (New-TestCredential)
        Disconnect-Ftrack
        { Invoke-FtrackQuery 'select name from Task' } | Should -Throw -ErrorId 'Ftrack.NotConnected,Ftrack.Cmdlets.InvokeFtrackQueryCommand'
        $Error[0].Exception.Message | Should -Match 'Connect-Ftrack'
    }

    It 'takes -Session instead of the default' {
        $other = Connect-Ftrack -Server $server.Url -Credential (New-TestCredential) -PassThru
        Connect-Ftrack -Server $server.Url -Credential (New-TestCredential)
        Disconnect-Ftrack
        $rows = Invoke-FtrackQuery 'select status.state.short from Task' -Session $other
        $rows | Should -HaveCount 2
        Disconnect-Ftrack -Session $other
        { Invoke-FtrackQuery 'select status.state.short from Task' -Session $other -ErrorAction Stop } |
            Should -Throw -ErrorId 'Ftrack.SessionClosed,Ftrack.Cmdlets.InvokeFtrackQueryCommand'
    }
}
