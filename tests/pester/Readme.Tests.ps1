# The README's query examples run against the demo data, so the tour never shows a query that fails.
BeforeDiscovery {
    $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
    $section = [regex]::Match($readme, '### Query: the language in five examples\s+```powershell(?<code>.*?)```', 'Singleline').Groups['code'].Value
    $script:queries = [regex]::Matches($section, "Invoke-FtrackQuery '(?<q>[^']+)'") | ForEach-Object { @{ Query = $_.Groups['q'].Value } }
}

BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
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
