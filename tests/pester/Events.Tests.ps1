# Events (issue #14, module side) over the local server's event hub: ftrack.update through
# Register-FtrackEvent after another session's write, nothing for a rolled-back batch, custom
# topics with replies, Register-FtrackAction discovered and launched from another session, and
# the errors a listener script meets.
BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:server = Start-FtrackLocalServer -Seed Demo
    # The listener's session, and the writer's: two ftrack sessions, as two scripts would have.
    $script:listener = $server | Connect-Ftrack -PassThru
    $script:writer = $server | Connect-Ftrack -PassThru

    # Runs $Script in another runspace (another PowerShell session, with its own ftrack session)
    # while this one waits in Wait-Event, which is where PowerShell runs -Action blocks.
    # $Script's parameters are the server, then -ArgumentList.
    function Invoke-Elsewhere([scriptblock] $Script, [object[]] $ArgumentList = @(), [int] $TimeoutSec = 30) {
        $other = [powershell]::Create()
        try {
            $null = $other.AddScript("Import-Module '$env:FTRACK_MODULE_PATH'; `$ErrorActionPreference = 'Stop'").AddStatement()
            $null = $other.AddScript($Script.ToString()).AddArgument($server)
            foreach ($argument in $ArgumentList) { $null = $other.AddArgument($argument) }
            $running = $other.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
            while (-not $running.IsCompleted -and [DateTime]::UtcNow -lt $deadline) {
                $null = Wait-Event -SourceIdentifier 'Events.Tests.NeverRaised' -Timeout 1
            }
            if (-not $running.IsCompleted) { throw "The other session did not finish within $TimeoutSec seconds." }
            $output = $other.EndInvoke($running)
            if ($other.Streams.Error.Count) { throw $other.Streams.Error[0] }
            $output
        } finally {
            $other.Dispose()
        }
    }

    function Get-SomeTask {
        Invoke-FtrackQuery -Session $writer 'select name, status_id, parent_id from Task where name is "compositing"' | Select-Object -First 1
    }
}

AfterAll {
    Get-EventSubscriber | Unregister-Event
    Get-Event | Remove-Event
    Disconnect-Ftrack
    $listener.Dispose()
    $writer.Dispose()
    $server | Stop-FtrackLocalServer
}

