# Where and how long the local server lives now that it runs inside pwsh (issue #11): in a pwsh with
# nothing else installed, through Ctrl+C at the prompt, until Stop-FtrackLocalServer, Remove-Module
# or the end of the process; and isolated from other copies of its dependencies.

BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'support/ChildProcess.psm1') -Force
    . (Join-Path $PSScriptRoot '../tools/PwshCommand.ps1')
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())

    # Runs a script in a fresh pwsh and returns the JSON object it printed last.
    function Invoke-ChildScript([string] $Script) {
        $file = Join-Path $TestDrive ("child-" + [guid]::NewGuid().ToString('n') + '.ps1')
        "`$ErrorActionPreference = 'Stop'`nImport-Module '$env:FTRACK_MODULE_PATH'`n`$env:FTRACK_SCHEMA_CACHE = '$env:FTRACK_SCHEMA_CACHE'`n$Script" | Set-Content $file
        $run = Invoke-ChildPwsh -File $file -TimeoutSec 120
        $json = @($run.Output -split "`n" | Where-Object { $_ -match '^\s*\{' })
        if (-not $json) { throw "The child printed no JSON (exit code $($run.ExitCode)):`n$($run.Output)" }
        $json[-1] | ConvertFrom-Json
    }
}

Describe 'Start-FtrackLocalServer in a pwsh whose .NET has no ASP.NET Core, with no dotnet on PATH' -Skip:(-not $IsLinux) {
    BeforeAll {
        # The running runtime's shared frameworks: .../shared/Microsoft.NETCore.App/<version>/ is this
        # pwsh's own; Microsoft.AspNetCore.App beside it is what a pwsh from an MSI, deb or Homebrew lacks.
        $netCore = [Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory().TrimEnd('/', '\')
        $script:aspNetCore = Join-Path (Split-Path (Split-Path $netCore)) 'Microsoft.AspNetCore.App'
        # PATH without any folder that holds a dotnet program.
        $path = ($env:PATH -split [IO.Path]::PathSeparator | Where-Object { $_ -and -not (Test-Path (Join-Path $_ 'dotnet')) }) -join [IO.Path]::PathSeparator
        $resultPath = Join-Path $TestDrive 'no-aspnetcore.json'
        $pwsh = @(Get-PwshCommand)
        # A mount namespace of its own (unshare -m; private, so the host's mounts are untouched) with
        # an empty tmpfs over Microsoft.AspNetCore.App, then this pwsh again (by full path), narrowed.
        # The child's PATH has neither sh nor mount: both by full path.
        $mount = (Get-Command mount -CommandType Application | Select-Object -First 1).Source
        $hide = 'if [ -d "$2" ]; then "$1" -t tmpfs -o size=1m ftrack-test "$2" || exit 97; fi; shift 2; exec "$@"'
        $arguments = @('-m', '--', '/bin/sh', '-c', $hide, 'sh', $mount, $aspNetCore) + $pwsh + @('-NoProfile', '-NonInteractive', '-File',
            (Join-Path $PSScriptRoot 'support/StartLocalServerHere.ps1'), '-ModulePath', $env:FTRACK_MODULE_PATH, '-AspNetCoreFolder', $aspNetCore, '-ResultPath', $resultPath)
        $script:run = Invoke-ChildProcess -FilePath 'unshare' -ArgumentList $arguments -Environment @{ PATH = $path; DOTNET_ROOT = $null; FTRACK_MODULE_PATH = $null } -TimeoutSec 180
        $script:r = if (Test-Path $resultPath) { Get-Content -Raw $resultPath | ConvertFrom-Json } else { [pscustomobject]@{ Error = 'the child wrote no result' } }
        $script:why = "the child exited with $($run.ExitCode)$(if ($r.Error) { " after failing at $($r.Error)" }); it printed:`n$($run.Output)"
    }

    It 'runs where ASP.NET Core is hidden and dotnet is not on PATH' {
        $r.DotnetOnPath | Should -BeNullOrEmpty -Because $why
        $r.Path | Should -Not -BeNullOrEmpty -Because $why
        $r.AspNetCoreFiles | Should -Be 0 -Because "Microsoft.AspNetCore.App must look empty there; $why"
        $r.NetCoreFiles | Should -BeGreaterThan 100 -Because $why
    }

    It 'starts the local server, connects and queries' {
        $r.Error | Should -BeNullOrEmpty -Because $why
        $r.Projects | Should -Be @('sintel_redux', 'spring_commercial') -Because $why
        $r.AspNetCoreLoaded | Should -Be 0 -Because $why
        $r.Step | Should -Be 'done' -Because $why
    }

    It 'hid the ASP.NET Core that this machine has from that child only' {
        @(Get-ChildItem $aspNetCore -Recurse -File -ErrorAction SilentlyContinue).Count | Should -BeGreaterThan 0 -Because 'the .NET SDK that builds the module brings ASP.NET Core, and the tmpfs must not cover it here'
    }
}

Describe 'The server on .NET 8, the runtime pwsh 7.4 runs on' -Skip:(-not $IsLinux -or [Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture -ne 'X64') {
    BeforeAll {
        # The machine has .NET 10 only: a dotnet root of its own from this host and the .NET 8 runtime
        # pack that tests/tools/Ftrack.TestTools.csproj downloads (build.ps1 test restores it).
        $version = ([xml](Get-Content (Join-Path $PSScriptRoot '../tools/Ftrack.TestTools.csproj'))).Project.ItemGroup.PackageDownload |
            Where-Object Include -EQ 'Microsoft.NETCore.App.Runtime.linux-x64' | ForEach-Object { $_.Version.Trim('[', ']') }
        $nuget = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
        $pack = Join-Path $nuget "microsoft.netcore.app.runtime.linux-x64/$version/runtimes/linux-x64"
        $installed = Split-Path (Split-Path (Split-Path ([Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory().TrimEnd('/'))))
        $script:root = Join-Path $TestDrive 'dotnet8'
        $framework = Join-Path $root "shared/Microsoft.NETCore.App/$version"
        New-Item -ItemType Directory $framework, (Join-Path $root 'host') | Out-Null
        Copy-Item (Join-Path $installed 'dotnet') $root
        Copy-Item (Join-Path $installed 'host/fxr') (Join-Path $root 'host') -Recurse
        Copy-Item (Join-Path $pack 'lib/net8.0/*'), (Join-Path $pack 'native/*') $framework
        $script:frameworkDir = $framework

        $psi = [Diagnostics.ProcessStartInfo]::new((Join-Path $root 'dotnet'))
        foreach ($a in (Join-Path (Split-Path $env:FTRACK_MODULE_PATH) 'server/Ftrack.Server.dll'), '--port', '0', '--seed', 'Demo') { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.Environment['DOTNET_ROOT'] = $root
        $script:process = [Diagnostics.Process]::Start($psi)
        $script:errors = $process.StandardError.ReadToEndAsync()
        $line = $process.StandardOutput.ReadLineAsync()
        $script:firstLine = if ($line.Wait(60000)) { $line.Result } else { '' }
    }
    AfterAll {
        if ($process -and -not $process.HasExited) { $process.Kill() }
    }

    It 'starts, on that runtime, and answers a query' {
        $m = [regex]::Match($firstLine, '^Ftrack local server listening url=(?<url>http://127\.0\.0\.1:\d+) api_user=(?<user>\S+) api_key=(?<key>\S+)$')
        $m.Success | Should -BeTrue -Because "its first line was '$firstLine'; on stderr: $(if ($errors.IsCompleted) { $errors.Result })"
        $url, $user, $key = $m.Groups['url'].Value, $m.Groups['user'].Value, $m.Groups['key'].Value
        $runtime = @(Get-Content "/proc/$($process.Id)/maps" | Where-Object { $_ -like '*libcoreclr.so' } | ForEach-Object { ($_ -split '\s+', 6)[5] } | Sort-Object -Unique)
        $runtime | Should -Be @(Join-Path $frameworkDir 'libcoreclr.so')
        $answer = Invoke-RestMethod -Method Post -Uri "$url/api" -Headers @{ 'ftrack-user' = $user; 'ftrack-api-key' = $key } `
            -Body '[{"action":"query","expression":"select name, status.name from Task where parent.name is \"SQ010_SH010\""}]' -ContentType 'application/json'
        @($answer[0].data).Count | Should -BeGreaterThan 0
    }
}

Describe 'Ctrl+C at the prompt, in a terminal' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'support/Terminal.psm1') -Force
        $script:terminal = Start-TerminalSession -Environment @{ FTRACK_SCHEMA_CACHE = $env:FTRACK_SCHEMA_CACHE }
    }
    AfterAll { Stop-TerminalSession $terminal }

    It 'interrupts the command at the prompt, and the local server still answers' {
        Send-TerminalLine $terminal "Import-Module '$env:FTRACK_MODULE_PATH'; `$s = Start-FtrackLocalServer -Seed Demo; `$s | Connect-Ftrack; 'STARTED=' + `$s.IsRunning + ';'"
        $null = Wait-TerminalText $terminal 'STARTED=True;' -TimeoutSec 60
        # The marker is built, so the command line echoed in the terminal does not contain it.
        Send-TerminalLine $terminal "Start-Sleep -Seconds 60; 'SLEPT' + '-THROUGH'"
        Start-Sleep -Seconds 1
        Send-TerminalCtrlC $terminal
        Send-TerminalLine $terminal "'PROJECTS=' + ((Invoke-FtrackQuery 'select name from Project' | ForEach-Object name) -join ',') + ';RUNNING=' + `$s.IsRunning + ';'"
        $text = Wait-TerminalText $terminal 'PROJECTS=[^;]*;RUNNING=\w+;' -TimeoutSec 60
        $text | Should -Match 'PROJECTS=sintel_redux,spring_commercial;RUNNING=True;'
        $text | Should -Not -Match 'SLEPT-THROUGH'
    }
}

Describe 'How long the local server lives' {
    It 'until Remove-Module: its port closes, and its sessions say it was stopped' {
        $r = Invoke-ChildScript @'
$server = Start-FtrackLocalServer -Seed Empty
$session = $server | Connect-Ftrack -PassThru
$before = $session.Query('select name from Project').Data.Count
Remove-Module Ftrack
$refused = try { [Net.Sockets.TcpClient]::new('127.0.0.1', $server.Url.Port).Dispose(); $false } catch { $true }
$message = try { $session.Query('select name from Project') | Out-Null; 'answered' } catch { $_.Exception.InnerException.Message }
[pscustomobject]@{ Before = $before; Refused = $refused; IsRunning = $server.IsRunning; StopReason = $server.StopReason; Message = $message } | ConvertTo-Json -Compress
'@
        $r.Before | Should -Be 0
        $r.Refused | Should -BeTrue
        $r.IsRunning | Should -BeFalse
        $r.StopReason | Should -Be 'was stopped when the Ftrack module was removed'
        $r.Message | Should -BeLike 'The local server at http://127.0.0.1:* was stopped when the Ftrack module was removed.*'
    }

    It 'until the end of the process' {
        $r = Invoke-ChildScript @'
$server = Start-FtrackLocalServer -Seed Empty
[pscustomobject]@{ Port = $server.Url.Port } | ConvertTo-Json -Compress
'@
        { [Net.Sockets.TcpClient]::new('127.0.0.1', $r.Port) } | Should -Throw '*refused*'
    }

    It 'is not started by Start-FtrackLocalServer -WhatIf' {
        $r = Invoke-ChildScript @'
$server = Start-FtrackLocalServer -Seed Empty -WhatIf
$loaded = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Ftrack.Server' }).Count
[pscustomobject]@{ Returned = $null -ne $server; ServerLoaded = $loaded } | ConvertTo-Json -Compress
'@
        $r.Returned | Should -BeFalse
        $r.ServerLoaded | Should -Be 0
    }
}

Describe "The user's culture" {
    It 'does not reach the server: a pwsh in Persian (its calendar, its digit grouping) still gets 2026 dates and invariant numbers' {
        $file = Join-Path $TestDrive 'culture.ps1'
        @"
`$ErrorActionPreference = 'Stop'
Import-Module '$env:FTRACK_MODULE_PATH'
`$env:FTRACK_SCHEMA_CACHE = '$env:FTRACK_SCHEMA_CACHE'
`$server = Start-FtrackLocalServer -Seed Demo
`$server | Connect-Ftrack
`$years = @(Invoke-FtrackQuery 'select start_date from Task where start_date is_not None' | ForEach-Object { `$_.start_date.Year } | Sort-Object -Unique)
`$message = try { Invoke-FtrackQuery ("select name from Task where name like '" + ('x' * 60000) + "'") -ErrorAction Stop } catch { `$_.Exception.Message }
[pscustomobject]@{ Culture = [cultureinfo]::CurrentCulture.Name; Years = `$years; Message = `$message } | ConvertTo-Json -Compress
"@ | Set-Content $file
        $run = Invoke-ChildPwsh -File $file -Environment @{ LANG = 'fa_IR.UTF-8'; LC_ALL = 'fa_IR.UTF-8' } -TimeoutSec 120
        $r = @($run.Output -split "`n" | Where-Object { $_ -match '^\s*\{' })[-1] | ConvertFrom-Json
        $r.Culture | Should -Be 'fa-IR' -Because $run.Output
        $r.Years | Should -Be @(2026) -Because 'the demo data is dated 2026'
        $r.Message | Should -Match 'at most 50,000 bytes long; this one is 60,000\.'
    }
}

Describe 'Isolation from other copies of its dependencies' {
    It 'uses its own Microsoft.Data.Sqlite when another module loaded one first' {
        $other = Join-Path $TestDrive 'other-module'
        New-Item -ItemType Directory $other | Out-Null
        $serverFolder = Join-Path (Split-Path $env:FTRACK_MODULE_PATH) 'server'
        Copy-Item (Join-Path $serverFolder 'Microsoft.Data.Sqlite.dll'), (Join-Path $serverFolder 'SQLitePCLRaw.core.dll') $other
        $r = Invoke-ChildScript @"
Add-Type -Path '$other/SQLitePCLRaw.core.dll', '$other/Microsoft.Data.Sqlite.dll'
`$server = Start-FtrackLocalServer -Seed Demo
`$server | Connect-Ftrack
`$projects = @(Invoke-FtrackQuery 'select name from Project').Count
`$copies = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Microsoft.Data.Sqlite' } |
    ForEach-Object { `$_.Location + ' in ' + [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).GetType().Name })
[pscustomobject]@{ Projects = `$projects; Copies = `$copies } | ConvertTo-Json -Compress
"@
        $r.Projects | Should -Be 2
        $r.Copies | Should -HaveCount 2
        $r.Copies | Should -Contain "$other/Microsoft.Data.Sqlite.dll in DefaultAssemblyLoadContext"
        $r.Copies | Should -Contain "$serverFolder/Microsoft.Data.Sqlite.dll in ServerLoadContext"
    }
}
