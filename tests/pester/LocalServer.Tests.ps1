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
