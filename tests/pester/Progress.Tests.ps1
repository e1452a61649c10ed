# A batch shows the same progress whichever way it is run (issue #15, item 7): Invoke-FtrackBatch
# and Start-/Submit-FtrackBatch both count the operations as they are queued and then show the
# request being sent, until its answer is in. Read from a [powershell] instance's progress stream.
BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:server = Start-FtrackLocalServer -Seed Empty
    $script:session = $server | Connect-Ftrack -PassThru
    $schema = Invoke-FtrackQuery 'select id from ProjectSchema' -First 1
    $script:project = New-FtrackEntity Project @{ name = 'progress'; project_schema = $schema }

    # Runs a script in a runspace of its own (with this session) and returns its progress records, as written.
    function Get-ProgressOf([scriptblock] $Script) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:FTRACK_MODULE_PATH'").AddStatement().AddScript($Script).AddArgument($session).AddArgument($project)
            $null = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            @($ps.Streams.Progress | ForEach-Object { '{0} | {1} | {2}' -f $_.Activity, $_.StatusDescription, $_.RecordType })
        }
        finally { $ps.Dispose() }
    }
}

AfterAll {
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

Describe 'Batch progress' {
    It 'is the same for Invoke-FtrackBatch and Start-/Submit-FtrackBatch: queued operations counted, then the request' {
        $invoked = Get-ProgressOf {
            param($session, $project)
            Invoke-FtrackBatch -Session $session { 1..2500 | ForEach-Object { @{ name = "I$_"; parent = $project } } | New-FtrackEntity Sequence -Session $session | Out-Null }
        }
        $submitted = Get-ProgressOf {
            param($session, $project)
            Start-FtrackBatch -Session $session
            1..2500 | ForEach-Object { @{ name = "S$_"; parent = $project } } | New-FtrackEntity Sequence -Session $session | Out-Null
            Submit-FtrackBatch -Session $session | Out-Null
        }
        $expected = @(
            'Ftrack batch | Queued 1,000 operations | Processing'
            'Ftrack batch | Queued 2,000 operations | Processing'
            'Ftrack batch | Sending 2,500 operations in one request | Processing'
            'Ftrack batch | Sent 2,500 operations | Completed'
        )
        $invoked | Should -Be $expected
        $submitted | Should -Be $expected
        @(Invoke-FtrackQuery "select id from Sequence where parent.id is '$($project.id)'").Count | Should -Be 5000
    }
}
