# The README's query examples run against the demo data, so the tour never shows a query that fails;
# its Pester example is the tested file itself.
BeforeDiscovery {
    $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
    $section = [regex]::Match($readme, '### Query: the language in five examples\s+```powershell(?<code>.*?)```', 'Singleline').Groups['code'].Value
    $script:queries = [regex]::Matches($section, "Invoke-FtrackQuery '(?<q>[^']+)'") | ForEach-Object { @{ Query = $_.Groups['q'].Value } }
}

BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
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
}
