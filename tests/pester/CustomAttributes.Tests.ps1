# Custom attributes (issue #12, module side) over HTTP against the local server's demo data: read
# as a dictionary (defaults, inherited hierarchical values, loaded once for a whole result), shown
# and completed; written with New-/Set-FtrackEntity -CustomAttribute and inside batches; refused
# before anything is sent when a key or a value is wrong.
BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:server = Start-FtrackLocalServer -Seed Demo
    $script:session = $server | Connect-Ftrack -PassThru

    # The custom attributes of a shot as the server has them now, read by a query of their own.
    function Get-ServerValues([string] $Id) {
        $values = @{}
        Invoke-FtrackQuery "select key, value from CustomAttributeValue where entity_id is '$Id'" | ForEach-Object { $values[$_.key] = $_.value }
        $values
    }
    function Get-Shot([string] $Name) { Invoke-FtrackQuery "select name, custom_attributes from Shot where name is '$Name'" }
    # A new shot of its own for each test that writes, so tests never see each other's values.
    $script:sequence = Invoke-FtrackQuery 'select name from Sequence where name is "SQ030"'
    function New-TestShot([string] $Name) { New-FtrackEntity Shot @{ name = $Name; parent = $sequence } }
    # The configurations are read once per session: read them now, so request counts below are the writes alone.
    New-TestShot 'warm-up' | Set-FtrackEntity -CustomAttribute @{ fps = 24 }
}

