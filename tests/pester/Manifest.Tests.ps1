# The module manifest as the PowerShell Gallery reads it: valid, with every field the Gallery shows
# filled in, and exports listed by name. Checks the laid-out copy (out/Ftrack), which is the one packed.

BeforeAll {
    $script:manifestPath = if ($env:FTRACK_MODULE_PATH) { $env:FTRACK_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/Ftrack/Ftrack.psd1' }
    $script:data = Import-PowerShellDataFile $manifestPath
    $script:psData = $data.PrivateData.PSData
}

Describe 'The module manifest' {
    It 'passes Test-ModuleManifest' {
        $info = Test-ModuleManifest $manifestPath -ErrorAction Stop
        $info.Name | Should -Be 'Ftrack'
        $info.Version | Should -Be ([version]$data.ModuleVersion)
    }

    It 'describes the module and names its authors' {
        $data.Description.Length | Should -BeGreaterThan 80
        $data.Author | Should -Not -BeNullOrEmpty
    }

    It 'has a copyright line naming the year, the holders and the licence' {
        $data.Copyright | Should -Match '^\(c\) \d{4} \S.+\. Licensed under the Apache License 2\.0\.$'
    }

    It 'says which PowerShell it needs: Core, 7.4 or newer' {
        $data.CompatiblePSEditions | Should -Be @('Core')
        [version]$data.PowerShellVersion | Should -BeGreaterOrEqual ([version]'7.4')
    }

    It 'links the project and the licence with absolute https URLs' {
        foreach ($uri in $psData.ProjectUri, $psData.LicenseUri) {
            $uri | Should -Not -BeNullOrEmpty
            ([uri]$uri).Scheme | Should -Be 'https'
        }
    }

    It 'has tags the Gallery accepts (no spaces), including ftrack' {
        $psData.Tags | Should -Contain 'ftrack'
        foreach ($tag in $psData.Tags) { $tag | Should -Not -Match '\s' }
    }

    It 'has release notes for this version' {
        $psData.ReleaseNotes | Should -Match ('^' + [regex]::Escape($data.ModuleVersion) + '\b')
        $psData.ReleaseNotes.Length | Should -BeGreaterThan 100
    }

    It 'exports every cmdlet of Ftrack.dll by name, and nothing else' {
        $module = Import-Module $manifestPath -PassThru -Force
        $inAssembly = @($module.ImplementingAssembly.GetTypes() | ForEach-Object {
                $attribute = [Attribute]::GetCustomAttribute($_, [System.Management.Automation.CmdletAttribute])
                if ($attribute) { "$($attribute.VerbName)-$($attribute.NounName)" }
            } | Sort-Object)
        $inAssembly.Count | Should -BeGreaterThan 0
        @($data.CmdletsToExport | Sort-Object) | Should -Be $inAssembly
        foreach ($key in 'CmdletsToExport', 'FunctionsToExport', 'AliasesToExport', 'VariablesToExport') {
            $data.ContainsKey($key) | Should -BeTrue -Because "a missing $key means '*' to PowerShell"
            @($data[$key]) -join ',' | Should -Not -Match '\*' -Because "$key must list names, not wildcards"
        }
    }

    It 'has the version of the assemblies it loads (Directory.Build.props), so the package version is theirs' {
        $module = Import-Module $manifestPath -PassThru -Force
        $assembly = $module.ImplementingAssembly.GetName().Version
        [version]('{0}.{1}.{2}' -f $assembly.Major, $assembly.Minor, $assembly.Build) | Should -Be ([version]$data.ModuleVersion)
    }

    It 'is shipped with the Apache License 2.0 text beside it' {
        $license = Join-Path (Split-Path $manifestPath) 'LICENSE'
        $license | Should -FileContentMatch 'Apache License'
        $license | Should -FileContentMatch 'Version 2\.0, January 2004'
        $license | Should -FileContentMatch 'END OF TERMS AND CONDITIONS'
    }
}
