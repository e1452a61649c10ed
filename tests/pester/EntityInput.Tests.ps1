# What Get-, Set- and Remove-FtrackEntity accept (issue #15, item 1): entity objects, ids with
# -EntityType, hashtables, -AsHashtable rows, [pscustomobject]s and CSV rows with the type and id,
# by value from the pipeline or as -EntityType/-Id. An entity named by type and id is addressed
# without a query; bad input is refused before anything is sent, with an error naming what is missing.
BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:server = Start-FtrackLocalServer -Seed Demo
    $script:session = $server | Connect-Ftrack -PassThru
    function Get-Task([int] $Count = 1) { Invoke-FtrackQuery 'select name, bid, description from Task order by name' -First $Count }
    function Get-Bid([string] $Id) { (Invoke-FtrackQuery "select bid from Task where id is '$Id'").bid }
}

AfterAll {
    Get-FtrackBatch | Undo-FtrackBatch
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

Describe 'Set-FtrackEntity by id' {
    It 'updates an id from the pipeline with -EntityType, in one request and no query' {
        $task = Get-Task
        $before = $session.RequestCount
        $task.id | Set-FtrackEntity -EntityType Task -Property @{ bid = 7 }
        ($session.RequestCount - $before) | Should -Be 1
        Get-Bid $task.id | Should -Be 7
    }

    It 'updates -EntityType with -Id, several ids at once, and returns addressed entities with -PassThru' {
        $tasks = Get-Task 2
        $updated = Set-FtrackEntity -EntityType Task -Id $tasks.id -Property @{ bid = 11 } -PassThru
        $updated | Should -HaveCount 2
        $updated[0].PSTypeNames[0] | Should -Be 'Ftrack.Entity#Task'
        $updated[0].bid | Should -Be 11
        foreach ($t in $tasks) { Get-Bid $t.id | Should -Be 11 }
    }

    It 'refuses an id without a type, saying so, and sends nothing' {
        $task = Get-Task
        $before = $session.RequestCount
        $task.id | Set-FtrackEntity -Property @{ bid = 1 } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.MissingEntityType,Ftrack.Cmdlets.SetFtrackEntityCommand'
        $err[0].Exception.Message | Should -Match ([regex]::Escape($task.id))
        $err[0].Exception.Message | Should -Match '-EntityType'
        $session.RequestCount | Should -Be $before
    }

    It 'keeps an entity object itself (the same object is updated and passed on), also with -EntityType' {
        $task = Get-Task
        $same = $task | Set-FtrackEntity -EntityType Task -Property @{ description = 'kept' } -PassThru
        [object]::ReferenceEquals($same, $task) | Should -BeTrue
        $task.description | Should -Be 'kept'
    }
}

Describe 'Objects that name an entity' {
    It 'takes a [pscustomobject] with __entity_type__ and id, and one with EntityType and Id' {
        $tasks = Get-Task 2
        [pscustomobject]@{ __entity_type__ = 'Task'; id = $tasks[0].id } | Set-FtrackEntity -Property @{ bid = 21 }
        [pscustomobject]@{ EntityType = 'Task'; Id = $tasks[1].id } | Set-FtrackEntity -Property @{ bid = 22 }
        Get-Bid $tasks[0].id | Should -Be 21
        Get-Bid $tasks[1].id | Should -Be 22
    }

    It 'takes CSV rows with only an id column when -EntityType says the type: Import-Csv ids.csv | Set-FtrackEntity' {
        $tasks = Get-Task 3
        $csv = Join-Path $TestDrive 'ids.csv'
        $tasks | Select-Object id | Export-Csv $csv -NoTypeInformation
        $before = $session.RequestCount
        Import-Csv $csv | Set-FtrackEntity -EntityType Task -Property @{ description = 'from csv' }
        ($session.RequestCount - $before) | Should -Be 3
        (Invoke-FtrackQuery "select description from Task where id in ($(($tasks.id | ForEach-Object { "'$_'" }) -join ', '))").description |
            Sort-Object -Unique | Should -Be 'from csv'
    }

    It 'takes hashtables and -AsHashtable rows' {
        $rows = Invoke-FtrackQuery 'select name from Task order by name' -First 2 -AsHashtable
        $rows | Set-FtrackEntity -Property @{ bid = 33 }
        @{ __entity_type__ = 'Task'; id = $rows[0]['id'] } | Set-FtrackEntity -Property @{ bid = 34 }
        Get-Bid $rows[0]['id'] | Should -Be 34
        Get-Bid $rows[1]['id'] | Should -Be 33
    }

    It 'names what is missing: the id, or anything that names an entity' {
        $before = $session.RequestCount
        [pscustomobject]@{ EntityType = 'Task'; name = 'x' } | Set-FtrackEntity -Property @{ bid = 1 } -ErrorVariable noId -ErrorAction SilentlyContinue
        $noId[0].FullyQualifiedErrorId | Should -Be 'Ftrack.MissingKey,Ftrack.Cmdlets.SetFtrackEntityCommand'
        $noId[0].Exception.Message | Should -Match "has no 'id'"
        [pscustomobject]@{ name = 'x' } | Remove-FtrackEntity -Force -ErrorVariable nothing -ErrorAction SilentlyContinue
        $nothing[0].FullyQualifiedErrorId | Should -Be 'Ftrack.NotAnEntity,Ftrack.Cmdlets.RemoveFtrackEntityCommand'
        @{ __entity_type__ = 'Tsak'; id = 'x' } | Remove-FtrackEntity -Force -ErrorVariable badType -ErrorAction SilentlyContinue
        $badType[0].FullyQualifiedErrorId | Should -Be 'Ftrack.UnknownEntityType,Ftrack.Cmdlets.RemoveFtrackEntityCommand'
        $badType[0].Exception.Message | Should -Match "Did you mean 'Task'"
        $session.RequestCount | Should -Be $before
    }
}

Describe 'Remove-FtrackEntity and Get-FtrackEntity by id' {
    It 'deletes by -EntityType and -Id, and by an id from the pipeline' {
        $project = Invoke-FtrackQuery 'select id from Project' -First 1
        $a = New-FtrackEntity Sequence @{ name = 'gone-a'; parent = $project }
        $b = New-FtrackEntity Sequence @{ name = 'gone-b'; parent = $project }
        Remove-FtrackEntity -EntityType Sequence -Id $a.id -Force
        $b.id | Remove-FtrackEntity -EntityType Sequence -Force
        Invoke-FtrackQuery "select id from Sequence where name like 'gone-%'" | Should -BeNullOrEmpty
    }

    It 'gets what CSV rows and objects of several types name, one query per type' {
        $tasks = Get-Task 2
        $shot = Invoke-FtrackQuery 'select name from Shot' -First 1
        $csv = Join-Path $TestDrive 'mixed.csv'
        @(
            [pscustomobject]@{ EntityType = 'Task'; Id = $tasks[0].id }
            [pscustomobject]@{ EntityType = 'Shot'; Id = $shot.id }
            [pscustomobject]@{ EntityType = 'Task'; Id = $tasks[1].id }
        ) | Export-Csv $csv -NoTypeInformation
        $before = $session.RequestCount
        $got = Import-Csv $csv | Get-FtrackEntity -Property name
        ($session.RequestCount - $before) | Should -Be 2
        ($got.id | Sort-Object) | Should -Be (@($tasks.id) + $shot.id | Sort-Object)
    }

    It 'still takes ids from the pipeline with the type as its first argument' {
        $tasks = Get-Task 2
        ($tasks.id | Get-FtrackEntity Task -Property name).name | Should -Be $tasks.name
    }
}

Describe 'Inside a batch' {
    It 'queues an update of an entity named by id, sent with the batch' {
        $task = Get-Task
        Start-FtrackBatch | Out-Null
        try {
            $task.id | Set-FtrackEntity -EntityType Task -Property @{ bid = 44 }
            (Get-FtrackBatch).Count | Should -Be 1
            Get-Bid $task.id | Should -Not -Be 44
            Submit-FtrackBatch | Out-Null
        }
        finally { Get-FtrackBatch | Undo-FtrackBatch }
        Get-Bid $task.id | Should -Be 44
    }
}
