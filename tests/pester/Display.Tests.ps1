# How results look and travel (issue #15, items 2, 3 and the dates of 9): the table of a query shows
# what it selected; nested entities serialize with their loaded attributes; dates show their zone.
# Showing or serializing a result never sends a request.
BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:server = Start-FtrackLocalServer -Seed Demo
    $script:session = $server | Connect-Ftrack -PassThru
    function Show-Text([Parameter(ValueFromPipeline)] $InputObject) { end { @($input) | Out-String -Width 250 } }
    # The header line of the first table in some formatted text.
    function Get-Header([string] $Text) { ($Text -split "`r?`n" | Where-Object { $_.Trim() } | Select-Object -First 1).Trim() }
}

AfterAll {
    Get-FtrackBatch | Undo-FtrackBatch
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

Describe 'The table of a query shows what it selected' {
    It 'has the selected columns, in the query''s order, with values (dates with their zone)' {
        $tasks = Invoke-FtrackQuery 'select name, end_date, bid from Task where end_date is_not None order by name' -First 3
        $text = $tasks | Show-Text
        Get-Header $text | Should -Match '^name\s+end_date\s+bid$'
        $text | Should -Match ([regex]::Escape($tasks[0].name) + '\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s+\d+')
    }

    It 'follows paths through references and collections, and shows a polymorphic result as one table' {
        $text = Invoke-FtrackQuery 'select name, status.name, timelogs.duration from Task where timelogs any (duration > 0)' -First 2 | Show-Text
        Get-Header $text | Should -Match '^name\s+status\.name\s+timelogs\.duration$'
        $mixed = Invoke-FtrackQuery 'select name, parent.name from TypedContext' -First 8 | Show-Text
        @($mixed -split "`r?`n" | Where-Object { $_ -match '^name\s+parent\.name' }) | Should -HaveCount 1
    }

    It 'keeps the per-type views for a query that names no attributes' {
        Get-Header (Invoke-FtrackQuery 'Task' -First 2 | Show-Text) | Should -Match '^Name\s+Parent\s+Type\s+Status\s+Priority\s+Id$'
    }

    It 'gives rows the select''s type name first, then the entity type''s; nested entities keep theirs' {
        $task = Invoke-FtrackQuery 'select name, status.name from Task' -First 1
        $task.PSTypeNames[0] | Should -BeLike 'Ftrack.Entity#Select#*'
        $task.PSTypeNames[1] | Should -Be 'Ftrack.Entity#Task'
        $task.PSTypeNames[2] | Should -Be 'Ftrack.Entity'
        $task.status.PSTypeNames[0] | Should -Be 'Ftrack.Entity#Status'
    }

    It 'never sends a request to show a result, as a table or a list' {
        $tasks = Invoke-FtrackQuery 'select name from Task' -First 3
        $before = $session.RequestCount
        $null = $tasks | Format-Table | Show-Text
        $null = $tasks | Format-List | Show-Text
        $null = $tasks | Show-Text
        $session.RequestCount | Should -Be $before
    }
}

Describe 'Nested entities outside the console' {
    It 'serialize to JSON with their loaded attributes, without loading anything' {
        $task = Invoke-FtrackQuery 'select name, status.name, status.state.name, parent.name from Task' -First 1
        $before = $session.RequestCount
        $json = $task | ConvertTo-Json -Depth 3 | ConvertFrom-Json
        $session.RequestCount | Should -Be $before
        $json.status.name | Should -Be $task.status.name
        $json.status.state.name | Should -Be $task.status.state.name
        $json.status.__entity_type__ | Should -Be 'Status'
        $json.parent.name | Should -Be $task.parent.name
        $json.PSObject.Properties.Name | Should -Not -Contain 'bid'
    }

    It 'serialize collections item by item' {
        $task = Invoke-FtrackQuery 'select name, timelogs.duration from Task where timelogs any (duration > 0)' -First 1
        $json = $task | ConvertTo-Json -Depth 3 | ConvertFrom-Json
        @($json.timelogs.duration) | Should -Be @($task.timelogs.duration)
        @($json.timelogs)[0].__entity_type__ | Should -Be 'Timelog'
    }

    It 'stay finite in a cycle (a shot is among its parent''s children), depth-limited as ConvertTo-Json is' {
        $shot = Invoke-FtrackQuery 'select name, parent.children.name from Shot' -First 1
        [object]::ReferenceEquals(($shot.parent.children | Where-Object id -eq $shot.id), $shot) | Should -BeTrue
        $json = $shot | ConvertTo-Json -Depth 6 -WarningAction SilentlyContinue
        $json.Length | Should -BeLessThan 100000
        ($json | ConvertFrom-Json).parent.children.name | Should -Contain $shot.name
    }

    It 'survive Export-Clixml and Import-Clixml' {
        $task = Invoke-FtrackQuery 'select name, status.name from Task' -First 1
        $file = Join-Path $TestDrive 'task.xml'
        $task | Export-Clixml $file
        (Import-Clixml $file).status.name | Should -Be $task.status.name
    }
}

Describe 'Dates show their zone' {
    It 'in the per-type tables and in the lists of a select, keeping DateTime values' {
        $project = Invoke-FtrackQuery 'select name from Project' -First 1
        $shown = Get-FtrackEntity Project $project.id -Property name, start_date, end_date
        $shown.start_date | Should -BeOfType [datetime]
        $shown.start_date.Kind | Should -Be 'Utc'
        $shown | Show-Text | Should -Match 'sintel_redux\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC'
        $selected = Invoke-FtrackQuery 'select name, start_date from Project where name is "sintel_redux"'
        $selected | Format-List | Show-Text | Should -Match '(?m)^start_date\s+: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s*$'
    }

    It 'as an offset for a local time, so local is told from UTC' {
        $task = Invoke-FtrackQuery 'select name, end_date from Task' -First 1
        $local = [datetime]::new(2026, 7, 1, 12, 0, 0, [DateTimeKind]::Local)
        Start-FtrackBatch | Out-Null
        try {
            $task | Set-FtrackEntity -Property @{ end_date = $local }
            $offset = [TimeZoneInfo]::Local.GetUtcOffset($local)
            $sign = if ($offset -lt [TimeSpan]::Zero) { '-' } else { '+' }
            $task | Format-List | Show-Text | Should -Match ('end_date : 2026-07-01 12:00:00 ' + [regex]::Escape($sign + $offset.ToString('hh\:mm')))
        }
        finally { Undo-FtrackBatch }
    }
}
