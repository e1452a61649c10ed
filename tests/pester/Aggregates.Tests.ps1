# Aggregates through Invoke-FtrackQuery (issue #12, module side), against the local server: one
# object per group, its columns in the order the query names them, shown as a table however many
# columns it has.
BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:server = Start-FtrackLocalServer -Seed Demo
    $server | Connect-Ftrack
    $script:tasks = Invoke-FtrackQuery 'select bid, status.name from Task'
}

AfterAll {
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

Describe 'Aggregate rows' {
    It 'are one object per group: the grouped path first, then the select list in its order' {
        $groups = @(Invoke-FtrackQuery 'select count(id), sum(bid) from Task group by status.name')
        $groups | Should -HaveCount @($tasks.status.name | Sort-Object -Unique).Count
        $groups[0].PSObject.Properties.Name | Should -Be @('status.name', 'count_id', 'sum_bid')
        $groups[0].PSTypeNames[0] | Should -BeLike 'Ftrack.AggregateRow#*'
        $onHold = $groups | Where-Object { $_.'status.name' -eq 'On hold' }
        $expected = $tasks | Where-Object { $_.status.name -eq 'On hold' }
        $onHold.count_id | Should -Be @($expected).Count
        $onHold.sum_bid | Should -Be ($expected | Measure-Object bid -Sum).Sum
    }

    It 'keep a selected grouped path where the select puts it, and may be ordered by an aggregate' {
        $groups = @(Invoke-FtrackQuery 'select count(id), status.name, max(bid) from Task group by status.name order by count_id desc')
        $groups[0].PSObject.Properties.Name | Should -Be @('count_id', 'status.name', 'max_bid')
        $groups.count_id | Should -Be @($groups.count_id | Sort-Object -Descending)
    }

    It 'show as a table of their columns, even six of them' {
        $text = Invoke-FtrackQuery 'select status.name, count(id), sum(bid), avg(bid), min(bid), max(bid) from Task group by status.name' | Out-String -Width 200
        $text | Should -Match '(?m)^status\.name\s+count_id\s+sum_bid\s+avg_bid\s+min_bid\s+max_bid\s*$'
        $text | Should -Match '(?m)^On hold\s+\d+\s+\d+'
        $text | Should -Not -Match '(?m)^Key\s+Value'
    }

    It 'are ordered hashtables with -AsHashtable' {
        $groups = @(Invoke-FtrackQuery 'select count(id) from Task group by status.name' -AsHashtable)
        $groups[0] | Should -BeOfType [System.Collections.Specialized.OrderedDictionary]
        @($groups[0].Keys) | Should -Be @('status.name', 'count_id')
        ($groups | ForEach-Object { $_.count_id } | Measure-Object -Sum).Sum | Should -Be $tasks.Count
    }
}
