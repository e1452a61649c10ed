BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'support/TestServers.psm1') -Force
    $script:server = Start-FaultServer
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    Connect-Ftrack -Server $server.Url -Credential (New-TestCredential)
}

AfterAll {
    Disconnect-Ftrack
    & $script:server.Stop
}

Describe 'Error records' {
    # Each kind of failure: its stable FullyQualifiedErrorId, category, the server's exception
    # name and message, and the expression as the target.
    It '<Expression> -> <ErrorId>' -ForEach @(
        @{ Expression = 'select name from Task where name is "Forbidden"'; ErrorId = 'Ftrack.PermissionDenied'; Category = 'PermissionDenied'; Text = 'PermissionError: You do not have permission' }
        @{ Expression = 'select name from Task where name is "Invalid"'; ErrorId = 'Ftrack.ValidationFailed'; Category = 'InvalidData'; Text = 'ValidationError: name must not be empty' }
        @{ Expression = 'select from Task'; ErrorId = 'Ftrack.QueryParseFailed'; Category = 'ParserError'; Text = 'ParseError: Unable to parse expression' }
        @{ Expression = 'select name from Task where name is "Broken"'; ErrorId = 'Ftrack.ServerError'; Category = 'InvalidResult'; Text = 'ServerError: Something broke' }
        @{ Expression = 'select name from Task where name is "Html"'; ErrorId = 'Ftrack.InvalidResponse'; Category = 'ProtocolError'; Text = '502.*HTML page titled "502 Bad Gateway"' }
        @{ Expression = 'select name from Task where name is "Truncated"'; ErrorId = 'Ftrack.InvalidResponse'; Category = 'ProtocolError'; Text = 'ended after .* bytes, before its JSON was complete' }
    ) {
        $result = Invoke-FtrackQuery $Expression -ErrorVariable err -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -Be "$ErrorId,Ftrack.Cmdlets.InvokeFtrackQueryCommand"
        $err[0].CategoryInfo.Category | Should -Be $Category
        $err[0].Exception.Message | Should -Match $Text
        $err[0].TargetObject | Should -Be $Expression
        if ($ErrorId -notlike '*InvalidResponse') { $err[0].Exception.Message | Should -Match ([regex]::Escape("query `"$Expression")) }
    }

    It 'a refused key -> Ftrack.AuthenticationFailed, and the earlier session stays the default' {
        $before = Get-FtrackSession
        $err = $null
        try { Connect-Ftrack -Server $server.Url -Credential (New-TestCredential -Key 'revoked') } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'Ftrack.AuthenticationFailed,Ftrack.Cmdlets.ConnectFtrackCommand'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.ServerExceptionName | Should -Be 'InvalidCredentialsError'
        $err.Exception.HttpStatus | Should -Be 401
        # A failed Connect-Ftrack leaves the previous default session in place.
        [object]::ReferenceEquals((Get-FtrackSession), $before) | Should -BeTrue
    }

    It 'a failure in one piped expression does not stop the others' {
        $rows = 'select name from Task where name is "Broken"', 'select status.state.short from Task' | Invoke-FtrackQuery -ErrorVariable err -ErrorAction SilentlyContinue
        $rows | Should -HaveCount 2
        $err | Should -HaveCount 1
    }

    It 'verbose output has one line per HTTP call and no API key' {
        $lines = Invoke-FtrackQuery 'select status.state.short from Task' -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $lines | Should -HaveCount 1
        $lines[0].Message | Should -Match 'POST .*/api query .* 200 OK in \d+ ms, [\d,]+ bytes'
        ($lines | Out-String) | Should -Not -Match 'good-key'
    }
}

Describe 'Timeouts' {
    It 'a timeout -> Ftrack.Timeout within the session timeout' {
        $session = Connect-Ftrack -Server $server.Url -Credential (New-TestCredential) -TimeoutSec 1 -PassThru
        $watch = [Diagnostics.Stopwatch]::StartNew()
        Invoke-FtrackQuery 'select name from Task where name is "Slow"' -Session $session -ErrorVariable err -ErrorAction SilentlyContinue
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 4
        $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.Timeout,Ftrack.Cmdlets.InvokeFtrackQueryCommand'
        $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
    }
}

Describe 'The README error table' {
    It 'lists every id of FtrackErrorIds, and no id that does not exist' {
        $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
        $table = [regex]::Match($readme, '(?s)### Errors\n.*?\n\| id \|.*?\n\n').Value
        $table | Should -Not -BeNullOrEmpty
        $listed = [regex]::Matches($table, '`(Ftrack\.\w+)`') | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique
        $defined = [Ftrack.Core.FtrackErrorIds].GetFields() | Where-Object IsLiteral | ForEach-Object { $_.GetValue($null) } | Sort-Object -Unique
        Compare-Object $defined $listed | Should -BeNullOrEmpty
    }
}
