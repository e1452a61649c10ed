# The official Python client's event hub and the module, through the local server, both ways
# (issue #14): tests/python/events_proof.py with FTRACK_PROOF_PEER=module is the Python side. It
# announces itself (Python -> module), answers the module's question (module -> Python -> module),
# receives ftrack.update for the module's write and reports what it saw. Needs Debian's python3
# with the client's packages (../shared/clients/python/README.md); fails saying so without them.
BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:server = Start-FtrackLocalServer -Seed Demo
    $script:session = $server | Connect-Ftrack -PassThru

    function Find-Up([string] $Relative) {
        for ($directory = Get-Item $PSScriptRoot; $directory; $directory = $directory.Parent) {
            $candidate = Join-Path $directory.FullName $Relative
            if (Test-Path $candidate) { return $candidate }
        }
    }
    $script:python = if (Test-Path /usr/bin/python3) { '/usr/bin/python3' } else { 'python3' }
    $script:proof = Find-Up 'tests/python/events_proof.py'
    $script:client = Find-Up 'shared/clients/python'
}

AfterAll {
    Get-EventSubscriber | Unregister-Event
    Get-Event | Remove-Event
    Disconnect-Ftrack
    $session.Dispose()
    $server | Stop-FtrackLocalServer
}

Describe 'The official Python client and the module' {
    It 'exchange events both ways through the local server, ftrack.update included' {
        $proof | Should -Not -BeNullOrEmpty -Because 'tests/python/events_proof.py is part of the repository'
        $client | Should -Not -BeNullOrEmpty -Because 'the official Python client lives in shared/clients/python next to the clone'
        Register-FtrackEvent -Session $session 'topic=proof.hello' -SourceIdentifier hello
        Register-FtrackEvent -Session $session 'topic=proof.saw-update' -SourceIdentifier saw

        $start = [Diagnostics.ProcessStartInfo]::new($python, "`"$proof`"")
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $start.Environment['PYTHONPATH'] = (Join-Path $client 'ftrack-python-source') + [IO.Path]::PathSeparator + (Join-Path $client 'clique-source')
        $start.Environment['PYTHONDONTWRITEBYTECODE'] = '1'
        $start.Environment['FTRACK_SERVER'] = $server.Url.ToString().TrimEnd('/')
        $start.Environment['FTRACK_API_USER'] = $server.ApiUser
        $start.Environment['FTRACK_API_KEY'] = $server.Credential.GetNetworkCredential().Password
        $start.Environment['FTRACK_PROOF_PEER'] = 'module'
        $process = [Diagnostics.Process]::Start($start)
        $output = $process.StandardOutput.ReadToEndAsync()
        $errors = $process.StandardError.ReadToEndAsync()
        try {
            # Python -> module.
            $hello = Wait-Event -SourceIdentifier hello -Timeout 60
            if (-not $hello) {
                $null = $process.WaitForExit(5000)
                throw "Python did not announce itself. Its output:`n$($output.Result)$($errors.Result)`nIt needs: apt-get install -y python3-requests python3-arrow python3-pyparsing python3-six python3-websocket python3-termcolor python3-platformdirs python3-future"
            }
            $hello.MessageData.Data.from | Should -Be 'python'
            $hello.MessageData.Source.user.username | Should -Be $server.ApiUser

            # Module -> Python, and its reply back.
            $reply = Send-FtrackEvent -Session $session -Topic proof.ping -Data @{ n = 41 } -WaitForReply -TimeoutSec 30
            $reply.Data.pong | Should -Be 42
            $reply.Data.by | Should -Be 'python'

            # A write of the module reaches Python as ftrack.update; Python reports what it saw.
            $task = Invoke-FtrackQuery -Session $session 'select name from Task where name is "lighting"' | Select-Object -First 1
            $oldName = $task.name
            $newName = 'python saw ' + [guid]::NewGuid().ToString('N').Substring(0, 8)
            Set-FtrackEntity -Session $session -InputObject $task -Property @{ name = $newName }
            Send-FtrackEvent -Session $session -Topic proof.done
            $saw = Wait-Event -SourceIdentifier saw -Timeout 60
            $saw | Should -Not -BeNullOrEmpty -Because "Python should report the update. Its output: $(if ($process.HasExited) { $output.Result + $errors.Result })"
            $saw.MessageData.Data.entityId | Should -Be $task.id
            $saw.MessageData.Data.old | Should -Be $oldName
            $saw.MessageData.Data.new | Should -Be $newName

            $process.WaitForExit(30000) | Should -BeTrue
            $process.ExitCode | Should -Be 0 -Because ($output.Result + $errors.Result)
            $output.Result | Should -Match 'Python events proof passed'
        } finally {
            if (-not $process.HasExited) { $process.Kill($true) }
            $process.Dispose()
        }
    }
}
