# Trust (issue #10, client side): no silent wrong answer, no leaked key, no half-applied batch.
# Each Describe is a defect found by using the module as a user and an attacker would; each test
# failed on the code before its fix.
BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'support/TestServers.psm1') -Force
    . (Join-Path $PSScriptRoot '../tools/PwshCommand.ps1')
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
}

Describe 'Redirects are refused, never followed' {
    BeforeAll { $script:recorder = Start-RecordingServer }
    AfterAll { & $recorder.Stop }

    It 'answers HTTP <status> with Ftrack.Redirected naming the target, and sends nothing there' -TestCases @(
        @{ status = 307 }, @{ status = 302 }, @{ status = 301 }, @{ status = 308 }
    ) {
        param($status)
        $redirect = Start-RedirectServer -Status $status -Target $recorder.Url
        try {
            $recorder.Requests.Clear()
            { Connect-Ftrack -Server $redirect.Url -Credential (New-TestCredential) -ErrorAction Stop } |
                Should -Throw -ErrorId 'Ftrack.Redirected,Ftrack.Cmdlets.ConnectFtrackCommand'
            $Error[0].Exception.Message | Should -Match ([regex]::Escape($recorder.Url))
            $Error[0].Exception.Message | Should -Match "HTTP $status"
            $Error[0].ErrorDetails.RecommendedAction | Should -Match 'Connect-Ftrack -Server'
            Start-Sleep -Milliseconds 200
            $recorder.Requests.Count | Should -Be 0
        }
        finally { & $redirect.Stop }
    }

    It 'refuses a redirect on a session that was working, for queries and writes alike' {
        $faults = Start-FaultServer
        try {
            $session = Connect-Ftrack -Server $faults.Url -Credential (New-TestCredential) -PassThru
            Invoke-FtrackQuery 'select name from Task' | Should -Not -BeNullOrEmpty
        }
        finally { & $faults.Stop }
        # The same address now redirects (a misconfigured proxy in front of the server).
        $port = ([uri]$faults.Url).Port
        $listener = [Net.HttpListener]::new()
        $listener.Prefixes.Add("http://127.0.0.1:$port/")
        $listener.Start()
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
            param($listener, $target)
            while ($listener.IsListening) {
                try { $c = $listener.GetContext() } catch { break }
                $c.Response.StatusCode = 307; $c.Response.Headers['Location'] = "$target/api"; $c.Response.Close()
            }
        }).AddArgument($listener).AddArgument($recorder.Url)
        $null = $ps.BeginInvoke()
        try {
            $recorder.Requests.Clear()
            Invoke-FtrackQuery 'select name from Task' -Session $session -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.Redirected,Ftrack.Cmdlets.InvokeFtrackQueryCommand'
            { Get-FtrackServerInformation -Session $session -Refresh } | Should -Throw -ErrorId 'Ftrack.Redirected,Ftrack.Cmdlets.GetFtrackServerInformationCommand'
            { New-FtrackEntity Project @{ name = 'redirected' } -Session $session -ErrorAction Stop } | Should -Throw -ErrorId 'Ftrack.Redirected,Ftrack.Cmdlets.NewFtrackEntityCommand'
            Start-Sleep -Milliseconds 200
            $recorder.Requests.Count | Should -Be 0
        }
        finally { $listener.Stop(); $listener.Close(); $ps.Stop(); $ps.Dispose(); $session | Disconnect-Ftrack }
    }
}

