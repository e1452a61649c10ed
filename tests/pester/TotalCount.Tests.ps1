# -IncludeTotalCount when the rows stop short of the query's end (-First): the exact total,
# counted by the server with one aggregate query (issue #15's leftover); unknown, said in a
# verbose line, from a server that cannot count.
BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'support/TestServers.psm1') -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:server = Start-FtrackLocalServer -Seed Demo
    $script:session = $server | Connect-Ftrack -PassThru
    # The rows, the total count object and the verbose lines of one call, apart.
    function Split-Total([object[]] $Output) {
        $isTotal = { $_.PSObject.Properties['Accuracy'] }
        [pscustomobject]@{
            Rows    = @($Output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] -and -not (& $isTotal) })
            Total   = $Output | Where-Object $isTotal
            Verbose = ($Output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
        }
    }
}

AfterAll {
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

Describe 'The total of a query that stopped early' {
    It 'is counted by the server: exact, with one request more' {
        $all = @(Invoke-FtrackQuery 'select name from Task where status.name is "On hold"')
        $before = $session.RequestCount
        $out = Split-Total (Invoke-FtrackQuery 'select name from Task where status.name is "On hold"' -First 2 -IncludeTotalCount)
        $session.RequestCount - $before | Should -Be 2
        $out.Rows | Should -HaveCount 2
        $out.Total.Accuracy | Should -Be 1.0
        [uint64]$out.Total | Should -Be $all.Count
        ($out.Total | Out-String) | Should -Match "Total count: $($all.Count)"
    }

    It 'counts every row of <Type>, which has no where clause<Why>' -ForEach @(
        @{ Type = 'Shot'; Why = '' }
        @{ Type = 'User'; Why = ' and no project' }
        @{ Type = 'AssetVersion'; Why = ', no project, and a boolean the server computes' }
    ) {
        [uint64](Split-Total (Invoke-FtrackQuery "select id from $Type" -First 1 -IncludeTotalCount)).Total | Should -Be @(Invoke-FtrackQuery "select id from $Type").Count
    }

    It 'keeps -Skip in the total, and the expression''s own offset and limit' {
        $count = @(Invoke-FtrackQuery 'select id from Task').Count
        [uint64](Split-Total (Invoke-FtrackQuery 'select name from Task' -Skip 5 -First 3 -IncludeTotalCount)).Total | Should -Be $count
        [uint64](Split-Total (Invoke-FtrackQuery 'select name from Task order by name offset 10 limit 20' -First 3 -IncludeTotalCount)).Total | Should -Be 20
        [uint64](Split-Total (Invoke-FtrackQuery "select name from Task offset $($count - 4)" -First 2 -IncludeTotalCount)).Total | Should -Be 4
    }

    It 'is unknown for an aggregate query that stopped early, which it does not count' {
        $out = Split-Total (Invoke-FtrackQuery 'select count(id) from Task group by status_id' -First 1 -IncludeTotalCount -Verbose 4>&1)
        $out.Rows | Should -HaveCount 1
        $out.Verbose | Should -Match 'The total count is unknown: .*an aggregate'
        $out.Total.Accuracy | Should -Be 0.0
    }
}

Describe 'A server that cannot count' {
    BeforeAll {
        # The shared stub answers every query with its tasks: an aggregate too, without counts.
        $script:stub = Start-FtrackStub -N 50
        $script:stubSession = Connect-Ftrack -Server $stub.Url -Credential (New-TestCredential) -PassThru
    }
    AfterAll {
        $stub.Process.Kill()
        $server | Connect-Ftrack
    }

    It 'leaves the total unknown, and says why in a verbose line' {
        $out = Split-Total (Invoke-FtrackQuery 'select name from Task' -First 5 -IncludeTotalCount -Session $stubSession -Verbose 4>&1)
        $out.Rows | Should -HaveCount 5
        $out.Verbose | Should -Match 'The total count is unknown: the rows stopped before the end, and the server could not count them \(.*without counts'
        $out.Total.Accuracy | Should -Be 0.0
        ($out.Total | Out-String) | Should -Match 'Unknown total count'
    }
}
