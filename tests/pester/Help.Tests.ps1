# Help for every exported cmdlet: real MAML (not the auto-generated fallback), every parameter of
# the code documented and nothing else, the about topics found, and every example in docs/*.md
# run against a fresh local server so that no example rots.

BeforeDiscovery {
    $script:modulePath = if ($env:FTRACK_MODULE_PATH) { $env:FTRACK_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/Ftrack/Ftrack.psd1' }
    Import-Module $modulePath -Force
    $script:cmdletNames = @((Get-Module Ftrack).ExportedCmdlets.Keys | Sort-Object)

    # The examples of every page: ```powershell blocks under "## EXAMPLES".
    function Get-DocExample([string] $Path) {
        $section = ''; $title = ''; $inCode = $false; $code = $null; $number = 0
        foreach ($line in Get-Content -LiteralPath $Path) {
            if ($inCode) {
                if ($line -match '^\s*```\s*$') {
                    $inCode = $false
                    if ($null -ne $code) {
                        $number++
                        $text = $code -join "`n"
                        @{
                            Page   = [IO.Path]::GetFileNameWithoutExtension($Path)
                            Title  = if ($title) { $title } else { "Example $number" }
                            Code   = $text
                            NotRun = $text -match '^\s*#\s*not run:'
                        }
                    }
                    $code = $null
                }
                elseif ($null -ne $code) { $code.Add($line) }
                continue
            }
            if ($line -match '^##\s+(.+?)\s*$') { $section = $Matches[1].ToUpperInvariant(); continue }
            if ($line -match '^###\s+(.+?)\s*$') { $title = $Matches[1]; continue }
            if ($line -match '^\s*```\s*(\S*)') {
                $inCode = $true
                $code = $null
                if ($section -eq 'EXAMPLES' -and $Matches[1] -in 'powershell', 'ps', 'pwsh') { $code = [System.Collections.Generic.List[string]]::new() }
            }
        }
    }
    $docs = Join-Path $PSScriptRoot '../../docs'
    $script:examples = @(Get-ChildItem $docs -Filter '*.md' | Sort-Object Name | ForEach-Object { Get-DocExample $_.FullName })
    $script:pages = @(Get-ChildItem $docs -Filter '*.md' | ForEach-Object BaseName)
}

BeforeAll {
    $modulePath = if ($env:FTRACK_MODULE_PATH) { $env:FTRACK_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/Ftrack/Ftrack.psd1' }
    Import-Module $modulePath -Force
    $script:savedSchemaCache = $env:FTRACK_SCHEMA_CACHE
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-help-cache-" + [guid]::NewGuid())
    $script:commonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters
}

AfterAll {
    Stop-FtrackLocalServer
    Disconnect-Ftrack
    if ($env:FTRACK_SCHEMA_CACHE -and (Test-Path $env:FTRACK_SCHEMA_CACHE)) { Remove-Item $env:FTRACK_SCHEMA_CACHE -Recurse -Force }
    $env:FTRACK_SCHEMA_CACHE = $savedSchemaCache
}

Describe 'Help of <_>' -ForEach $cmdletNames {
    BeforeAll {
        $name = $_
        $command = Get-Command $name
        $help = Get-Help $name -Full
        $codeParameters = @($command.Parameters.Keys | Where-Object { $_ -notin $commonParameters } | Sort-Object)
        $helpParameters = @($help.parameters.parameter | Where-Object { $_ } | ForEach-Object { [string]$_.name } | Sort-Object)
    }

    It 'has a page in docs/' {
        Test-Path (Join-Path $PSScriptRoot "../../docs/$name.md") | Should -BeTrue
    }

    It 'has a real synopsis (not the syntax line of auto-generated help)' {
        $synopsis = ([string]$help.Synopsis).Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        $synopsis | Should -Not -BeLike "$name *"
        $synopsis | Should -Not -Match '\[<CommonParameters>\]'
    }

    It 'has a description' {
        ($help.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'shows text without markdown marks (no backticks around code), examples as written' {
        # Text of the description, the parameters and the examples' remarks: what Get-Help prints as prose.
        $prose = @($help.description.Text) + @($help.parameters.parameter | Where-Object { $_ } | ForEach-Object { $_.description.Text }) +
            @($help.examples.example | ForEach-Object { $_.remarks.Text })
        ($prose -join "`n") | Should -Not -Match '`|\*\*|\]\('
        $page = Get-Content -Raw (Join-Path $PSScriptRoot "../../docs/$name.md")
        $firstCode = [regex]::Match($page, '(?s)## EXAMPLES.*?```powershell\r?\n(?<code>.*?)\r?\n```').Groups['code'].Value
        ([string]@($help.examples.example)[0].code).Replace("`r`n", "`n") | Should -Be $firstCode.Replace("`r`n", "`n")
    }

    It 'has at least two examples, each with code' {
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in $help.examples.example) { ([string]$example.code).Trim() | Should -Not -BeNullOrEmpty }
    }

    It 'documents every parameter of the code, and only those' {
        $missing = @($codeParameters | Where-Object { $_ -notin $helpParameters })
        $extra = @($helpParameters | Where-Object { $_ -notin $codeParameters })
        $missing | Should -BeNullOrEmpty -Because 'every parameter of the cmdlet must be in docs/<cmdlet>.md (MAML syntax replaces the reflected one)'
        $extra | Should -BeNullOrEmpty -Because 'the help must not document parameters the cmdlet does not have'
    }

    It 'describes every parameter' {
        foreach ($p in $help.parameters.parameter | Where-Object { $_ }) {
            ($p.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "-$($p.name) needs a description"
        }
    }

    It 'gives each parameter the type, pipeline input and wildcard support of the code' {
        foreach ($p in $help.parameters.parameter | Where-Object { $_ }) {
            $code = $command.Parameters[[string]$p.name]
            if (-not $code) { continue }
            $type = $code.ParameterType
            $expected = @($type.Name, $type.FullName)
            [string]$p.type.name | Should -BeIn $expected -Because "-$($p.name) is a $($type.Name) in the code"
            $byValue = @($code.ParameterSets.Values | Where-Object ValueFromPipeline).Count -gt 0
            $byName = @($code.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName).Count -gt 0
            $pipeline = if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
            [string]$p.pipelineInput | Should -Be $pipeline -Because "-$($p.name) takes pipeline input '$pipeline' in the code"
            $wildcards = @($code.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count -gt 0
            ([string]$p.globbing -eq 'true') | Should -Be $wildcards -Because "-$($p.name) wildcard support"
        }
    }

    It 'links only to exported cmdlets, about topics that exist, or absolute URLs' {
        $topics = @(Get-ChildItem (Join-Path (Split-Path (Get-Module Ftrack).Path) 'en-US') -Filter 'about_*.help.txt' | ForEach-Object { $_.Name -replace '\.help\.txt$' })
        $known = @((Get-Module Ftrack).ExportedCmdlets.Keys) + $topics + 'about_CommonParameters'
        foreach ($link in $help.relatedLinks.navigationLink | Where-Object { $_ }) {
            if ([string]$link.uri) { [uri]::IsWellFormedUriString([string]$link.uri, 'Absolute') | Should -BeTrue; continue }
            [string]$link.linkText | Should -BeIn $known -Because 'a related link without a URL must name a cmdlet or about topic of the module'
        }
    }

    It 'has one syntax item per parameter set, each with the parameters, mandatory flags and positions of that set' {
        $items = @($help.syntax.syntaxItem)
        $sets = @($command.ParameterSets)
        $items.Count | Should -Be $sets.Count
        # Match items to sets by their parameter names (MAML syntax items carry no set name).
        foreach ($set in $sets) {
            $names = @($set.Parameters | Where-Object { $_.Name -notin $commonParameters } | ForEach-Object Name | Sort-Object)
            $item = $items | Where-Object { (@($_.parameter | Where-Object { $_ } | ForEach-Object { [string]$_.name } | Sort-Object) -join ',') -eq ($names -join ',') } | Select-Object -First 1
            $item | Should -Not -BeNullOrEmpty -Because "parameter set '$($set.Name)' ($($names -join ', ')) needs a syntax item with exactly those parameters"
            foreach ($sp in $set.Parameters | Where-Object { $_.Name -notin $commonParameters }) {
                $hp = $item.parameter | Where-Object { $_.name -eq $sp.Name }
                ([string]$hp.required -eq 'true') | Should -Be $sp.IsMandatory -Because "-$($sp.Name) mandatory in set '$($set.Name)'"
                $position = if ($sp.Position -lt 0) { 'named' } else { [string]$sp.Position }
                ([string]$hp.position).ToLowerInvariant() | Should -Be $position -Because "-$($sp.Name) position in set '$($set.Name)'"
            }
        }
    }
}

Describe 'Help pages' {
    It 'document only cmdlets the module exports (page <_>)' -ForEach $pages {
        $_ | Should -BeIn @((Get-Module Ftrack).ExportedCmdlets.Keys)
    }
}

Describe 'About topics' {
    It '<_> is found by Get-Help and has the standard layout' -ForEach @('about_Ftrack', 'about_Ftrack_Query_Language', 'about_Ftrack_Custom_Attributes', 'about_Ftrack_Batches', 'about_Ftrack_Local_Server', 'about_Ftrack_Dates', 'about_Ftrack_Events') {
        $topic = Get-Help $_
        $text = $topic | Out-String
        $text | Should -Match 'SHORT DESCRIPTION'
        $text | Should -Match 'LONG DESCRIPTION'
        $text | Should -Match 'SEE ALSO'
    }

    It 'Get-Help about_Ftrack* lists them all' {
        $names = @(Get-Help about_Ftrack* | ForEach-Object Name)
        foreach ($topic in 'about_Ftrack', 'about_Ftrack_Query_Language', 'about_Ftrack_Custom_Attributes', 'about_Ftrack_Batches', 'about_Ftrack_Local_Server', 'about_Ftrack_Dates', 'about_Ftrack_Events') {
            $names | Should -Contain $topic
        }
    }
}

Describe 'Example <Title> of <Page>' -ForEach $examples {
    BeforeAll {
        $saved = @{}
        foreach ($v in 'FTRACK_SERVER', 'FTRACK_API_USER', 'FTRACK_API_KEY') { $saved[$v] = [Environment]::GetEnvironmentVariable($v) }
    }
    AfterAll {
        foreach ($v in $saved.Keys) { [Environment]::SetEnvironmentVariable($v, $saved[$v]) }
    }

    It 'runs against a fresh demo server without error' -Skip:$NotRun {
        # A fresh server per example: examples may change data.
        $server = Start-FtrackLocalServer -Seed Demo
        $server | Connect-Ftrack
        try {
            # Any error, terminating or not, fails the example: ErrorActionPreference Stop turns
            # non-terminating errors into exceptions. Output is formatted, as a user would see it.
            $block = [scriptblock]::Create($Code)
            $output = & {
                $ErrorActionPreference = 'Stop'
                $ConfirmPreference = 'None'
                & $block | Out-String -Width 200
            }
            Write-Verbose $output
        }
        finally {
            Stop-FtrackLocalServer
            Disconnect-Ftrack
        }
    }
}