AfterAll {
    Get-FtrackBatch | Undo-FtrackBatch
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

Describe 'Reading custom attributes' {
    It 'reads every key that applies, defaults included, by member and by index' {
        $shot = Get-Shot 'SQ010_SH010'
        $shot.custom_attributes.fps | Should -Be 24                     # the configuration's default
        $shot.custom_attributes['fstart'] | Should -Be 1001            # set on the shot
        $shot.custom_attributes.fend | Should -Be 1096
        $shot.custom_attributes.plate_format | Should -Be @('exr')      # an enumerator's default choice
        $shot.custom_attributes.Keys | Should -Be @('fps', 'fstart', 'fend', 'plate_format', 'client_due', 'handles')
        $shot.custom_attributes.Count | Should -Be 6
        @($shot.custom_attributes.GetEnumerator()).Count | Should -Be 6
    }

    It 'reads a hierarchical value inherited from the nearest context above that sets it' {
        (Get-Shot 'SQ010_SH010').custom_attributes.handles | Should -Be 8      # the project's
        (Get-Shot 'SQ020_SH020').custom_attributes.handles | Should -Be 12     # its sequence's
        (Get-Shot 'SQ020_SH010').custom_attributes.handles | Should -Be 4      # its own
    }

    It 'loads them when not selected, once for the whole result' {
        $shots = Invoke-FtrackQuery 'select name from Shot'
        $before = $session.RequestCount
        $frames = $shots | ForEach-Object { $_.custom_attributes.fend - $_.custom_attributes.fstart }
        $session.RequestCount - $before | Should -Be 1
        $frames | Should -Contain 95
        $frames | Should -HaveCount $shots.Count
    }

    It 'shows them as key=value in a table cell, and as Name/Value rows on their own' {
        $shot = Get-Shot 'SQ010_SH010'
        ($shot | Out-String -Width 250) | Should -Match 'fps=24, fstart=1001, fend=1096, plate_format=exr, client_due=, handles=8'
        ($shot.custom_attributes | Out-String) | Should -Match '(?m)^fstart\s+1001\s*$'
        ($shot.custom_attributes | Format-List | Out-String) | Should -Match '(?m)^Name\s+: fend\s*$'
    }

    It 'survives ConvertTo-Json as a key → value object' {
        $json = Get-Shot 'SQ010_SH010' | ConvertTo-Json -Depth 4 | ConvertFrom-Json
        $json.custom_attributes.fstart | Should -Be 1001
        $json.custom_attributes.plate_format | Should -Be @('exr')
    }

    It 'completes its keys after a dot' {
        $shot = Get-Shot 'SQ010_SH010'
        $line = '$shot.custom_attributes.f'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Be @('fps', 'fstart', 'fend')
    }
}

Describe 'Writing custom attributes' {
    It 'creates an entity with its custom attributes in one request' {
        $before = $session.RequestCount
        $shot = New-FtrackEntity Shot @{ name = 'created-with-values'; parent = $sequence } -CustomAttribute @{ fps = 25; fstart = 1009; plate_format = 'dpx' }
        $session.RequestCount - $before | Should -Be 1
        $values = Get-ServerValues $shot.id
        $values.fps | Should -Be 25
        $values.fstart | Should -Be 1009
        $values.plate_format | Should -Be @('dpx')
        $shot.custom_attributes.fstart | Should -Be 1009               # loaded from the server on first read
    }

    It 'sets values with Set-FtrackEntity, and $null puts the default back' {
        $shot = New-TestShot 'set'
        $shot | Set-FtrackEntity -CustomAttribute @{ fend = 1200; client_due = [datetime]::new(2027, 3, 1, 0, 0, 0, [DateTimeKind]::Utc) }
        $values = Get-ServerValues $shot.id
        $values.fend | Should -Be 1200
        $values.client_due | Should -Be ([datetime]::new(2027, 3, 1, 0, 0, 0, [DateTimeKind]::Utc))
        $shot | Set-FtrackEntity -CustomAttribute @{ fend = $null }
        (Get-ServerValues $shot.id).fend | Should -Be 1100
    }

    It 'takes values from CSV text where the type is a number or a boolean' {
        $shot = New-TestShot 'csv'
        'fstart,fend', '1001,1050' | ConvertFrom-Csv | ForEach-Object { $shot | Set-FtrackEntity -CustomAttribute @{ fstart = $_.fstart; fend = $_.fend } }
        (Get-ServerValues $shot.id).fend | Should -Be 1050
    }

    It 'queues them in a batch with the create, and sends the batch as one request' {
        $before = $session.RequestCount
        Start-FtrackBatch
        $shot = New-FtrackEntity Shot @{ name = 'batched'; parent = $sequence } -CustomAttribute @{ fps = 30 }
        $shot | Set-FtrackEntity -CustomAttribute @{ fstart = 990 }
        (Get-FtrackBatch).Count | Should -Be 3
        $session.RequestCount | Should -Be $before
        Submit-FtrackBatch | Out-Null
        $session.RequestCount - $before | Should -Be 1
        $values = Get-ServerValues $shot.id
        $values.fps | Should -Be 30
        $values.fstart | Should -Be 990
    }

    It 'queues setting a key inside a batch, and shows the value at once' {
        $shot = Get-Shot 'SQ010_SH020'
        Invoke-FtrackBatch {
            $shot.custom_attributes.fend = 1160
            $shot.custom_attributes.fend | Should -Be 1160
            (Get-ServerValues $shot.id).fend | Should -Be 1148      # not sent yet
        }
        (Get-ServerValues $shot.id).fend | Should -Be 1160
    }

    It 'discards the batch when a key set inside it is unknown' {
        $shot = Get-Shot 'SQ010_SH030'
        { Invoke-FtrackBatch { $shot.custom_attributes.fps = 25; $shot.custom_attributes.fsp = 25 } } |
            Should -Throw "*discarded*Shot has no custom attribute 'fsp'*" -ErrorId 'Ftrack.BatchDiscarded,Ftrack.Cmdlets.InvokeFtrackBatchCommand'
        $Error[1].FullyQualifiedErrorId | Should -Be 'Ftrack.UnknownCustomAttribute'
        (Get-ServerValues $shot.id).fps | Should -Be 24
    }

    It 'refuses setting a key outside a batch, pointing to Set-FtrackEntity, and sends nothing' {
        $shot = Get-Shot 'SQ010_SH030'
        $before = $session.RequestCount
        { $shot.custom_attributes.fend = 1 } | Should -Throw '*would change only this object*Set-FtrackEntity -CustomAttribute @{ fend = ... }*' -ErrorId 'Ftrack.NoBatch'
        $session.RequestCount | Should -Be $before
        $shot.custom_attributes.fend | Should -Be 1100
    }

    It 'writes only what differs to an entity found by get-or-create' {
        $shot = New-FtrackEntity Shot @{ name = 'found'; parent = $sequence } -CustomAttribute @{ fps = 25 }
        $found = New-FtrackEntity Shot @{ name = 'found'; parent = $sequence } -IdentifyingProperty name, parent -CustomAttribute @{ fps = 25; fstart = 1 } -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'POST *' }
        ($found.Message -join "`n") | Should -Match 'update CustomAttributeValue'
        ($found.Message -join "`n") | Should -Not -Match 'batch of'    # fps was 25 already: one update, for fstart
        (Get-ServerValues $shot.id).fstart | Should -Be 1
    }
}