Describe 'The local server for the remaining defects' {
    BeforeAll {
        $script:server = Start-FtrackLocalServer -Seed Demo
        $script:session = $server | Connect-Ftrack -PassThru
        $script:schemaId = (Invoke-FtrackQuery 'select id from ProjectSchema' -First 1).id
        $script:animation = Invoke-FtrackQuery 'select name from Type where name is "Animation"'
        function New-TestProject([string] $Name) {
            New-FtrackEntity Project @{ name = $Name; full_name = "Test $Name"; project_schema_id = $schemaId } -Session $session
        }
    }
    AfterAll {
        Get-FtrackBatch | Undo-FtrackBatch
        Disconnect-Ftrack
        $server | Stop-FtrackLocalServer
    }

    Context 'Invoke-FtrackBatch is all-or-nothing' {
        It 'discards the batch when a write inside fails (<how>), sends nothing, and names the failure' -TestCases @(
            @{ how = 'default'; pre = {} ; suffix = @{} }
            @{ how = '-ErrorAction SilentlyContinue'; pre = {}; suffix = @{ ErrorAction = 'SilentlyContinue' } }
            @{ how = '-ErrorAction Ignore'; pre = {}; suffix = @{ ErrorAction = 'Ignore' } }
            @{ how = '$ErrorActionPreference SilentlyContinue'; pre = { $ErrorActionPreference = 'SilentlyContinue' }; suffix = @{} }
        ) {
            param($how, $pre, $suffix)
            $name = 'allornothing' + [guid]::NewGuid().ToString('n').Substring(0, 6)
            $before = $session.RequestCount
            $thrown = $null
            try {
                . $pre
                Invoke-FtrackBatch {
                    New-FtrackEntity Project @{ name = $name; full_name = $name; project_schema_id = $schemaId } | Out-Null
                    New-FtrackEntity Sequence @{ nmae = 'typo' } @suffix | Out-Null
                    New-FtrackEntity Project @{ name = "$name-2"; full_name = $name; project_schema_id = $schemaId } | Out-Null
                }
            }
            catch { $thrown = $_ }
            finally { $ErrorActionPreference = 'Stop' }
            $thrown | Should -Not -BeNullOrEmpty
            $thrown.FullyQualifiedErrorId | Should -BeLike 'Ftrack.BatchDiscarded,*'
            $thrown.Exception.Message | Should -Match 'nmae'
            $thrown.Exception.Message | Should -Match 'nothing was sent'
            $session.RequestCount | Should -Be $before
            Get-FtrackBatch | Should -BeNullOrEmpty
            Invoke-FtrackQuery "select id from Project where name like '$name%'" | Should -BeNullOrEmpty
        }

        It 'discards the batch when any other command inside writes an error' {
            $name = 'otherfail' + [guid]::NewGuid().ToString('n').Substring(0, 6)
            { Invoke-FtrackBatch {
                    New-FtrackEntity Project @{ name = $name; full_name = $name; project_schema_id = $schemaId } | Out-Null
                    Write-Error 'the CSV was missing'
                } } | Should -Throw -ErrorId 'Ftrack.BatchDiscarded,Ftrack.Cmdlets.InvokeFtrackBatchCommand'
            $Error[0].Exception.Message | Should -Match 'the CSV was missing'
            Invoke-FtrackQuery "select id from Project where name is '$name'" | Should -BeNullOrEmpty
        }

        It 'runs the script block in the caller''s scope, so what it assigns is there afterwards' {
            $name = 'scope' + [guid]::NewGuid().ToString('n').Substring(0, 6)
            Invoke-FtrackBatch { $project = New-FtrackEntity Project @{ name = $name; full_name = $name; project_schema_id = $schemaId } } | Out-Null
            $project.name | Should -Be $name
            (Invoke-FtrackQuery "select id from Project where name is '$name'").id | Should -Be $project.id
        }
    }

    Context 'Attributes that were not selected' {
        It 'are loaded on first access for every entity of the result, in one request per page of entities' {
            $tasks = Invoke-FtrackQuery 'select name from Task'
            $tasks.Count | Should -BeGreaterThan 50
            $before = $session.RequestCount
            $verbose = $tasks[0].status.name
            $names = $tasks | ForEach-Object { $_.status.name }
            ($names | Where-Object { -not $_ }) | Should -BeNullOrEmpty
            # status for every task in one request, then name for the distinct statuses in one more.
            ($session.RequestCount - $before) | Should -Be 2
            $expected = Invoke-FtrackQuery 'select status.name from Task'
            $names | Should -Be $expected.status.name
        }

        It 'says so in -Verbose' {
            # The line goes to the host (no cmdlet is running when a property is read): run a pwsh and read what it printed.
            $key = [pscredential]::new('x', $server.ApiKey).GetNetworkCredential().Password
            $text = & (Get-PwshCommand)[0] @((Get-PwshCommand) | Select-Object -Skip 1) -NoProfile -NonInteractive -Command "
                Import-Module '$($env:FTRACK_MODULE_PATH)'
                Connect-Ftrack -Server '$($server.Url)' -Credential ([pscredential]::new('$($server.ApiUser)', (ConvertTo-SecureString '$key' -AsPlainText -Force)))
                `$tasks = Invoke-FtrackQuery 'select name from Task' -First 20
                `$null = `$tasks[0].description
                'quiet so far'
                `$VerbosePreference = 'Continue'
                `$null = `$tasks[1].bid
            " *>&1 | Out-String
            $text | Should -Match 'quiet so far'
            $text.Substring(0, $text.IndexOf('quiet so far')) | Should -Not -Match 'Loading'
            $text | Should -Match "VERBOSE: Loading 'bid' for 20 Task entities of the result in 1 request"
        }

        It 'are never loaded by Format-List *' {
            $task = Invoke-FtrackQuery 'select name from Task' -First 1
            $before = $session.RequestCount
            $text = $task | Format-List * | Out-String
            $text | Should -Match 'name'
            $text | Should -Not -Match 'status'
            $session.RequestCount | Should -Be $before
        }

        It 'are a clear error with -NoAutoPopulate, naming the attribute to select' {
            # PowerShell swallows whatever a property getter throws (the value reads as $null), so the
            # module reports the error itself: on the console once per result and attribute, and in $Error.
            $key = [pscredential]::new('x', $server.ApiKey).GetNetworkCredential().Password
            $text = & (Get-PwshCommand)[0] @((Get-PwshCommand) | Select-Object -Skip 1) -NoProfile -NonInteractive -Command "
                Import-Module '$($env:FTRACK_MODULE_PATH)'
                `$session = Connect-Ftrack -Server '$($server.Url)' -Credential ([pscredential]::new('$($server.ApiUser)', (ConvertTo-SecureString '$key' -AsPlainText -Force))) -NoAutoPopulate -PassThru
                `$tasks = Invoke-FtrackQuery 'select name from Task' -First 5
                `$before = `$session.RequestCount
                `$values = `$tasks | ForEach-Object { `$_.status }
                'NULLS=' + @(`$values | Where-Object { `$null -ne `$_ }).Count
                'REQUESTS=' + (`$session.RequestCount - `$before)
                'ERROR=' + `$Error[0].FullyQualifiedErrorId + ' ' + `$Error[0].Exception.Message
                'NAME=' + `$tasks[0].name
            " *>&1 | Out-String
            $text | Should -Match 'NULLS=0'
            $text | Should -Match 'REQUESTS=0'
            $text | Should -Match 'ERROR=Ftrack.AttributeNotLoaded Task.status was not loaded: add it to the select \(select \.\.\., status from Task\)'
            $text | Should -Match 'NAME=\w'
            # Printed once for the result, not once per entity.
            ([regex]::Matches($text, 'Task.status was not loaded')).Count | Should -Be 2   # the console line and $Error
        }
    }

    Context 'Setting a property on an entity' {
        It 'is refused outside a batch, pointing to Set-FtrackEntity, and changes nothing' {
            $task = Invoke-FtrackQuery 'select name, bid from Task' -First 1
            $old = $task.bid
            { $task.bid = 99 } | Should -Throw -ExpectedMessage '*Set-FtrackEntity*'
            $task.bid | Should -Be $old
        }

        It 'is queued as an update inside an open batch' {
            $task = Invoke-FtrackQuery 'select name, bid from Task' -First 1
            Start-FtrackBatch | Out-Null
            try {
                $task.bid = 4242
                (Get-FtrackBatch).Count | Should -Be 1
                Submit-FtrackBatch | Out-Null
            }
            finally { Get-FtrackBatch | Undo-FtrackBatch }
            (Invoke-FtrackQuery "select bid from Task where id is '$($task.id)'").bid | Should -Be 4242
        }
    }

    Context '-Force and -WhatIf' {
        It 'does not delete when $WhatIfPreference is set, even with -Force' {
            $project = New-TestProject ('whatifpref' + [guid]::NewGuid().ToString('n').Substring(0, 6))
            $WhatIfPreference = $true
            try { $project | Remove-FtrackEntity -Force } finally { $WhatIfPreference = $false }
            Invoke-FtrackQuery "select id from Project where id is '$($project.id)'" | Should -HaveCount 1
        }
    }

    Context 'Reconnecting' {
        It 'closes the session it replaces, but not one the caller holds (-PassThru, Get-FtrackSession)' {
            $kept = $server | Connect-Ftrack -PassThru
            $server | Connect-Ftrack
            $looked = Get-FtrackSession
            $server | Connect-Ftrack
            # Read the module's state directly: Get-FtrackSession would hand the session out.
            $replaced = [Ftrack.FtrackSessionState]::Default
            $server | Connect-Ftrack
            $replaced.IsClosed | Should -BeTrue
            { Invoke-FtrackQuery 'select id from Project' -Session $replaced -ErrorAction Stop } | Should -Throw -ErrorId 'Ftrack.SessionClosed,Ftrack.Cmdlets.InvokeFtrackQueryCommand'
            Invoke-FtrackQuery 'select id from Project' -Session $kept | Should -Not -BeNullOrEmpty
            Invoke-FtrackQuery 'select id from Project' -Session $looked | Should -Not -BeNullOrEmpty
            $kept, $looked | Disconnect-Ftrack
            $script:session = $server | Connect-Ftrack -PassThru
        }
    }
}

Describe 'A lost answer to a batch that was applied' {
    BeforeAll {
        $script:faults = Start-FaultServer
        $script:faultSession = Connect-Ftrack -Server $faults.Url -Credential (New-TestCredential) -PassThru
    }
    AfterAll { $faultSession | Disconnect-Ftrack; & $faults.Stop }

    It 'Submit-FtrackBatch says it WAS applied, without "Nothing was applied", and closes the batch' {
        Start-FtrackBatch -Session $faultSession | Out-Null
        New-FtrackEntity Project @{ name = 'lost'; full_name = 'lost'; project_schema_id = [guid]::NewGuid().ToString() } -Session $faultSession | Out-Null
        { Submit-FtrackBatch -Session $faultSession } | Should -Throw -ErrorId 'Ftrack.OutcomeUnknown,Ftrack.Cmdlets.SubmitFtrackBatchCommand'
        $record = $Error[0]
        "$($record.ErrorDetails.Message) $($record.Exception.Message)" | Should -Match 'WAS applied'
        "$($record.ErrorDetails.Message) $($record.Exception.Message)" | Should -Not -Match 'Nothing was applied|NOT applied'
        Get-FtrackBatch -Session $faultSession | Should -BeNullOrEmpty
    }

    It 'Invoke-FtrackBatch says it WAS applied, without "Nothing was applied"' {
        { Invoke-FtrackBatch -Session $faultSession {
                New-FtrackEntity Project @{ name = 'lost2'; full_name = 'lost2'; project_schema_id = [guid]::NewGuid().ToString() } | Out-Null
            } } | Should -Throw -ErrorId 'Ftrack.OutcomeUnknown,Ftrack.Cmdlets.InvokeFtrackBatchCommand'
        $record = $Error[0]
        "$($record.ErrorDetails.Message) $($record.Exception.Message)" | Should -Match 'WAS applied'
        "$($record.ErrorDetails.Message) $($record.Exception.Message)" | Should -Not -Match 'Nothing was applied|NOT applied'
    }
}

Describe 'Ctrl+C during Submit-FtrackBatch, in a terminal' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'support/Terminal.psm1') -Force
        # A file database: readers see committed data while the batch is being written (WAL), as on
        # a real server, so the check after Ctrl+C runs before the batch commits and finds nothing.
        $script:database = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-ctrlc-" + [guid]::NewGuid() + '.db')
        $script:server = Start-FtrackLocalServer -Seed Empty -DatabasePath $database
        $script:watch = $server | Connect-Ftrack -PassThru
        $script:script = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-ctrlc-" + [guid]::NewGuid() + '.ps1')
        $key = [pscredential]::new('x', $server.ApiKey).GetNetworkCredential().Password
        # What the user typed: build a 40,002-operation batch, then submit it.
        @"
Import-Module '$($env:FTRACK_MODULE_PATH)'
Connect-Ftrack -Server '$($server.Url)' -Credential ([pscredential]::new('$($server.ApiUser)', (ConvertTo-SecureString '$key' -AsPlainText -Force)))
`$schemaId = (Invoke-FtrackQuery 'select id from ProjectSchema' -First 1).id
`$type = Invoke-FtrackQuery 'select name from Type' -First 1
Start-FtrackBatch | Out-Null
`$project = New-FtrackEntity Project @{ name = 'cancelled'; full_name = 'cancelled'; project_schema_id = `$schemaId }
`$shot = New-FtrackEntity Shot @{ name = 'SH'; parent = `$project }
1..40000 | ForEach-Object { @{ name = "t`$_"; parent = `$shot; type = `$type } } | New-FtrackEntity Task | Out-Null
Write-Host 'SUBMITTING'
"@ | Set-Content $script
        $script:terminal = Start-TerminalSession -Environment @{ FTRACK_SCHEMA_CACHE = $env:FTRACK_SCHEMA_CACHE }
    }
    AfterAll {
        Stop-TerminalSession $terminal
        $watch | Disconnect-Ftrack
        $server | Stop-FtrackLocalServer
        Remove-Item $script, "$database*" -ErrorAction SilentlyContinue
    }

    It 'says "outcome unknown" (never "not applied"), shows no stack trace, and leaves a batch that resolves' {
        Send-TerminalLine $terminal ". '$script'; Submit-FtrackBatch | Out-Null"
        $null = Wait-TerminalText $terminal 'SUBMITTING' -TimeoutSec 180
        Start-Sleep -Milliseconds 1500          # the request is at the server, which is creating the tasks
        Send-TerminalCtrlC $terminal
        Send-TerminalLine $terminal "'STATE=' + (Get-FtrackBatch).State + ';'"
        $text = Wait-TerminalText $terminal 'STATE=\w*;' -TimeoutSec 60
        $afterSubmit = $text.Substring($text.IndexOf('SUBMITTING'))
        $afterSubmit | Should -Match 'outcome unknown|Ftrack.OutcomeUnknown'
        $afterSubmit | Should -Not -Match 'NOT applied|submitting it again is safe|Nothing was applied'
        $afterSubmit | Should -Not -Match '(?m)^\s+at [A-Z][\w.]+\('   # no .NET stack trace
        $afterSubmit | Should -Match 'STATE=OutcomeUnknown;'

        # The server finishes the transaction it received: all of it arrives...
        $deadline = [datetime]::UtcNow.AddSeconds(120)
        do { Start-Sleep -Milliseconds 500; $count = @(Invoke-FtrackQuery "select id from Task where project.name is 'cancelled'" -Session $watch -PageSize 0).Count }
        while ($count -lt 40000 -and [datetime]::UtcNow -lt $deadline)
        $count | Should -Be 40000
        # ...and submitting again checks first: it finds the batch applied and sends nothing twice.
        Send-TerminalLine $terminal "'RESUBMIT=' + @(Submit-FtrackBatch).Count + ' OPEN=' + @(Get-FtrackBatch).Count + ';'"
        $text = Wait-TerminalText $terminal 'RESUBMIT=\d+ OPEN=\d+;' -TimeoutSec 60
        $text | Should -Match 'RESUBMIT=40002 OPEN=0;'
        $text | Should -Not -Match 'DuplicateEntryError'
        @(Invoke-FtrackQuery "select id from Task where project.name is 'cancelled'" -Session $watch -PageSize 0).Count | Should -Be 40000
    }
}
