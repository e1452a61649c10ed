# What writes are checked for before sending (issue #15, item 6): a create lacking required
# attributes is refused naming all of them at once (not one per round trip), without demanding
# what the server fills in itself; references to lookup entities may be given by name, resolved
# with one query per type per command, refused with the valid names when unknown or ambiguous.
BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:server = Start-FtrackLocalServer -Seed Demo
    $script:session = $server | Connect-Ftrack -PassThru
    $script:project = Invoke-FtrackQuery 'select name from Project where name is "sintel_redux"'
    $script:shot = Invoke-FtrackQuery 'select name from Shot' -First 1
    # Runs a write; returns its output, its first error and how many requests it sent.
    function Invoke-Write([scriptblock] $Write) {
        $before = $session.RequestCount
        # Errors are collected, not thrown (Pester runs tests with $ErrorActionPreference = 'Stop').
        $results = & { $ErrorActionPreference = 'Continue'; & $Write 2>&1 }
        [pscustomobject]@{
            Output = $results | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }
            Error  = $results | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Select-Object -First 1
            Sent   = $session.RequestCount - $before
        }
    }
}

AfterAll {
    Get-FtrackBatch | Undo-FtrackBatch
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

Describe 'Required attributes' {
    It 'names every missing attribute at once, relation and foreign key alike, and sends nothing' {
        $r = Invoke-Write { New-FtrackEntity Task @{ name = 'lonely' } }
        $r.Sent | Should -Be 0
        $r.Error.FullyQualifiedErrorId | Should -Be 'Ftrack.MissingRequiredAttribute,Ftrack.Cmdlets.NewFtrackEntityCommand'
        $r.Error.Exception.Message | Should -Match '^A Task needs type \(or type_id\) and parent \(or parent_id\)'
    }

    It 'takes a relation or its foreign key for what is required' {
        $animation = Invoke-FtrackQuery 'select name from Type where name is "Animation"'
        $byObject = Invoke-Write { New-FtrackEntity Task @{ name = 'by-object'; parent = $shot; type = $animation } }
        $byId = Invoke-Write { New-FtrackEntity Task @{ name = 'by-id'; parent_id = $shot.id; type_id = $animation.id } }
        $byObject.Error, $byId.Error | Should -BeNullOrEmpty
        $byObject.Sent, $byId.Sent | Should -Be 1, 1
    }

    It 'does not demand what the server fills in: <Type>' -ForEach @(
        @{ Type = 'Sequence'; Values = { @{ name = 'SQ_MIN'; parent = $project } } }
        @{ Type = 'Project'; Values = { @{ name = 'minimal'; project_schema = (Invoke-FtrackQuery 'select name from ProjectSchema' -First 1) } } }
        @{ Type = 'Status'; Values = { @{ name = 'Blocked' } } }
        @{ Type = 'Note'; Values = { @{ content = 'hello'; parent_id = $shot.id; parent_type = 'TypedContext' } } }
    ) {
        $values = & $Values
        $r = Invoke-Write { New-FtrackEntity $Type $values }
        $r.Error | Should -BeNullOrEmpty
        $r.Output.__entity_type__ | Should -Be $Type
    }

    It 'is checked inside a batch before queuing' {
        Start-FtrackBatch | Out-Null
        try {
            $r = Invoke-Write { New-FtrackEntity Sequence @{ name = 'no-parent' } }
            $r.Error.FullyQualifiedErrorId | Should -Be 'Ftrack.MissingRequiredAttribute,Ftrack.Cmdlets.NewFtrackEntityCommand'
            (Get-FtrackBatch).Count | Should -Be 0
        }
        finally { Undo-FtrackBatch }
    }
}

Describe 'References by name' {
    It 'resolves status, type and priority given by name' {
        $r = Invoke-Write { New-FtrackEntity Task @{ name = 'named'; parent = $shot; type = 'Animation'; status = 'Approved'; priority = 'High' } }
        $r.Error | Should -BeNullOrEmpty
        $r.Output.status.name | Should -Be 'Approved'
        $stored = Invoke-FtrackQuery "select status.name, type.name, priority.name from Task where id is '$($r.Output.id)'"
        $stored.status.name, $stored.type.name, $stored.priority.name | Should -Be 'Approved', 'Animation', 'High'
    }

    It 'reads each lookup type once per command: 20 updates naming two types cost two queries and the batch' {
        $tasks = Invoke-FtrackQuery 'select name from Task order by name' -First 20
        $r = Invoke-Write { Invoke-FtrackBatch { $tasks | Set-FtrackEntity -Property @{ status = 'Approved'; priority = 'Low' } } }
        $r.Error | Should -BeNullOrEmpty
        $r.Sent | Should -Be 3
        (Invoke-FtrackQuery "select status.name from Task where id in ($(($tasks.id | ForEach-Object { "'$_'" }) -join ', '))").status.name |
            Sort-Object -Unique | Should -Be 'Approved'
    }

    It 'queues the resolved entity in a batch' {
        $task = Invoke-FtrackQuery 'select name from Task' -First 1
        Start-FtrackBatch | Out-Null
        try {
            $task | Set-FtrackEntity -Property @{ status = 'On hold' }
            $queued = (Get-FtrackBatch).Operations[0].Data['status']
            $queued.GetEntityType() | Should -Be 'Status'
            $queued.GetValue('name') | Should -Be 'On hold'
        }
        finally { Undo-FtrackBatch }
    }

    It 'resolves a user by username' {
        $task = Invoke-FtrackQuery 'select name from Task' -First 1
        $r = Invoke-Write { New-FtrackEntity Timelog @{ user = 'akira.tanaka'; context = $task; start = [datetime]::UtcNow; duration = 600 } }
        $r.Error | Should -BeNullOrEmpty
        (Invoke-FtrackQuery "select user.username from Timelog where id is '$($r.Output.id)'").user.username | Should -Be 'akira.tanaka'
    }

    It 'refuses an unknown name with a suggestion and the valid names, writing nothing' {
        $task = Invoke-FtrackQuery 'select name from Task' -First 1
        $r = Invoke-Write { $task | Set-FtrackEntity -Property @{ status = 'Aproved' } }
        $r.Sent | Should -Be 1    # the statuses were read; nothing was written
        $r.Error.FullyQualifiedErrorId | Should -Be 'Ftrack.UnknownName,Ftrack.Cmdlets.SetFtrackEntityCommand'
        $r.Error.Exception.Message | Should -Match "Task\.status: no Status is named 'Aproved'\. Did you mean 'Approved'\?"
        $r.Error.Exception.Message | Should -Match 'Valid names: .*In progress'
    }

    It 'refuses a name several entities have' {
        1..2 | ForEach-Object { New-FtrackEntity NoteCategory @{ name = 'Twice' } } | Out-Null
        $r = Invoke-Write { New-FtrackEntity Note @{ content = 'x'; parent_id = $shot.id; parent_type = 'TypedContext'; category = 'Twice' } }
        $r.Error.FullyQualifiedErrorId | Should -Be 'Ftrack.AmbiguousMatch,Ftrack.Cmdlets.NewFtrackEntityCommand'
        $r.Error.Exception.Message | Should -Match "2 NoteCategory entities are named 'Twice'"
    }

    It 'says what a reference of another type takes instead of the server''s JSON advice' {
        $r = Invoke-Write { New-FtrackEntity Sequence @{ name = 'SQ_TEXT'; parent = $project.id } }
        $r.Sent | Should -Be 0
        $r.Error.FullyQualifiedErrorId | Should -Be 'Ftrack.InvalidAttributeValue,Ftrack.Cmdlets.NewFtrackEntityCommand'
        $r.Error.Exception.Message | Should -Match 'Sequence\.parent takes a Context entity .*or its id as parent_id'
    }
}
