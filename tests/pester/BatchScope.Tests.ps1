# A batch belongs to the runspace that opened it, never to the session (issue #16): runspaces
# sharing one session each batch their own writes, and raw writes take part in batches.
BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'support/TestServers.psm1') -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:server = Start-FtrackLocalServer -Seed Empty
    $script:session = $server | Connect-Ftrack -PassThru
    $script:schemaId = (Invoke-FtrackQuery 'select id from ProjectSchema' -First 1).id
    function New-TestProject([string] $Name) {
        New-FtrackEntity Project @{ name = $Name; full_name = $Name; project_schema_id = $schemaId }
    }
}

AfterAll {
    Get-FtrackBatch | Undo-FtrackBatch
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

Describe 'Batches in parallel runspaces on one session' {
    It 'lose nothing: 8 parallel Invoke-FtrackBatch blocks of 25 creates make 200 sequences, in 8 requests' {
        $project = New-TestProject 'parallel-batches'
        $before = $session.RequestCount
        $results = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
            Import-Module $using:env:FTRACK_MODULE_PATH
            $block = $_
            $project = $using:project
            $created = Invoke-FtrackBatch -Session $using:session {
                1..25 | ForEach-Object { New-FtrackEntity Sequence @{ name = "B$block-S$_"; parent = $project } }
            }
            [pscustomobject]@{ Block = $block; Count = @($created).Count; Open = @(Get-FtrackBatch).Count }
        }
        $results | Should -HaveCount 8
        $results.Count | Should -Not -Contain 0
        ($results | Measure-Object Count -Sum).Sum | Should -Be 200
        ($results | Measure-Object Open -Sum).Sum | Should -Be 0
        ($session.RequestCount - $before) | Should -Be 8
        $names = (Invoke-FtrackQuery "select name from Sequence where parent.id is '$($project.id)'").name
        $names | Should -HaveCount 200
        foreach ($b in 1..8) { @($names | Where-Object { $_ -like "B$b-*" }) | Should -HaveCount 25 }
    }

    It "never capture another runspace's writes: a batch open here leaves a parallel runspace's writes alone" {
        $project = New-TestProject 'no-capture'
        Start-FtrackBatch | Out-Null
        try {
            New-FtrackEntity Sequence @{ name = 'queued-here'; parent = $project } | Out-Null
            # Another runspace, same session, no batch of its own: its write goes straight to the server.
            1 | ForEach-Object -Parallel {
                Import-Module $using:env:FTRACK_MODULE_PATH
                New-FtrackEntity Sequence @{ name = 'written-there'; parent = $using:project } -Session $using:session | Out-Null
            }
            (Invoke-FtrackQuery "select name from Sequence where parent.id is '$($project.id)'").name | Should -Be 'written-there'
            (Get-FtrackBatch).Count | Should -Be 1
            Submit-FtrackBatch | Out-Null
        }
        finally { Get-FtrackBatch | Undo-FtrackBatch }
        (Invoke-FtrackQuery "select name from Sequence where parent.id is '$($project.id)'").name | Sort-Object | Should -Be @('queued-here', 'written-there')
    }

    It 'refuse a write for another session while a batch is open' {
        $project = New-TestProject 'other-session'
        $first = $server | Connect-Ftrack -PassThru
        $other = $server | Connect-Ftrack -PassThru    # the default now
        Start-FtrackBatch -Session $first | Out-Null
        try {
            New-FtrackEntity Sequence @{ name = 'x'; parent = $project } -Session $other -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
            $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.BatchOnOtherSession,Ftrack.Cmdlets.NewFtrackEntityCommand'
            # Without -Session, commands use the open batch's session, not the default one.
            New-FtrackEntity Sequence @{ name = 'y'; parent = $project } | Out-Null
            (Get-FtrackBatch).Count | Should -Be 1
        }
        finally {
            Get-FtrackBatch | Undo-FtrackBatch
            $first, $other | Disconnect-Ftrack
            $script:session = $server | Connect-Ftrack -PassThru
        }
    }
}

Describe 'Raw writes and batches' {
    It 'queues the writes of Invoke-FtrackOperation into the open batch: one transaction with the rest' {
        $project = New-TestProject 'raw-in-batch'
        $before = $session.RequestCount
        Invoke-FtrackBatch {
            New-FtrackEntity Sequence @{ name = 'typed'; parent = $project } | Out-Null
            Invoke-FtrackOperation @{ action = 'create'; entity_type = 'Sequence'; entity_data = @{ name = 'raw'; parent = $project } } | Out-Null
        }
        ($session.RequestCount - $before) | Should -Be 1
        (Invoke-FtrackQuery "select name from Sequence where parent.id is '$($project.id)'").name | Sort-Object | Should -Be @('raw', 'typed')
    }

    It 'rolls back the raw write with the rest when the batch fails' {
        $project = New-TestProject 'raw-rollback'
        {
            Invoke-FtrackBatch {
                Invoke-FtrackOperation @{ action = 'create'; entity_type = 'Sequence'; entity_data = @{ name = 'raw'; parent = $project } } | Out-Null
                # Complete as far as the client can tell; only the server knows the parent does not exist.
                New-FtrackEntity Task @{ name = 'orphan'; parent_id = [guid]::NewGuid().ToString(); type = 'Animation' } | Out-Null
            }
        } | Should -Throw
        Invoke-FtrackQuery "select name from Sequence where parent.id is '$($project.id)'" | Should -BeNullOrEmpty
    }

    It 'refuses reads mixed with writes while a batch is open, and sends nothing' {
        $project = New-TestProject 'raw-mixed'
        Start-FtrackBatch | Out-Null
        try {
            $before = $session.RequestCount
            {
                Invoke-FtrackOperation @(
                    @{ action = 'query'; expression = 'select id from Project' }
                    @{ action = 'create'; entity_type = 'Sequence'; entity_data = @{ name = 'raw'; parent = $project } }
                ) -ErrorAction Stop
            } | Should -Throw -ErrorId 'Ftrack.InvalidOperation,Ftrack.Cmdlets.InvokeFtrackOperationCommand'
            $session.RequestCount | Should -Be $before
            (Get-FtrackBatch).Count | Should -Be 0
        }
        finally { Get-FtrackBatch | Undo-FtrackBatch }
    }

    It 'sends a raw write outside a batch through the write path: a lost answer is checked, never resent' {
        $faults = Start-FaultServer
        try {
            $faultSession = Connect-Ftrack -Server $faults.Url -Credential (New-TestCredential) -PassThru
            $id = [guid]::NewGuid().ToString()
            {
                Invoke-FtrackOperation @{ action = 'create'; entity_type = 'Project'; entity_data = @{ id = $id; name = 'raw-lost' } } -Session $faultSession -ErrorAction Stop
            } | Should -Throw -ErrorId 'Ftrack.OutcomeUnknown,Ftrack.Cmdlets.InvokeFtrackOperationCommand'
            $Error[0].Exception.Message | Should -Match 'WAS applied'
            $faultSession | Disconnect-Ftrack
        }
        finally { & $faults.Stop }
    }
}
