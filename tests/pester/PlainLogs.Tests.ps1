# Logs are plain text (issue #15, item 9): build.ps1's output redirected to a file carries no ANSI
# colour codes - not from itself, nor from the pwsh it starts, whose verbose lines, warnings and
# table headers pwsh colours even when redirected. The demo task shows all of those.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'support/ChildProcess.psm1') -Force
    $script:repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
}

Describe 'build.ps1 redirected to a log' {
    It 'writes no ANSI escape codes (the demo, run on the module as built)' {
        $run = Invoke-ChildPwsh -File (Join-Path $repoRoot 'build.ps1') -ArgumentList 'demo', '-NoBuild' -WorkingDirectory $repoRoot `
            -Environment @{ NO_COLOR = $null; FTRACK_SCHEMA_CACHE = (Join-Path ([IO.Path]::GetTempPath()) ('ftrack-cache-' + [guid]::NewGuid())) } -TimeoutSec 300
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'Tasks by status'          # the demo ran, tables and all
        $run.Output | Should -Not -Match "`e\[" -Because 'a log must not carry colour codes'
    }
}
