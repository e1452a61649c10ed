# The README's query examples run against the demo data, so the tour never shows a query that fails;
# its Pester example is the tested file itself; its next step after the demo works.
BeforeDiscovery {
    $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
    $section = [regex]::Match($readme, '### Query: the language in five examples\s+```powershell(?<code>.*?)```', 'Singleline').Groups['code'].Value
    $script:queries = [regex]::Matches($section, "Invoke-FtrackQuery '(?<q>[^']+)'") | ForEach-Object { @{ Query = $_.Groups['q'].Value } }
}

BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'support/ChildProcess.psm1') -Force
    $script:repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:readmeText = (Get-Content -Raw (Join-Path $repoRoot 'README.md')).Replace("`r`n", "`n")
    $script:server = Start-FtrackLocalServer -Seed Demo
    $server | Connect-Ftrack
}

AfterAll {
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

Describe 'README query examples' {
    It 'finds the examples' { $queries.Count | Should -BeGreaterOrEqual 7 }

    It 'runs: <Query>' -ForEach $queries {
        { Invoke-FtrackQuery $Query -ErrorAction Stop } | Should -Not -Throw
    }
}

Describe 'The README' {
    It 'quotes tests/pester/Example.Tests.ps1 verbatim, as one whole code block' {
        $example = (Get-Content -Raw (Join-Path $PSScriptRoot 'Example.Tests.ps1')).Replace("`r`n", "`n").Trim()
        $block = '```powershell' + "`n" + $example + "`n" + '```'
        $readmeText | Should -BeLike ('*' + [WildcardPattern]::Escape($block) + '*')
    }

    It "has the suite run that example against this build ('Import-Module Ftrack' finds out/Ftrack first)" {
        # The example imports by name, as a user's test would; build.ps1 puts out/ first on PSModulePath.
        @(Get-Module -ListAvailable Ftrack)[0].Path | Should -Be (Resolve-Path $env:FTRACK_MODULE_PATH).Path
    }

    It 'gives the next command after the demo, and it opens a pwsh with the module connected to a demo server' {
        $m = [regex]::Match($readmeText, '(?m)^(?<line>dotnet pwsh -NoExit -Command "(?<command>[^"]+)")$')
        $m.Success | Should -BeTrue -Because 'the README must show the command after the demo'
        Get-Content -Raw (Join-Path $PSScriptRoot '../demo/Demo.ps1') | Should -Match ([regex]::Escape($m.Groups['line'].Value)) -Because 'the demo ends with the same command'

        # Run as the README says, from the clone's root, typing at its prompt and then exit. With the
        # default PSModulePath (not this suite's, which has out/ first) only the command's own
        # Import-Module can load out/Ftrack; the prompt then shows which copy is loaded.
        $cache = Join-Path ([IO.Path]::GetTempPath()) ('ftrack-next-cache-' + [guid]::NewGuid())
        $typed = "(Get-Module Ftrack).ModuleBase`nInvoke-FtrackQuery 'select name from Project' | ForEach-Object name`nexit`n"
        try {
            $run = Invoke-ChildProcess -FilePath dotnet -ArgumentList 'pwsh', '-NoExit', '-Command', $m.Groups['command'].Value -WorkingDirectory $repoRoot `
                -Environment @{ FTRACK_SCHEMA_CACHE = $cache; FTRACK_MODULE_PATH = $null; PSModulePath = $null } -InputText $typed -TimeoutSec 120
        }
        finally { if (Test-Path $cache) { Remove-Item $cache -Recurse -Force } }
        $output = $run.Output -replace '\e\[[0-9;?]*[A-Za-z]'    # the prompt's terminal control sequences
        $run.ExitCode | Should -Be 0 -Because $output
        $output | Should -Match ('(?m)^' + [regex]::Escape((Join-Path $repoRoot 'out/Ftrack')) + '\s*$') -Because "the command's Import-Module loads out/Ftrack; $output"
        $output | Should -Match '127\.0\.0\.1' -Because "Connect-Ftrack -PassThru shows the session; $output"
        $output | Should -Match '(?m)^sintel_redux\s*$' -Because $output
    }
}

# Last: the tour starts (and this test stops) servers of its own, and connects as it says.
Describe 'The README tour' {
    It 'runs as written, block after block in order, against the demo server it starts' {
        $tour = [regex]::Match($readmeText, '(?ms)^## A tour$(?<tour>.*?)^## ').Groups['tour'].Value
        $blocks = @([regex]::Matches($tour, '(?ms)^```powershell\n(?<code>.*?)\n```') | ForEach-Object { $_.Groups['code'].Value })
        # Example.Tests.ps1, quoted in the tour, is a Pester file: the suite runs it as one (and checks the quote above).
        $example = (Get-Content -Raw (Join-Path $PSScriptRoot 'Example.Tests.ps1')).Replace("`r`n", "`n").Trim()
        $notRun = @($blocks | Where-Object { $_ -match '^\s*#\s*not run:' })
        $run = @($blocks | Where-Object { $_ -notmatch '^\s*#\s*not run:' -and $_.Trim() -ne $example })
        $notRun | Should -HaveCount 1 -Because 'only connecting to a studio needs a server of its own'
        $run.Count | Should -BeGreaterOrEqual 4

        Disconnect-Ftrack
        $tourFolder = Join-Path ([IO.Path]::GetTempPath()) 'ftrack-tour'
        Push-Location $repoRoot
        try {
            # Dot-sourced into one scope, so what a block assigns is there for the next, as at a prompt;
            # any error, terminating or not, fails the tour, and output is formatted as a user sees it.
            & {
                $ErrorActionPreference = 'Stop'
                $ConfirmPreference = 'None'
                for ($i = 0; $i -lt $run.Count; $i++) {
                    try { . ([scriptblock]::Create($run[$i])) | Out-String -Width 200 | Write-Verbose }
                    catch { throw "README tour block $($i + 1) of $($run.Count) failed: $_`n$($run[$i])" }
                }
            }
        }
        finally {
            Pop-Location
            Get-FtrackBatch | Undo-FtrackBatch
            Stop-FtrackLocalServer
            if (Test-Path $tourFolder) { Remove-Item $tourFolder -Recurse -Force }
        }
    }
}
