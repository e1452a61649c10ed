BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'support/TestServers.psm1') -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
}

Describe 'Secrets' {
    BeforeAll {
        $script:server = Start-FtrackLocalServer -Seed Demo
        $script:key = [pscredential]::new('x', $server.ApiKey).GetNetworkCredential().Password
        $script:transcript = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-transcript-" + [guid]::NewGuid() + '.txt')
    }
    AfterAll {
        Disconnect-Ftrack
        $server | Stop-FtrackLocalServer
        Remove-Item $transcript -ErrorAction SilentlyContinue
    }

    It 'never appear in verbose, debug, errors, $Error or a transcript, whatever the cmdlets do' {
        $key.Length | Should -BeGreaterThan 8
        $Error.Clear()
        $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
        Start-Transcript -Path $transcript | Out-Null
        try {
            $session = Connect-Ftrack -Server $server.Url -Credential $server.Credential -PassThru -Verbose -Debug
            $session | Format-List * | Out-String | Write-Host
            Get-FtrackSession | Format-Table | Out-String | Write-Host
            Get-FtrackServerInformation -Refresh -Verbose -Debug | Out-String | Write-Host
            Get-FtrackSchema Task -Verbose -Debug | Out-String | Write-Host
            $tasks = Invoke-FtrackQuery 'select name, status.name from Task' -First 5 -Verbose -Debug
            Invoke-FtrackQuery 'select from broken' -Verbose -Debug -ErrorAction SilentlyContinue
            Invoke-FtrackOperation @{ action = 'query_server_information' } -Verbose -Debug | Out-Null
            Get-FtrackEntity Task -Id $tasks[0].id -Verbose -Debug | Out-Null
            $schemaId = (Invoke-FtrackQuery 'select id from ProjectSchema' -First 1).id
            $p = New-FtrackEntity Project @{ name = 'secrets'; full_name = 'secrets'; project_schema_id = $schemaId } -Verbose -Debug
            $p | Set-FtrackEntity -Property @{ full_name = 'still secret' } -Verbose -Debug
            Start-FtrackBatch -Verbose -Debug | Out-Null
            New-FtrackEntity Sequence @{ name = 'S'; parent = $p } -Verbose -Debug | Out-Null
            Get-FtrackBatch | Format-List * | Out-String | Write-Host
            Submit-FtrackBatch -Verbose -Debug | Out-Null
            Start-FtrackBatch | Out-Null; Undo-FtrackBatch -Verbose -Debug
            $p | Remove-FtrackEntity -Force -Verbose -Debug
            New-FtrackEntity Sequence @{ nope = 1 } -Verbose -Debug -ErrorAction SilentlyContinue
            try { Connect-Ftrack -Server $server.Url -Credential ([pscredential]::new($server.ApiUser, (ConvertTo-SecureString "$key-wrong" -AsPlainText -Force))) -Verbose -Debug } catch { Write-Host $_ }
            Disconnect-Ftrack -Session $session -Verbose -Debug
            { Invoke-FtrackQuery 'select name from Task' -Session $session -ErrorAction Stop } | Should -Throw
            $server | Format-List * | Out-String | Write-Host
        }
        finally {
            Stop-Transcript | Out-Null
            $VerbosePreference = 'SilentlyContinue'; $DebugPreference = 'SilentlyContinue'
        }
        $text = Get-Content -Raw $transcript
        $text | Should -Match 'POST'                      # the transcript did record the calls
        $text | Should -Not -Match ([regex]::Escape($key))
        ($Error | ForEach-Object { $_ | Format-List * -Force | Out-String; $_.Exception | Format-List * -Force | Out-String }) -join "`n" |
            Should -Not -Match ([regex]::Escape($key))
        (Get-History | Out-String) | Should -Not -Match ([regex]::Escape($key))
    }
}

Describe 'Ctrl+C' {
    BeforeAll { $script:faults = Start-FaultServer }
    AfterAll { & $faults.Stop }

    It 'cancels an in-flight request within a second' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
            param($module, $url)
            Import-Module $module
            Connect-Ftrack -Server $url -Credential ([pscredential]::new('u', (ConvertTo-SecureString 'good-key' -AsPlainText -Force)))
            Invoke-FtrackQuery 'select name from Task where name is "Slow"'
        }).AddArgument($env:FTRACK_MODULE_PATH).AddArgument($faults.Url)
        $handle = $ps.BeginInvoke()
        # Cancel only once the request is at the server, waiting for its answer.
        $deadline = [datetime]::UtcNow.AddSeconds(30)
        while (-not $faults.Signals.SlowStarted -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        $faults.Signals.SlowStarted | Should -BeTrue
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 1
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        $ps.Dispose()
    }
}
