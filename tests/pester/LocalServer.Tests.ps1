BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
}

Describe 'Start-FtrackLocalServer' {
    BeforeAll { $script:server = Start-FtrackLocalServer -Seed Demo }
    AfterAll { $server | Stop-FtrackLocalServer; Disconnect-Ftrack }

    It 'returns the URL, user and key (a SecureString) of a loopback server that is running' {
        $server.Url.Host | Should -Be '127.0.0.1'
        $server.ApiKey | Should -BeOfType [securestring]
        $server.IsRunning | Should -BeTrue
        $server.StopReason | Should -BeNullOrEmpty
        ($server | Format-List * | Out-String) | Should -Not -Match ([pscredential]::new('x', $server.ApiKey).GetNetworkCredential().Password)
    }

    It "runs inside this PowerShell, loaded from the module's server folder into a load context of its own" {
        $serverFolder = Join-Path (Split-Path $env:FTRACK_MODULE_PATH) 'server'
        foreach ($name in 'Ftrack.Server', 'Microsoft.Data.Sqlite', 'SQLitePCLRaw.core') {
            $assembly = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq $name -and $_.Location -like "$serverFolder*" })
            $assembly | Should -HaveCount 1 -Because "$name comes from $serverFolder"
            [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly[0]).GetType().FullName | Should -Be 'Ftrack.LocalServer.ServerLoadContext'
        }
    }

    It "uses the SQLite library of the server folder for this platform" -Skip:(-not $IsLinux) {
        $serverFolder = Join-Path (Split-Path $env:FTRACK_MODULE_PATH) 'server'
        $rid = if ([Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier -like '*musl*') { 'linux-musl' } else { 'linux' }
        $expected = "$serverFolder/runtimes/$rid-$(([Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture).ToString().ToLower())/native/libe_sqlite3.so"
        @(Get-Content /proc/self/maps | Where-Object { $_ -like "*libe_sqlite3*" } | ForEach-Object { ($_ -split '\s+', 6)[5] } | Sort-Object -Unique) | Should -Be @($expected)
    }

    It "answers the session's CallAsync (Core's API for callers that wait on many requests) over HTTP as Call does" {
        $server | Connect-Ftrack
        $session = Get-FtrackSession
        $ops = [Ftrack.Core.Operations.FtrackOperation[]]@([Ftrack.Core.Operations.QueryOperation]::new('select name from Project order by name'))
        $calls = 1..8 | ForEach-Object { $session.CallAsync($ops, $null) }
        [Threading.Tasks.Task]::WaitAll([Threading.Tasks.Task[]]$calls, 30000) | Should -BeTrue
        $expected = @($session.Call($ops, $null)[0].Data | ForEach-Object { $_.GetValue('name') })
        $expected.Count | Should -BeGreaterThan 0
        foreach ($call in $calls) { @($call.Result[0].Data | ForEach-Object { $_.GetValue('name') }) | Should -Be $expected }
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

    It 'stops with Stop-FtrackLocalServer: the port is closed, and a session to it says the server was stopped' {
        $other = Start-FtrackLocalServer -Seed Empty
        $session = $other | Connect-Ftrack -PassThru
        $other | Stop-FtrackLocalServer
        $other.IsRunning | Should -BeFalse
        $other.StopReason | Should -Be 'was stopped by Stop-FtrackLocalServer'
        { [Net.Sockets.TcpClient]::new('127.0.0.1', $other.Url.Port) } | Should -Throw '*refused*'

        $watch = [Diagnostics.Stopwatch]::StartNew()
        $rows = Invoke-FtrackQuery 'select name from Project' -Session $session -ErrorVariable err -ErrorAction SilentlyContinue
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 1 -Because 'nothing is sent, so nothing is retried'
        $rows | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.LocalServerStopped,Ftrack.Cmdlets.InvokeFtrackQueryCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $err[0].Exception.Message | Should -BeLike "The local server at $($other.Url.GetLeftPart('Authority')) was stopped by Stop-FtrackLocalServer.*Start-FtrackLocalServer | Connect-Ftrack*"
        # Connecting by its URL (not piping the server) is recognized too.
        $third = Start-FtrackLocalServer -Seed Empty
        $byUrl = Connect-Ftrack -Server $third.Url -Credential $third.Credential -PassThru
        $third | Stop-FtrackLocalServer
        { Invoke-FtrackQuery 'select name from Project' -Session $byUrl -ErrorAction Stop } | Should -Throw -ErrorId 'Ftrack.LocalServerStopped,Ftrack.Cmdlets.InvokeFtrackQueryCommand'
    }

    It 'fails with Ftrack.LocalServerFailed, saying why, when its port is taken' {
        { Start-FtrackLocalServer -Seed Empty -Port $server.Url.Port } |
            Should -Throw -ErrorId 'Ftrack.LocalServerFailed,Ftrack.Cmdlets.StartFtrackLocalServerCommand' -ExpectedMessage "*did not start: Cannot listen on http://127.0.0.1:$($server.Url.Port)/*"
        $server.IsRunning | Should -BeTrue
    }

    It 'takes -WhatIf: Stop-FtrackLocalServer -WhatIf leaves it running' {
        $server | Stop-FtrackLocalServer -WhatIf
        $server.IsRunning | Should -BeTrue
        $server | Connect-Ftrack
        (Invoke-FtrackQuery 'select name from Project').Count | Should -BeGreaterThan 0
    }
}

Describe 'The README demo' {
    It 'runs from start to end' {
        $output = & (Join-Path $PSScriptRoot '../demo/Demo.ps1') -ModulePath $env:FTRACK_MODULE_PATH 6>&1 | Out-String
        $output | Should -Match 'share one project object: True'
        $output | Should -Match 'Ftrack.UnknownAttribute'
        $output | Should -Match "Did you mean 'name'"
        $output | Should -Match 'dotnet pwsh -NoExit -Command'   # the next step (tests/pester/Readme.Tests.ps1 runs it)
    }
}

Describe 'One session shared by ForEach-Object -Parallel' {
    BeforeAll {
        $script:shared = Start-FtrackLocalServer -Seed Demo
        $script:sharedSession = $shared | Connect-Ftrack -PassThru
    }
    AfterAll { $shared | Stop-FtrackLocalServer }

    It 'serves 1,000 mixed queries from 8 threads, every result correct' {
        $expected = @{
            'select name from Project' = (Invoke-FtrackQuery 'select name from Project').Count
            'select name, status.name from Task' = (Invoke-FtrackQuery 'select name, status.name from Task').Count
            'select name, parent.name from Shot' = (Invoke-FtrackQuery 'select name, parent.name from Shot').Count
            'select username from User' = (Invoke-FtrackQuery 'select username from User').Count
        }
        $queries = 1..1000 | ForEach-Object { @($expected.Keys)[$_ % 4] }
        $module = $env:FTRACK_MODULE_PATH
        $session = $sharedSession
        $results = $queries | ForEach-Object -ThrottleLimit 8 -Parallel {
            Import-Module $using:module
            $rows = @(Invoke-FtrackQuery $_ -Session $using:session -ErrorAction Stop)
            $missing = @($rows | Where-Object { $null -eq $_.id }).Count
            [pscustomobject]@{ Query = $_; Count = $rows.Count; Missing = $missing }
        }
        $results | Should -HaveCount 1000
        foreach ($r in $results) {
            $r.Count | Should -Be $expected[$r.Query] -Because $r.Query
            $r.Missing | Should -Be 0
        }
    }
}

Describe 'Format views' {
    BeforeAll { $script:fmt = Start-FtrackLocalServer -Seed Demo; $fmt | Connect-Ftrack }
    AfterAll { $fmt | Stop-FtrackLocalServer }

    # A query without a select is shown with its type's view (a select shows its own columns: Display.Tests).
    It 'shows <Type> with its own columns' -ForEach @(
        @{ Type = 'Task'; Header = 'Name\s+Parent\s+Type\s+Status\s+Priority' }
        @{ Type = 'Shot'; Header = 'Name\s+Parent\s+Status\s+Bid' }
        @{ Type = 'User'; Header = 'Username\s+FirstName\s+LastName' }
        @{ Type = 'Status'; Header = 'Name\s+State\s+Color' }
        @{ Type = 'Timelog'; Header = 'User\s+Start\s+Hours' }
        @{ Type = 'AssetType'; Header = 'Type\s+Name\s+Id' }
    ) {
        $text = Invoke-FtrackQuery $Type -First 3 | Format-Table | Out-String -Width 200
        $text | Should -Match $Header
    }
}

Describe 'Tab completion' {
    BeforeAll { $script:tab = Start-FtrackLocalServer -Seed Demo; $tab | Connect-Ftrack }
    AfterAll { $tab | Stop-FtrackLocalServer }

    It 'completes <Line>' -ForEach @(
        @{ Line = 'New-FtrackEntity -EntityType AssetB'; Expect = 'AssetBuild' }
        @{ Line = 'Get-FtrackEntity -EntityType Task -Property status.na'; Expect = 'status.name' }
        @{ Line = 'New-FtrackEntity -EntityType Shot -IdentifyingProperty par'; Expect = 'parent' }
        @{ Line = "Invoke-FtrackQuery 'select name from Seq"; Expect = "'select name from Sequence'" }
        @{ Line = "Invoke-FtrackQuery 'select name from Task where parent.na"; Expect = "'select name from Task where parent.name'" }
    ) {
        $result = TabExpansion2 -inputScript $Line -cursorColumn $Line.Length
        $result.CompletionMatches.CompletionText | Should -Contain $Expect
    }
}
