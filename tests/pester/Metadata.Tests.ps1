# Metadata (issue #12, module side) over HTTP against the local server: an entity's key → text
# pairs read as a dictionary, written with New-/Set-FtrackEntity -Metadata and inside batches —
# a new key created as the Python client creates it, a known key updated, $null deleting it.
BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:server = Start-FtrackLocalServer -Seed Demo
    $script:session = $server | Connect-Ftrack -PassThru
    $script:sequence = Invoke-FtrackQuery 'select name from Sequence where name is "SQ030"'
    # The metadata rows of an entity as the server has them now: key → row.
    function Get-ServerRows([string] $Id) {
        $rows = @{}
        Invoke-FtrackQuery "select key, value, parent_type from Metadata where parent_id is '$Id'" | ForEach-Object { $rows[$_.key] = $_ }
        $rows
    }
    # The write operations one command sent, from its verbose lines.
    function Get-SentWrites([scriptblock] $Command) {
        (& { $VerbosePreference = 'Continue'; & $Command } 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'POST *' -and $_.Message -notlike '*query*' }).Message
    }
}

AfterAll {
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

Describe 'Reading metadata' {
    It 'reads an entity''s pairs as a dictionary, and loads them once for a whole result when not selected' {
        $shots = Invoke-FtrackQuery 'select name from Shot where parent.name is "SQ010"'
        $before = $session.RequestCount
        $plate = $shots[0].metadata.plate
        $session.RequestCount - $before | Should -Be 1
        $plate | Should -Be '/mnt/plates/SQ010_SH010/plate.%04d.exr'
        $shots[0].metadata['camera'] | Should -Be 'ARRI Alexa 35'
        $shots[0].metadata.Keys | Should -Be @('plate', 'camera')
        $shots[1].metadata.Count | Should -Be 0
        $session.RequestCount - $before | Should -Be 1
    }

    It 'shows and converts as key → value' {
        $shot = Invoke-FtrackQuery 'select name, metadata from Shot where name is "SQ010_SH010"'
        ($shot | Out-String -Width 250) | Should -Match 'plate=/mnt/plates/SQ010_SH010/plate\.%04d\.exr, camera=ARRI Alexa 35'
        ($shot | ConvertTo-Json -Depth 4 | ConvertFrom-Json).metadata.camera | Should -Be 'ARRI Alexa 35'
        (Invoke-FtrackQuery 'select name, metadata from Shot where name is "SQ010_SH010"' -AsHashtable).metadata.camera | Should -Be 'ARRI Alexa 35'
    }
}

Describe 'Writing metadata' {
    It 'creates a new key with the entity''s own type as parent_type, updates a known key, and deletes one set to $null' {
        $shot = New-FtrackEntity Shot @{ name = 'meta'; parent = $sequence }
        $created = Get-SentWrites { $shot | Set-FtrackEntity -Metadata @{ plate = '/mnt/a'; lens = '35mm' } }
        $created | Should -Match 'batch of 2 \(2×create\)'
        $rows = Get-ServerRows $shot.id
        $rows.plate.value | Should -Be '/mnt/a'
        $rows.plate.parent_type | Should -Be 'Shot'

        $updated = Get-SentWrites { $shot | Set-FtrackEntity -Metadata @{ plate = '/mnt/b' } }
        $updated | Should -Match 'update Metadata'
        (Get-ServerRows $shot.id).plate.value | Should -Be '/mnt/b'

        $deleted = Get-SentWrites { $shot | Set-FtrackEntity -Metadata @{ lens = $null } }
        $deleted | Should -Match 'delete Metadata'
        (Get-ServerRows $shot.id).Keys | Should -Be @('plate')
    }

    It 'writes metadata with a create in one request, numbers as text' {
        $before = $session.RequestCount
        $shot = New-FtrackEntity Shot @{ name = 'meta-new'; parent = $sequence } -Metadata @{ plate = '/mnt/new'; frames = 96 }
        $session.RequestCount - $before | Should -Be 1
        $rows = Get-ServerRows $shot.id
        $rows.plate.value | Should -Be '/mnt/new'
        $rows.frames.value | Should -Be '96'
    }

    It 'queues setting and removing keys inside a batch, and shows them at once' {
        $shot = New-FtrackEntity Shot @{ name = 'meta-batch'; parent = $sequence } -Metadata @{ plate = '/mnt/p'; lens = '50mm' }
        $shot = Invoke-FtrackQuery "select name, metadata from Shot where id is '$($shot.id)'"
        Invoke-FtrackBatch {
            $shot.metadata.camera = 'Alexa'
            $shot.metadata.plate = '/mnt/q'
            $shot.metadata.Remove('lens')
            $shot.metadata.Keys | Should -Be @('plate', 'camera')
            $shot.metadata.plate | Should -Be '/mnt/q'
        }
        $rows = Get-ServerRows $shot.id
        $rows.Keys | Sort-Object | Should -Be @('camera', 'plate')
        $rows.plate.value | Should -Be '/mnt/q'
    }

    It 'refuses setting a key outside a batch, and a value that is not text, sending nothing' {
        $shot = Invoke-FtrackQuery 'select name, metadata from Shot where name is "SQ010_SH010"'
        $before = $session.RequestCount
        { $shot.metadata.plate = '/elsewhere' } | Should -Throw '*Set-FtrackEntity -Metadata @{ plate = ... }*' -ErrorId 'Ftrack.NoBatch'
        $shot | Set-FtrackEntity -Metadata @{ plate = @{ path = '/x' } } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.InvalidAttributeValue,Ftrack.Cmdlets.SetFtrackEntityCommand'
        $err[0].Exception.Message | Should -Match "Metadata 'plate' of Shot 'SQ010_SH010' .* is text"
        $session.RequestCount | Should -Be $before
        (Get-ServerRows $shot.id).plate.value | Should -Be '/mnt/plates/SQ010_SH010/plate.%04d.exr'
    }
}
