BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'support/TestServers.psm1') -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:stub = Start-FtrackStub -N 1000
    Connect-Ftrack -Server $stub.Url -Credential (New-TestCredential)
    $script:expr = 'select id, name, description, bid, start_date, end_date, created_at, status.name, status.color, type.name, priority.name, parent.name, parent.parent.name, project.name from Task'
}

AfterAll {
    Disconnect-Ftrack
    $stub.Process.Kill()
}

Describe 'Invoke-FtrackQuery' {
    It 'returns every row across pages, in order, as Ftrack.Entity objects' {
        $all = Invoke-FtrackQuery $expr -PageSize 0
        $paged = Invoke-FtrackQuery $expr -PageSize 150
        $paged | Should -HaveCount 1000
        ($paged.id -join ',') | Should -Be ($all.id -join ',')
        # The select's own type name comes first (its table shows the selected columns).
        $paged[0].PSTypeNames[0] | Should -BeLike 'Ftrack.Entity#Select#*'
        $paged[0].PSTypeNames[1] | Should -Be 'Ftrack.Entity#Task'
        $paged[0].PSTypeNames[2] | Should -Be 'Ftrack.Entity'
        $paged[0].__entity_type__ | Should -Be 'Task'
    }

    It 'merges references: shared entities are the same object, also across pages' {
        $tasks = Invoke-FtrackQuery $expr -PageSize 150
        [object]::ReferenceEquals($tasks[0].project, $tasks[999].project) | Should -BeTrue
        $tasks[0].project -eq $tasks[999].project | Should -BeTrue
        $statuses = $tasks.status | Sort-Object -Unique { [Runtime.CompilerServices.RuntimeHelpers]::GetHashCode($_) }
        $statuses | Should -HaveCount 10
        $statuses.name | Should -Not -Contain $null
        $tasks[0].parent.parent.name | Should -Match '^sq'
        $tasks[0].parent.parent.project.name | Should -Be $tasks[0].project.name
    }

    It 'decodes datetimes to UTC DateTime values (the server reports timezone support)' {
        $task = Invoke-FtrackQuery $expr -First 1
        $task.created_at | Should -BeOfType [datetime]
        $task.created_at.Kind | Should -Be 'Utc'
        $task.description | Should -BeOfType [string]
    }

    It 'stops fetching when the pipeline stops' {
        $session = Get-FtrackSession
        $before = $session.RequestCount
        $rows = Invoke-FtrackQuery $expr -PageSize 100 | Select-Object -First 5
        $rows | Should -HaveCount 5
        Start-Sleep -Milliseconds 300
        # The page being read, plus at most the one fetched ahead of it; never all ten.
        ($session.RequestCount - $before) | Should -BeLessOrEqual 2
    }

    It 'honours -Skip and -First, and the expression''s own offset and limit' {
        $all = Invoke-FtrackQuery $expr -PageSize 0
        $page = Invoke-FtrackQuery $expr -Skip 10 -First 25 -PageSize 7
        ($page.id -join ',') | Should -Be ($all[10..34].id -join ',')
        $own = Invoke-FtrackQuery "$expr offset 20 limit 15" -PageSize 4
        ($own.id -join ',') | Should -Be ($all[20..34].id -join ',')
    }

    It 'reports the total count when it reached the end' {
        $out = Invoke-FtrackQuery $expr -Skip 990 -IncludeTotalCount -PageSize 100
        ($out | Where-Object { $_.__entity_type__ -eq 'Task' }) | Should -HaveCount 10
        $total = $out | Select-Object -Last 1
        $total.__entity_type__ | Should -BeNullOrEmpty          # the count object, not a row
        [uint64]$total | Should -Be 1000
    }

    It 'takes expressions from the pipeline' {
        $rows = "$expr limit 3", "$expr offset 3 limit 2" | Invoke-FtrackQuery
        $rows | Should -HaveCount 5
    }

    It 'emits ordered hashtables with -AsHashtable, keeping shared entities shared' {
        $rows = Invoke-FtrackQuery $expr -First 40 -AsHashtable
        $rows[0] | Should -BeOfType [System.Collections.Specialized.OrderedDictionary]
        $rows[0]['__entity_type__'] | Should -Be 'Task'
        [object]::ReferenceEquals($rows[0]['project'], $rows[39]['project']) | Should -BeTrue
        ($rows[0] | ConvertTo-Json -Depth 5) | Should -Match '"project"'
    }

    It 'formats a select with its columns, tasks with their own view, and any other entity as type, name and id' {
        $tasks = Invoke-FtrackQuery $expr -First 2
        $tasks | Format-Table | Out-String -Width 400 | Should -Match 'id\s+name\s+description\s+bid\s+start_date'
        $tasks[0].PSObject.TypeNames.RemoveAt(0)
        $tasks[0] | Format-Table | Out-String -Width 200 | Should -Match 'Name\s+Parent\s+Type\s+Status\s+Priority'
        $text = $tasks.priority | Format-Table | Out-String -Width 200
        $text | Should -Match 'Type\s+Name\s+Id'
        $text | Should -Match 'Priority'
    }
}

Describe 'Get-FtrackSchema and Get-FtrackServerInformation' {
    It 'lists schemas, filters by name and wildcard, and completes entity types' {
        (Get-FtrackSchema).Count | Should -Be 116
        (Get-FtrackSchema -EntityType Task).PrimaryKey | Should -Be @('id')
        (Get-FtrackSchema -EntityType 'Asset*').Id | Should -Contain 'AssetVersion'
        (Get-FtrackSchema Metadata).PrimaryKey | Should -Be @('parent_id', 'key')
        $completion = TabExpansion2 -inputScript 'Get-FtrackSchema -EntityType AssetV' -cursorColumn 34
        $completion.CompletionMatches.CompletionText | Should -Contain 'AssetVersion'
    }

    It 'reports an unknown type as a non-terminating error' {
        Get-FtrackSchema NoSuchType -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.UnknownEntityType,Ftrack.Cmdlets.GetFtrackSchemaCommand'
    }

    It 'shows the server information' {
        $info = Get-FtrackServerInformation
        $info.version | Should -Be 'dev'
        $info.is_timezone_support_enabled | Should -BeTrue
        $info.schema_hash | Should -Match '^[0-9a-f]{32}$'
    }
}

Describe 'The shared benchmark stub at N = 50,000' {
    BeforeAll {
        $script:big = Start-FtrackStub -N 50000
        $script:bigSession = Connect-Ftrack -Server $big.Url -Credential (New-TestCredential) -PassThru
    }
    AfterAll { $big.Process.Kill() }

    It 'returns 50,000 tasks whose 10 statuses are 10 objects and whose dates are DateTimes' {
        $tasks = Invoke-FtrackQuery $expr -Session $bigSession
        $tasks | Should -HaveCount 50000
        ($tasks.status | Sort-Object -Unique { [Runtime.CompilerServices.RuntimeHelpers]::GetHashCode($_) }) | Should -HaveCount 10
        ($tasks.created_at | Where-Object { $_ -isnot [datetime] }) | Should -BeNullOrEmpty
        ($tasks.start_date | Where-Object { $_ -isnot [datetime] }) | Should -BeNullOrEmpty
    }
}

Describe 'A single result' {
    BeforeAll { Connect-Ftrack -Server $stub.Url -Credential (New-TestCredential) }
    It 'indexes as itself, as any PowerShell object does' {
        $one = Invoke-FtrackQuery "$expr limit 1"
        $one[0].id | Should -Be $one.id
        $one[0].id | Should -Not -BeNullOrEmpty
    }
}