Describe 'Register-FtrackEvent' {
    AfterEach {
        Get-EventSubscriber | Unregister-Event
        Get-Event | Remove-Event
    }

    It 'brings ftrack.update into Wait-Event after another session''s write, with the changed key and its old and new values' {
        $task = Get-SomeTask
        $other = Invoke-FtrackQuery -Session $writer "select id from Status where id != '$($task.status_id)'" | Select-Object -First 1
        Register-FtrackEvent -Session $listener -Subscription 'topic=ftrack.update' -SourceIdentifier updates
        Invoke-Elsewhere -ArgumentList $task.id, $other.id {
            param($server, $taskId, $statusId)
            $session = $server | Connect-Ftrack -PassThru
            Set-FtrackEntity -Session $session -Id $taskId -Property @{ status_id = $statusId } -EntityType Task
        } | Out-Null
        $received = Wait-Event -SourceIdentifier updates -Timeout 10
        $received | Should -Not -BeNullOrEmpty
        $e = $received.MessageData
        $e.Topic | Should -Be 'ftrack.update'
        $entity = $e.Data.entities | Where-Object entityId -eq $task.id
        $entity.action | Should -Be 'update'
        $entity.entityType | Should -Be 'task'
        $entity.entity_type | Should -Be 'Task'
        $entity.keys | Should -Be @('statusid')
        $entity.changes.statusid.old | Should -Be $task.status_id
        $entity.changes.statusid.new | Should -Be $other.id
        $entity.parents[0].entityId | Should -Be $task.id
        $entity.parents[1].entityId | Should -Be $task.parent_id
        $entity.parents[-1].entityType | Should -Be 'show'
        $e.Source.user.username | Should -Be $server.ApiUser
    }

    It 'publishes nothing for a rolled-back batch' {
        $task = Get-SomeTask
        Register-FtrackEvent -Session $listener -Subscription 'topic=ftrack.update' -SourceIdentifier updates
        # The second operation names an entity that does not exist: the server rolls the whole batch back.
        {
            Invoke-FtrackOperation -Session $writer -Operation @(
                @{ action = 'update'; entity_type = 'Task'; entity_key = @($task.id); entity_data = @{ name = 'rolled back' } },
                @{ action = 'update'; entity_type = 'Task'; entity_key = @([guid]::NewGuid().ToString()); entity_data = @{ name = 'nowhere' } })
        } | Should -Throw
        (Get-FtrackEntity -Session $writer Task $task.id).name | Should -Be $task.name
        # A write after it: its event must be the first to arrive, so none came for the failed batch.
        $marker = 'marker ' + [guid]::NewGuid()
        Set-FtrackEntity -Session $writer -InputObject $task -Property @{ description = $marker }
        $first = Wait-Event -SourceIdentifier updates -Timeout 10
        $first.MessageData.Data.entities[0].changes.description.new | Should -Be $marker
        Remove-Event -EventIdentifier $first.EventIdentifier
        Wait-Event -SourceIdentifier updates -Timeout 1 | Should -BeNullOrEmpty
    }

    It 'publishes one event per committed batch, naming every entity of it' {
        Register-FtrackEvent -Session $listener -Subscription 'topic=ftrack.update' -SourceIdentifier updates
        $shot = Invoke-FtrackQuery -Session $writer 'select id from Shot' | Select-Object -First 1
        $typeId = (Invoke-FtrackQuery -Session $writer 'select id from Type where name is "Compositing"' | Select-Object -First 1).id
        Invoke-FtrackOperation -Session $writer -Operation @(
            @{ action = 'create'; entity_type = 'Task'; entity_data = @{ name = 'events-a'; parent_id = $shot.id; type_id = $typeId } },
            @{ action = 'create'; entity_type = 'Task'; entity_data = @{ name = 'events-b'; parent_id = $shot.id; type_id = $typeId } }) | Out-Null
        $e = (Wait-Event -SourceIdentifier updates -Timeout 10).MessageData
        @($e.Data.entities).Count | Should -Be 2
        $e.Data.entities.action | Should -Be @('add', 'add')
        $e.Data.entities.changes.name.new | Should -Be @('events-a', 'events-b')
        $e.Data.entities[0].changes.name.old | Should -BeNullOrEmpty
        $e.Data.entities[0].parentId | Should -Be $shot.id
        Get-Event -SourceIdentifier updates | Remove-Event
        Start-Sleep -Milliseconds 300
        Get-Event -SourceIdentifier updates -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'reports a custom attribute change as an update of its entity, the attribute''s key with old and new values' {
        Register-FtrackEvent -Session $listener -Subscription 'topic=ftrack.update' -SourceIdentifier updates
        $shot = Invoke-FtrackQuery -Session $writer 'select name from Shot where name is "SQ010_SH010"' -First 1
        $shot | Set-FtrackEntity -Session $writer -CustomAttribute @{ fps = 48 }
        $e = (Wait-Event -SourceIdentifier updates -Timeout 10).MessageData
        $entity = $e.Data.entities | Where-Object entityId -eq $shot.id
        $entity.action | Should -Be 'update'
        $entity.entityType | Should -Be 'task'
        $entity.keys | Should -Contain 'fps'
        $entity.changes.fps.old | Should -Be 24
        $entity.changes.fps.new | Should -Be 48
        $entity.parents[-1].entityType | Should -Be 'show'
    }

    It 'runs -Action for each event, with the ftrack event as $Event.MessageData' {
        $global:EventsTestSeen = [Collections.Concurrent.ConcurrentQueue[object]]::new()
        $job = Register-FtrackEvent -Session $listener 'topic=events.test.action' -SourceIdentifier actions -Action {
            $global:EventsTestSeen.Enqueue($Event.MessageData.Data.n)
        }
        $job | Should -BeOfType System.Management.Automation.PSEventJob
        1..3 | ForEach-Object { Send-FtrackEvent -Session $writer -Topic events.test.action -Data @{ n = $_ } }
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ($EventsTestSeen.Count -lt 3 -and [DateTime]::UtcNow -lt $deadline) { $null = Wait-Event -SourceIdentifier never -Timeout 1 }
        @($EventsTestSeen) | Should -Be @(1, 2, 3)
    }

    It 'matches subscriptions as ftrack does: wildcards, and/or, source.user.username' {
        Register-FtrackEvent -Session $listener -Subscription 'topic=events.test.* and (data.kind=a or data.kind=b) and source.user.username="admin"' -SourceIdentifier matched
        Send-FtrackEvent -Session $writer -Topic events.test.one -Data @{ kind = 'c' }
        Send-FtrackEvent -Session $writer -Topic other.topic -Data @{ kind = 'a' }
        Send-FtrackEvent -Session $writer -Topic events.test.two -Data @{ kind = 'b' }
        $e = Wait-Event -SourceIdentifier matched -Timeout 10
        $e.MessageData.Topic | Should -Be 'events.test.two'
        Remove-Event -EventIdentifier $e.EventIdentifier
        Wait-Event -SourceIdentifier matched -Timeout 1 | Should -BeNullOrEmpty
    }

    It 'delivers a targeted event only to the subscriber it names' {
        Register-FtrackEvent -Session $listener -Subscription 'topic=events.test.targeted' -SourceIdentifier farm -Subscriber @{ name = 'farm' }
        Register-FtrackEvent -Session $listener -Subscription 'topic=events.test.targeted' -SourceIdentifier desk -Subscriber @{ name = 'desk' }
        Send-FtrackEvent -Session $writer -Topic events.test.targeted -Target 'name=farm' -Data @{ job = 1 }
        (Wait-Event -SourceIdentifier farm -Timeout 10).MessageData.Data.job | Should -Be 1
        Wait-Event -SourceIdentifier desk -Timeout 1 | Should -BeNullOrEmpty
    }

    It 'ends the ftrack subscription when PowerShell''s subscriber is unregistered' {
        $before = $listener.EventHub.Subscriptions.Count
        Register-FtrackEvent -Session $listener -Subscription 'topic=events.test.gone' -SourceIdentifier gone
        $listener.EventHub.Subscriptions.Count | Should -Be ($before + 1)
        Unregister-Event -SourceIdentifier gone
        $listener.EventHub.Subscriptions.Count | Should -Be $before
        Send-FtrackEvent -Session $writer -Topic events.test.gone
        Wait-Event -SourceIdentifier gone -Timeout 1 | Should -BeNullOrEmpty
    }

    It 'refuses an expression that does not parse, saying where' {
        { Register-FtrackEvent -Session $listener -Subscription 'topic=ftrack.update and' -SourceIdentifier broken } |
            Should -Throw -ErrorId 'Ftrack.InvalidSubscription,*' -ExpectedMessage '*position*'
        Get-EventSubscriber -SourceIdentifier broken -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a source identifier that is taken' {
        Register-FtrackEvent -Session $listener -Subscription 'topic=a' -SourceIdentifier taken
        { Register-FtrackEvent -Session $listener -Subscription 'topic=b' -SourceIdentifier taken } | Should -Throw -ErrorId 'Ftrack.SubscriberExists,*'
    }
}

Describe 'Send-FtrackEvent' {
    AfterEach {
        Get-EventSubscriber | Unregister-Event
        Get-Event | Remove-Event
    }

    It 'returns the reply with -WaitForReply, answered with -ReplyTo from an -Action block in another session' {
        # The answering side runs here ($Event.Sender is the session that subscribed); the question comes from elsewhere.
        $null = Register-FtrackEvent -Session $listener 'topic=events.test.question' -SourceIdentifier answers -Action {
            Send-FtrackEvent -Session $Event.Sender -ReplyTo $Event.MessageData -Data @{ answer = 42; question = $Event.MessageData.Data.question }
        }
        $reply = Invoke-Elsewhere {
            param($server)
            $session = $server | Connect-Ftrack -PassThru
            Send-FtrackEvent -Session $session -Topic events.test.question -Data @{ question = 'six times seven' } -WaitForReply -TimeoutSec 20
        } -TimeoutSec 40
        $reply.Topic | Should -Be 'ftrack.meta.reply'
        $reply.Data.answer | Should -Be 42
        $reply.Data.question | Should -Be 'six times seven'
        $reply.InReplyToEvent | Should -Match '^[0-9a-f]{32}$'
    }

    It 'fails with Ftrack.EventReplyTimeout when nobody answers' {
        { Send-FtrackEvent -Session $writer -Topic events.test.nobody -WaitForReply -TimeoutSec 1 } | Should -Throw -ErrorId 'Ftrack.EventReplyTimeout,*'
    }

    It 'refuses data that is not a hashtable or object' {
        { Send-FtrackEvent -Session $writer -Topic events.test.bad -Data 42 } | Should -Throw -ErrorId 'Ftrack.InvalidValue,*'
    }
}

Describe 'Register-FtrackAction' {
    AfterEach {
        Get-EventSubscriber | Unregister-Event
        Get-Event | Remove-Event
    }

    It 'is discovered and launched by events published from another session' {
        $job = Register-FtrackAction -Session $listener -Identifier events-test-open -Label 'Open folder' -Description 'Opens the folder of the selection' -Icon 'folder' -ScriptBlock {
            $ids = @($_.Data.selection | ForEach-Object entityId) -join ','
            @{ success = $true; message = "Opened $ids" }
        }
        $job | Should -BeOfType System.Management.Automation.PSEventJob
        $answers = Invoke-Elsewhere {
            param($server)
            $session = $server | Connect-Ftrack -PassThru
            $selection = @(@{ entityId = 'e1'; entityType = 'task' }, @{ entityId = 'e2'; entityType = 'task' })
            Send-FtrackEvent -Session $session -Topic ftrack.action.discover -Data @{ selection = $selection } -WaitForReply -TimeoutSec 20
            Send-FtrackEvent -Session $session -Topic ftrack.action.launch -Data @{ actionIdentifier = 'events-test-open'; selection = $selection } -WaitForReply -TimeoutSec 20
        } -TimeoutSec 45
        $discovered, $launched = $answers
        $discovered.Data.items[0].label | Should -Be 'Open folder'
        $discovered.Data.items[0].actionIdentifier | Should -Be 'events-test-open'
        $discovered.Data.items[0].description | Should -Be 'Opens the folder of the selection'
        $discovered.Data.items[0].icon | Should -Be 'folder'
        $launched.Data.success | Should -BeTrue
        $launched.Data.message | Should -Be 'Opened e1,e2'
    }

    It 'replies success = false with the error when the script block fails' {
        $null = Register-FtrackAction -Session $listener -Identifier events-test-fail -Label 'Fails' -ScriptBlock { throw 'the render farm is down' }
        $launched = Invoke-Elsewhere {
            param($server)
            $session = $server | Connect-Ftrack -PassThru
            Send-FtrackEvent -Session $session -Topic ftrack.action.launch -Data @{ actionIdentifier = 'events-test-fail' } -WaitForReply -TimeoutSec 20
        } -TimeoutSec 40
        $launched.Data.success | Should -BeFalse
        $launched.Data.message | Should -Be 'the render farm is down'
    }
}