Describe 'Refused before anything is sent' {
    It 'refuses an unknown key, naming the keys of that entity with their types' {
        $shot = New-TestShot 'unknown-key'
        $before = $session.RequestCount
        $shot | Set-FtrackEntity -CustomAttribute @{ fsp = 30 } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.UnknownCustomAttribute,Ftrack.Cmdlets.SetFtrackEntityCommand'
        $err[0].Exception.Message | Should -Match "Shot has no custom attribute 'fsp'\. Did you mean 'fps'\?"
        $err[0].Exception.Message | Should -Match 'fps \(number\), fstart \(number\), fend \(number\), plate_format \(enumerator: exr, dpx, mov\), client_due \(date\), handles \(number\)'
        $err[0].Exception.Message | Should -Not -Match 'brief|delivered|department'   # other object types' and entity types' keys
        # The configurations were read once more (a key may be new), and nothing was written.
        $session.RequestCount - $before | Should -Be 1
        (Get-ServerValues $shot.id).fps | Should -Be 24
    }

    It 'refuses a value of the wrong type, naming the type expected: <Case>' -ForEach @(
        @{ Case = 'text for a number'; Values = @{ fstart = 'soon' }; Expected = "'fstart' of Shot .* \(number\) takes a number; 'soon' \(text\) is not one" }
        @{ Case = 'a choice an enumerator lacks'; Values = @{ plate_format = 'tiff' }; Expected = "'plate_format' .* takes one of exr, dpx, mov; 'tiff' \(text\) is not one" }
        @{ Case = 'two choices of a single choice'; Values = @{ plate_format = 'exr', 'dpx' }; Expected = 'takes one of exr, dpx, mov \(a single choice\)' }
        @{ Case = 'text for a date'; Values = @{ client_due = '2027-03-01' }; Expected = "'client_due' .* takes a date: give a \[datetime\]" }
    ) {
        $shot = New-TestShot "wrong-$Case"
        $before = $session.RequestCount
        # A valid key beside it is not sent either: the write is all or nothing.
        $shot | Set-FtrackEntity -CustomAttribute ($Values + @{ fps = 50 }) -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.InvalidCustomAttributeValue,Ftrack.Cmdlets.SetFtrackEntityCommand'
        $err[0].Exception.Message | Should -Match $Expected
        $session.RequestCount | Should -Be $before
        (Get-ServerValues $shot.id).fps | Should -Be 24
    }

    It 'refuses a create whose custom attribute is wrong, creating nothing' {
        New-FtrackEntity Shot @{ name = 'never-created'; parent = $sequence } -CustomAttribute @{ fstart = 'soon' } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.InvalidCustomAttributeValue,Ftrack.Cmdlets.NewFtrackEntityCommand'
        Invoke-FtrackQuery 'select id from Shot where name is "never-created"' | Should -BeNullOrEmpty
    }

    It 'refuses custom attributes on a type that has none' {
        $status = Invoke-FtrackQuery 'select name from Status' -First 1
        $status | Set-FtrackEntity -CustomAttribute @{ fps = 24 } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.UnknownCustomAttribute,Ftrack.Cmdlets.SetFtrackEntityCommand'
        $err[0].Exception.Message | Should -Be 'Status entities have no custom attributes.'
    }

    It 'knows a configuration made after it read them: the key of another project is refused, of its own accepted' {
        $sintelShot = New-TestShot 'scoped'
        $spring = Invoke-FtrackQuery 'select name from Project where name is "spring_commercial"'
        $springShot = Invoke-FtrackQuery 'select name from Shot where name is "SC01_SH010"'
        $number = Invoke-FtrackQuery 'select name from CustomAttributeType where name is "number"'
        $shotType = Invoke-FtrackQuery 'select name from ObjectType where name is "Shot"'
        New-FtrackEntity CustomAttributeConfiguration @{
            key = 'bid_round'; label = 'Bid round'; type = $number; entity_type = 'task'; object_type = $shotType; project_id = $spring.id; config = '{}'; core = $false; default = 1
        } | Out-Null
        $springShot | Set-FtrackEntity -CustomAttribute @{ bid_round = 2 }
        (Get-ServerValues $springShot.id).bid_round | Should -Be 2
        $sintelShot | Set-FtrackEntity -CustomAttribute @{ bid_round = 2 } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.UnknownCustomAttribute,Ftrack.Cmdlets.SetFtrackEntityCommand'
        $err[0].Exception.Message | Should -Not -Match 'bid_round \('

        # A query's shots come with their project (a system projection): no lookup per shot.
        $springShots = @(Invoke-FtrackQuery 'select name from Shot where project.name is "spring_commercial"')
        $springShots.Count | Should -BeGreaterThan 1
        $before = $session.RequestCount
        Invoke-FtrackBatch { $springShots | Set-FtrackEntity -CustomAttribute @{ bid_round = 3 } }
        $session.RequestCount - $before | Should -Be 1
        $springShots | ForEach-Object { (Get-ServerValues $_.id).bid_round } | Should -Be (@(3) * $springShots.Count)
        # A shot known only by its id: its project is asked for.
        Set-FtrackEntity -EntityType Shot -Id $springShot.id -CustomAttribute @{ bid_round = 4 }
        (Get-ServerValues $springShot.id).bid_round | Should -Be 4
    }
}

Describe 'A server without custom attributes' {
    It 'refuses a key where no custom attribute is configured at all, pointing to the configuration' {
        $empty = Start-FtrackLocalServer -Seed Empty
        try {
            $emptySession = $empty | Connect-Ftrack -PassThru
            $schema = Invoke-FtrackQuery 'select id from ProjectSchema' -First 1 -Session $emptySession
            $project = New-FtrackEntity Project @{ name = 'bare'; full_name = 'Bare'; project_schema = $schema } -Session $emptySession
            $project | Set-FtrackEntity -CustomAttribute @{ fps = 24 } -Session $emptySession -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.UnknownCustomAttribute,Ftrack.Cmdlets.SetFtrackEntityCommand'
            $err[0].Exception.Message | Should -Match "'fps' is not a custom attribute of Project 'bare' .*: none is configured for it\. An administrator adds them"
        }
        finally {
            $empty | Stop-FtrackLocalServer
            # Connecting made the empty server's session the default: back to the demo server's.
            $script:session = $server | Connect-Ftrack -PassThru
        }
    }
}
