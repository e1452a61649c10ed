BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:server = Start-FtrackLocalServer -Seed Empty
    $script:session = $server | Connect-Ftrack -PassThru
    $script:schemaId = (Invoke-FtrackQuery 'select id from ProjectSchema' -First 1).id
    $script:types = @{}
    Invoke-FtrackQuery 'select name from Type' | ForEach-Object { $types[$_.name] = $_ }
    $script:statuses = @{}
    Invoke-FtrackQuery 'select name from Status' | ForEach-Object { $statuses[$_.name] = $_ }
    function New-TestProject([string] $Name) {
        New-FtrackEntity Project @{ name = $Name; full_name = "Test $Name"; project_schema_id = $schemaId }
    }
}

AfterAll {
    Get-FtrackBatch | Undo-FtrackBatch
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

Describe 'New-FtrackEntity' {
    It 'creates an entity and returns it, id known, as queries return entities' {
        $project = New-TestProject 'alpha'
        $project.PSTypeNames[0] | Should -Be 'Ftrack.Entity#Project'
        $project.id | Should -Match '^[0-9a-f-]{36}$'
        $found = Invoke-FtrackQuery "select name, full_name from Project where id is '$($project.id)'"
        $found.name | Should -Be 'alpha'
    }

    It 'creates one entity per pipeline input, from hashtables and CSV rows' {
        $project = New-TestProject 'csv'
        $csv = "name`nSQ010`nSQ020`nSQ030" | ConvertFrom-Csv
        $sequences = $csv | ForEach-Object { @{ name = $_.name; parent = $project } } | New-FtrackEntity Sequence
        $sequences | Should -HaveCount 3
        $rows = $csv | Select-Object @{ n = 'name'; e = { "$($_.name)_B" } }, @{ n = 'parent_id'; e = { $project.id } } | New-FtrackEntity Sequence
        $rows | Should -HaveCount 3
        (Invoke-FtrackQuery "select name from Sequence where project.id is '$($project.id)'") | Should -HaveCount 6
    }

    It 'refuses an unknown attribute before sending, listing the valid names' {
        $before = $session.RequestCount
        New-FtrackEntity Sequence @{ nmae = 'x' } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.UnknownAttribute,Ftrack.Cmdlets.NewFtrackEntityCommand'
        $err[0].Exception.Message | Should -Match "Did you mean 'name'"
        $err[0].Exception.Message | Should -Match 'Valid attributes: .*parent_id'
        $session.RequestCount | Should -Be $before
    }

    It 'supports -WhatIf' {
        $before = $session.RequestCount
        $result = New-FtrackEntity Project @{ name = 'whatif'; project_schema_id = $schemaId } -WhatIf
        $result | Should -BeNullOrEmpty
        $session.RequestCount | Should -Be $before
    }
}

Describe 'Values from CSV rows and raw operations' {
    It 'turns CSV text into numbers where the schema says number, and refuses what is not one' {
        $project = New-TestProject 'csv-types'
        $shot = New-FtrackEntity Shot @{ name = 'SH'; parent = $project }
        $rows = "name,bid`nanim,3600.5`nlight," | ConvertFrom-Csv |
            Select-Object name, bid, @{ n = 'parent_id'; e = { $shot.id } }, @{ n = 'type_id'; e = { $types['Animation'].id } }
        $tasks = $rows | New-FtrackEntity Task
        $tasks | Should -HaveCount 2
        (Invoke-FtrackQuery "select bid from Task where id is '$($tasks[0].id)'").bid | Should -Be 3600.5
        New-FtrackEntity Task @{ name = 'x'; parent = $shot; type = $types['Animation']; bid = 'lots' } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.InvalidAttributeValue,Ftrack.Cmdlets.NewFtrackEntityCommand'
    }

    It 'sends entities nested in a raw operation as references' {
        $project = New-TestProject 'raw'
        $result = Invoke-FtrackOperation @{ action = 'create'; entity_type = 'Sequence'; entity_data = @{ name = 'RAW'; parent = $project } }
        (Invoke-FtrackQuery "select name, parent.id from Sequence where project.id is '$($project.id)'").parent.id | Should -Be $project.id
    }

    It 'shows only attributes to Format-List * and Export-Csv' {
        $project = New-TestProject 'columns'
        $text = $project | Format-List * | Out-String
        $text | Should -Not -Match 'Shape|LoadedCount|PrimaryKeyValues'
        $csv = $project | Select-Object * | ConvertTo-Csv | Select-Object -First 1
        $csv | Should -Not -Match 'Shape|LoadedCount'
        $csv | Should -Match '"name"'
    }
}

Describe 'Get-or-create with -IdentifyingProperty' {
    It 'creates once, then finds the same entity and sends no update' {
        $project = New-TestProject 'ensure'
        $first = New-FtrackEntity Sequence @{ name = 'SQ "quoted" \ name'; parent = $project; description = 'one' } -IdentifyingProperty name, parent
        $before = $session.RequestCount
        $verbose = New-FtrackEntity Sequence @{ name = 'SQ "quoted" \ name'; parent = $project; description = 'one' } -IdentifyingProperty name, parent -Verbose 4>&1
        $second = $verbose | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $second.id | Should -Be $first.id
        ($session.RequestCount - $before) | Should -Be 1   # the lookup only: no create, no update
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Not -Match 'update'
    }

    It 'updates only what differs, and fails clearly when several match' {
        $project = New-TestProject 'ensure2'
        $first = New-FtrackEntity Sequence @{ name = 'SQ1'; parent = $project; description = 'one' } -IdentifyingProperty name, parent
        $updated = New-FtrackEntity Sequence @{ name = 'SQ1'; parent = $project; description = 'two' } -IdentifyingProperty name, parent
        $updated.id | Should -Be $first.id
        (Invoke-FtrackQuery "select description from Sequence where id is '$($first.id)'").description | Should -Be 'two'
        # Siblings' names are unique (as on a real server): two sequences share a description instead.
        New-FtrackEntity Sequence @{ name = 'dup1'; description = 'dup'; parent = $project } | Out-Null
        New-FtrackEntity Sequence @{ name = 'dup2'; description = 'dup'; parent = $project } | Out-Null
        New-FtrackEntity Sequence @{ name = 'dup3'; description = 'dup'; parent = $project } -IdentifyingProperty description, parent -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.AmbiguousMatch,Ftrack.Cmdlets.NewFtrackEntityCommand'
    }
}

Describe 'Set-FtrackEntity, Remove-FtrackEntity, Get-FtrackEntity' {
    It 'updates from the pipeline, sending only the given attributes' {
        $project = New-TestProject 'set'
        $seq = New-FtrackEntity Sequence @{ name = 'SQ'; parent = $project; description = 'before' }
        $seq | Set-FtrackEntity -Property @{ description = 'after' }
        (Invoke-FtrackQuery "select description, name from Sequence where id is '$($seq.id)'").description | Should -Be 'after'
        $seq.description | Should -Be 'after'
    }

    It 'refuses an immutable attribute before sending' {
        $project = New-TestProject 'immutable'
        $before = $session.RequestCount
        $project | Set-FtrackEntity -Property @{ id = [guid]::NewGuid().ToString() } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.ImmutableAttribute,Ftrack.Cmdlets.SetFtrackEntityCommand'
        $session.RequestCount | Should -Be $before
    }

    It 'gets entities by id in one request per 200 ids and reports missing ones' {
        $project = New-TestProject 'get'
        $seqs = 1..5 | ForEach-Object { @{ name = "S$_"; parent = $project } } | New-FtrackEntity Sequence
        $before = $session.RequestCount
        $got = @($seqs.id) + 'no-such-id' | Get-FtrackEntity Sequence -Property name -ErrorVariable err -ErrorAction SilentlyContinue
        $got | Should -HaveCount 5
        ($session.RequestCount - $before) | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.EntityNotFound,Ftrack.Cmdlets.GetFtrackEntityCommand'
    }

    It 'deletes with -Force, and a context''s descendants with it' {
        $project = New-TestProject 'remove'
        $seq = New-FtrackEntity Sequence @{ name = 'SQ'; parent = $project }
        New-FtrackEntity Shot @{ name = 'SH'; parent = $seq } | Out-Null
        $seq | Remove-FtrackEntity -Force
        Invoke-FtrackQuery "select id from Shot where project.id is '$($project.id)'" | Should -BeNullOrEmpty
        Invoke-FtrackQuery "select id from Sequence where id is '$($seq.id)'" | Should -BeNullOrEmpty
    }

    It 'does not delete under -WhatIf even with -Force' {
        $project = New-TestProject 'whatif-remove'
        $project | Remove-FtrackEntity -Force -WhatIf
        Invoke-FtrackQuery "select id from Project where id is '$($project.id)'" | Should -HaveCount 1
    }
}

Describe 'Batches' {
    It 'builds a project with 3 sequences, 30 shots and 120 tasks in one request' {
        $batch = Start-FtrackBatch -PassThru
        $project = New-TestProject 'hierarchy'
        $taskTypes = 'Animation', 'Lighting', 'Compositing', 'FX'
        foreach ($s in 1..3) {
            $seq = New-FtrackEntity Sequence @{ name = "SQ$s"; parent = $project }
            foreach ($h in 1..10) {
                $shot = New-FtrackEntity Shot @{ name = "SQ${s}_SH$h"; parent = $seq }
                foreach ($t in $taskTypes) { New-FtrackEntity Task @{ name = $t.ToLower(); parent = $shot; type = $types[$t]; status = $statuses['In progress'] } | Out-Null }
            }
        }
        (Get-FtrackBatch).Count | Should -Be 154
        $before = $session.RequestCount
        $created = Submit-FtrackBatch
        ($session.RequestCount - $before) | Should -Be 1
        $created | Should -HaveCount 154
        Get-FtrackBatch | Should -BeNullOrEmpty

        $tasks = Invoke-FtrackQuery "select name, parent.name, parent.parent.name, type.name, status.name from Task where project.id is '$($project.id)'"
        $tasks | Should -HaveCount 120
        ($tasks | Where-Object { $_.parent.name -notlike "$($_.parent.parent.name)_SH*" }) | Should -BeNullOrEmpty
        ($tasks.type.name | Sort-Object -Unique) | Should -Be @('Animation', 'Compositing', 'FX', 'Lighting')
        ($tasks.status.name | Sort-Object -Unique) | Should -Be 'In progress'
    }

    It 'leaves no trace when its last operation is invalid, names that operation, and stays open' {
        $project = New-TestProject 'rollback'
        Start-FtrackBatch | Out-Null
        $seq = New-FtrackEntity Sequence @{ name = 'SQ_GONE'; parent = $project }
        # Complete as far as the client can tell; only the server knows the parent does not exist.
        New-FtrackEntity Task @{ name = 'no such parent'; parent_id = [guid]::NewGuid().ToString(); type = $types['Animation'] } | Out-Null
        try {
            { Submit-FtrackBatch } | Should -Throw
            $Error[0].Exception.Message | Should -Match 'operation 1 of 2 \(create Task'
            $Error[0].Exception.FailedOperationIndex | Should -Be 1
            Invoke-FtrackQuery "select id from Sequence where id is '$($seq.id)'" | Should -BeNullOrEmpty
            (Get-FtrackBatch).Count | Should -Be 2
        }
        finally { Undo-FtrackBatch }
        Get-FtrackBatch | Should -BeNullOrEmpty
    }

    It 'folds updates into creates and drops a create that is deleted' {
        $project = New-TestProject 'fold'
        $batch = Start-FtrackBatch -PassThru
        $a = New-FtrackEntity Sequence @{ name = 'A'; parent = $project }
        $a | Set-FtrackEntity -Property @{ description = 'first' }
        $a | Set-FtrackEntity -Property @{ description = 'last' }
        $b = New-FtrackEntity Sequence @{ name = 'B'; parent = $project }
        $b | Remove-FtrackEntity -Force
        $folded = $batch.Folded()
        $folded | Should -HaveCount 1
        $folded[0].Data['description'] | Should -Be 'last'
        Submit-FtrackBatch | Out-Null
        (Invoke-FtrackQuery "select name, description from Sequence where project.id is '$($project.id)'").description | Should -Be 'last'
    }

    It 'warns on an empty batch, refuses a second Start and a second Submit' {
        Start-FtrackBatch | Out-Null
        { Start-FtrackBatch } | Should -Throw -ErrorId 'Ftrack.BatchAlreadyOpen,Ftrack.Cmdlets.StartFtrackBatchCommand'
        Submit-FtrackBatch -WarningVariable warn 3>$null
        $warn | Should -Match 'empty'
        { Submit-FtrackBatch } | Should -Throw -ErrorId 'Ftrack.NoBatch,Ftrack.Cmdlets.SubmitFtrackBatchCommand'
    }

    It 'lists the operations under -WhatIf without sending' {
        $project = New-TestProject 'whatif-batch'
        Start-FtrackBatch | Out-Null
        New-FtrackEntity Sequence @{ name = 'W'; parent = $project } | Out-Null
        $before = $session.RequestCount
        Submit-FtrackBatch -WhatIf
        $session.RequestCount | Should -Be $before
        (Get-FtrackBatch).Count | Should -Be 1
        Undo-FtrackBatch
    }

    It 'updates 1,000 tasks from the pipeline in one request' {
        $project = New-TestProject 'bulk'
        $shot = New-FtrackEntity Shot @{ name = 'SH'; parent = $project }
        Invoke-FtrackBatch { 1..1000 | ForEach-Object { @{ name = "t$_"; parent = $shot; type = $types['Animation'] } } | New-FtrackEntity Task | Out-Null }
        $tasks = Invoke-FtrackQuery "select name from Task where parent.id is '$($shot.id)'"
        $tasks | Should -HaveCount 1000
        Start-FtrackBatch | Out-Null
        $tasks | Set-FtrackEntity -Property @{ status = $statuses['Approved'] }
        $before = $session.RequestCount
        Submit-FtrackBatch | Should -HaveCount 1000
        ($session.RequestCount - $before) | Should -Be 1
        (Invoke-FtrackQuery "select status.name from Task where parent.id is '$($shot.id)'").status.name | Sort-Object -Unique | Should -Be 'Approved'
    }

    It 'Invoke-FtrackBatch discards everything when the script block throws' {
        $project = New-TestProject 'scriptblock'
        { Invoke-FtrackBatch { New-FtrackEntity Sequence @{ name = 'never'; parent = $project } | Out-Null; throw 'stop' } } | Should -Throw
        Get-FtrackBatch | Should -BeNullOrEmpty
        Invoke-FtrackQuery "select id from Sequence where project.id is '$($project.id)'" | Should -BeNullOrEmpty
    }
}

Describe 'Encoding' {
    It 'round-trips dates exactly and sends entities as references' {
        $project = New-TestProject 'dates'
        $start = [datetime]::new(2026, 11, 28, 10, 39, 0, [DateTimeKind]::Utc)
        $seq = New-FtrackEntity Sequence @{ name = 'D'; parent = $project; start_date = $start } -Debug 5>&1 |
            ForEach-Object { if ($_ -is [System.Management.Automation.DebugRecord]) { $script:debug += $_.Message + "`n" } else { $_ } }
        $script:debug | Should -Match '"parent":\{"__entity_type__":"Project","id":"[0-9a-f-]{36}"\}'
        $script:debug | Should -Match '"start_date":\{"__type__":"datetime","value":"2026-11-28T10:39:00"\}'
        $back = Invoke-FtrackQuery "select start_date from Sequence where id is '$($seq.id)'"
        $back.start_date | Should -Be $start
        $back.start_date.Kind | Should -Be 'Utc'
        # A Local value is converted to the server's UTC first (Sequence dates are immutable: use a Task).
        $task = New-FtrackEntity Task @{ name = 'dated'; parent = $seq; type = $types['Animation'] }
        $local = [datetime]::new(2026, 1, 2, 3, 4, 5, [DateTimeKind]::Local)
        $task | Set-FtrackEntity -Property @{ end_date = $local }
        (Invoke-FtrackQuery "select end_date from Task where id is '$($task.id)'").end_date | Should -Be $local.ToUniversalTime()
        { $seq | Set-FtrackEntity -Property @{ end_date = $local } -ErrorAction Stop } | Should -Throw -ErrorId 'Ftrack.ImmutableAttribute,Ftrack.Cmdlets.SetFtrackEntityCommand'
    }

    It 'never turns a string that looks like a date into a date' {
        $project = New-TestProject 'strings'
        $seq = New-FtrackEntity Sequence @{ name = '2026-11-28T10:39:00'; parent = $project }
        (Invoke-FtrackQuery "select name from Sequence where id is '$($seq.id)'").name | Should -BeOfType [string]
    }
}
