# The package as a user gets it: registered as a folder repository, installed with
# Install-PSResource -Scope CurrentUser, and used by name from a folder outside the repository.
# Everything runs in child pwsh processes whose HOME is a throw-away folder, so their module path,
# PSResourceGet repository list and schema cache are their own: the user's are never touched, and
# the module this session has loaded (out/Ftrack) cannot stand in for the installed one.
# The test task writes the package first (build.ps1 package) and passes its path in
# FTRACK_PACKAGE_PATH; run alone, this file takes out/Ftrack.*.nupkg.
#
# Skipped on Windows: there CurrentUser installs go to the Documents folder, which no environment
# variable redirects, so the install would land in the real user's modules.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'support/ChildProcess.psm1') -Force
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

    $script:package = $env:FTRACK_PACKAGE_PATH
    if (-not $package) { $package = Get-ChildItem (Join-Path $repoRoot 'out') -Filter 'Ftrack.*.nupkg' -ErrorAction SilentlyContinue | Select-Object -First 1 -ExpandProperty FullName }
    if (-not $package -or -not (Test-Path -LiteralPath $package)) {
        throw "No package to install: 'dotnet pwsh ./build.ps1 package' writes out/Ftrack.<version>.nupkg (the test task does it before Pester runs)."
    }
    $script:version = (Import-PowerShellDataFile (Join-Path $repoRoot 'Ftrack.psd1')).ModuleVersion
    $script:pesterPath = (Get-Module Pester).Path

    # The throw-away world: a home, a folder repository holding the package, a working folder.
    $script:sandbox = Join-Path ([IO.Path]::GetTempPath()) ('ftrack-install-' + [guid]::NewGuid().ToString('n'))
    $script:fakeHome = Join-Path $sandbox 'home'
    $script:feed = Join-Path $sandbox 'feed'
    $script:work = Join-Path $sandbox 'work'
    foreach ($dir in $fakeHome, $feed, $work) { New-Item -ItemType Directory -Path $dir | Out-Null }
    Copy-Item -LiteralPath $package $feed
    # The README's example, saved under the name the README suggests.
    Copy-Item (Join-Path $PSScriptRoot 'Example.Tests.ps1') (Join-Path $work 'Approve.Tests.ps1')

    $script:childEnvironment = @{
        HOME                        = $fakeHome
        # Unset, so that pwsh and PSResourceGet derive their folders from HOME alone, and pwsh builds
        # PSModulePath afresh: the throw-away user folder, then the machine-wide ones.
        XDG_DATA_HOME               = $null
        XDG_CONFIG_HOME             = $null
        XDG_CACHE_HOME              = $null
        PSModulePath                = $null
        FTRACK_MODULE_PATH          = $null
        FTRACK_PACKAGE_PATH         = $null
        FTRACK_SCHEMA_CACHE         = $null
        FTRACK_SERVER               = $null
        FTRACK_API_USER             = $null
        FTRACK_API_KEY              = $null
        POWERSHELL_TELEMETRY_OPTOUT = '1'
    }
    $script:userModules = Join-Path $fakeHome '.local/share/powershell/Modules'

    # What the real user has, to show afterwards that it is unchanged.
    $script:realStore = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'PSResourceGet/PSResourceRepository.xml'
    $script:realInstall = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) "powershell/Modules/Ftrack/$version"
    $script:realInstallBefore = Test-Path $realInstall
    $script:repositoryName = 'FtrackInstallTest' + [guid]::NewGuid().ToString('n').Substring(0, 8)
}

AfterAll {
    if ($sandbox -and (Test-Path $sandbox)) { Remove-Item -LiteralPath $sandbox -Recurse -Force }
}

Describe 'The package' -Skip:$IsWindows {
    It 'is out/Ftrack.<version>.nupkg, named after the manifest version' {
        Split-Path $package -Leaf | Should -Be "Ftrack.$version.nupkg"
    }

    It 'holds the module, its help, LICENSE and the local server, and Gallery metadata' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($package)
        try {
            $entries = @($zip.Entries | ForEach-Object FullName)
            $reader = [IO.StreamReader]::new(($zip.Entries | Where-Object FullName -EQ 'Ftrack.nuspec').Open())
            try { [xml] $nuspec = $reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally { $zip.Dispose() }
        foreach ($file in 'Ftrack.psd1', 'Ftrack.dll', 'Ftrack.Core.dll', 'Ftrack.types.ps1xml', 'Ftrack.format.ps1xml', 'LICENSE', 'THIRD-PARTY-NOTICES.txt',
            'en-US/Ftrack.dll-Help.xml', 'en-US/about_Ftrack.help.txt', 'server/Ftrack.Server.dll', 'server/Ftrack.Server.deps.json', 'server/Ftrack.Server.runtimeconfig.json') {
            $entries | Should -Contain $file
        }
        # Exactly what the build laid out (the package is generic over the layout), nothing more.
        $laidOut = Split-Path ($env:FTRACK_MODULE_PATH ?? (Join-Path $PSScriptRoot '../../out/Ftrack/Ftrack.psd1'))
        $expected = @(Get-ChildItem $laidOut -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath($laidOut, $_.FullName).Replace('\', '/') })
        $packed = @($entries | Where-Object { $_ -notmatch '^(_rels/|package/|\[Content_Types\]\.xml$|Ftrack\.nuspec$)' })
        Compare-Object $expected $packed | Should -BeNullOrEmpty
        $m = $nuspec.package.metadata
        $m.id | Should -Be 'Ftrack'
        $m.version | Should -Be $version
        $m.projectUrl | Should -Not -BeNullOrEmpty
        $m.licenseUrl | Should -Not -BeNullOrEmpty
        $m.releaseNotes | Should -Not -BeNullOrEmpty
        $m.copyright | Should -Match 'Apache License 2\.0'
        $m.tags -split ' ' | Should -Contain 'PSModule'
    }

    It "has a trimmed server: SQLite for pwsh's seven platforms, no symbols, no launcher" {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($package)
        try { $server = @($zip.Entries | ForEach-Object FullName | Where-Object { $_ -like 'server/*' }) }
        finally { $zip.Dispose() }
        $natives = @($server | Where-Object { $_ -like 'server/runtimes/*' })
        @($natives | ForEach-Object { $_.Split('/')[2] } | Sort-Object -Unique) |
            Should -Be @('linux-arm64', 'linux-musl-x64', 'linux-x64', 'osx-arm64', 'osx-x64', 'win-arm64', 'win-x64')
        $natives | Should -HaveCount 7
        $natives | ForEach-Object { $_ | Should -Match '/native/(lib)?e_sqlite3\.(so|dylib|dll)$' }
        $server | Where-Object { $_ -like '*.pdb' } | Should -BeNullOrEmpty
        $server | Should -Not -Contain 'server/Ftrack.Server'
        $server | Should -Not -Contain 'server/Ftrack.Server.exe'
    }

    It 'names in THIRD-PARTY-NOTICES.txt every assembly it redistributes, at its version' {
        $laidOut = Split-Path ($env:FTRACK_MODULE_PATH ?? (Join-Path $PSScriptRoot '../../out/Ftrack/Ftrack.psd1'))
        $notices = Get-Content -Raw (Join-Path $laidOut 'THIRD-PARTY-NOTICES.txt')
        $redistributed = @(Get-ChildItem (Join-Path $laidOut 'server') -Filter '*.dll' | Where-Object Name -NE 'Ftrack.Server.dll')
        $redistributed | Should -Not -BeNullOrEmpty
        foreach ($assembly in $redistributed) {
            $notices | Should -Match ([regex]::Escape($assembly.BaseName)) -Because "$($assembly.Name) is in server/"
            $notices | Should -Match ([regex]::Escape(($assembly.VersionInfo.ProductVersion -split '\+')[0])) -Because "$($assembly.Name) is version $($assembly.VersionInfo.ProductVersion)"
        }
    }
}

Describe 'Install-PSResource Ftrack from a folder repository' -Skip:$IsWindows {
    BeforeAll {
        $script:resultPath = Join-Path $sandbox 'install.json'
        $script:run = Invoke-ChildPwsh -File (Join-Path $PSScriptRoot 'support/InstallAndUse.ps1') -WorkingDirectory $work -Environment $childEnvironment -TimeoutSec 300 `
            -ArgumentList '-Feed', $feed, '-RepositoryName', $repositoryName, '-ResultPath', $resultPath
        $script:r = if (Test-Path $resultPath) { Get-Content -Raw $resultPath | ConvertFrom-Json } else { [pscustomobject]@{ Error = 'the child wrote no result' } }
        # Shown with every failure below: what the child printed and where it stopped.
        $script:why = "the child exited with $($run.ExitCode)$(if ($r.Error) { " after failing at $($r.Error)" }); it printed:`n$($run.Output)"
    }

    It 'runs in a child with its own module path, outside the repository, without FTRACK_MODULE_PATH' {
        $r.FtrackModulePathSet | Should -BeFalse -Because $why
        ($r.PSModulePath -split [IO.Path]::PathSeparator)[0] | Should -Be $userModules -Because $why
        $r.PSModulePath | Should -Not -Match ([regex]::Escape($repoRoot)) -Because $why
        $r.WorkingDirectory | Should -Be $work -Because $why
        $r.WorkingDirectory | Should -Not -BeLike "$repoRoot*" -Because $why
    }

    It "installs the manifest's version into the CurrentUser scope of the throw-away home" {
        $r.Error | Should -BeNullOrEmpty -Because $why
        $r.InstalledVersion | Should -Be $version -Because $why
        $r.InstalledLocation | Should -Be $userModules -Because $why
        $r.Available | Should -Be @(Join-Path $userModules "Ftrack/$version/Ftrack.psd1") -Because "the installed copy must be the only one found by name; $why"
    }

    It 'imports by name, with every cmdlet' {
        $r.ModuleBase | Should -Be (Join-Path $userModules "Ftrack/$version") -Because $why
        $r.ModuleVersion | Should -Be $version -Because $why
        $r.Cmdlets | Should -Be @((Import-PowerShellDataFile (Join-Path $repoRoot 'Ftrack.psd1')).CmdletsToExport | Sort-Object) -Because $why
    }

    It 'has MAML help: Get-Help Connect-Ftrack -Full shows the examples' {
        $r.HelpExampleCount | Should -BeGreaterOrEqual 2 -Because $why
        $r.HelpSynopsis | Should -Not -BeLike 'Connect-Ftrack *' -Because "auto-generated help's synopsis is the syntax line; $why"
        $r.HelpText | Should -Match 'EXAMPLE 1' -Because $why
        $r.HelpText | Should -Match 'Connect-Ftrack -Server https://' -Because $why
    }

    It 'has the about topics: Get-Help about_Ftrack' {
        $r.AboutText | Should -Match 'about_Ftrack' -Because $why
        $r.AboutText | Should -Match 'SHORT DESCRIPTION' -Because $why
    }

    It "starts the installed local server inside pwsh, connects, and Invoke-FtrackQuery 'select name from Project' returns rows" {
        $r.ServerStartLine | Should -BeLike "*$(Join-Path $userModules "Ftrack/$version/server/Ftrack.Server.dll") in this process*" -Because "the server must come from the package; $why"
        @($r.Projects).Count | Should -BeGreaterThan 0 -Because $why
        $r.Projects | Should -Contain 'sintel_redux' -Because $why
        $r.ServerStillRunning | Should -BeFalse -Because $why
        $r.Step | Should -Be 'done' -Because $why
    }

    It "leaves the user's repository list and module folder alone" {
        if (Test-Path $realStore) { Get-Content -Raw $realStore | Should -Not -Match $repositoryName }
        Test-Path $realInstall | Should -Be $realInstallBefore
        $r.RepositoryStore | Should -Be $feed -Because $why
        Join-Path $fakeHome '.local/share/PSResourceGet/PSResourceRepository.xml' | Should -FileContentMatch $repositoryName
    }

    Context "the README's Pester example, copied to a folder of its own" {
        BeforeAll {
            $script:pesterResultPath = Join-Path $sandbox 'pester.json'
            $script:pesterRun = Invoke-ChildPwsh -File (Join-Path $PSScriptRoot 'support/InvokePesterHere.ps1') -WorkingDirectory $work -Environment $childEnvironment -TimeoutSec 300 `
                -ArgumentList '-PesterPath', $pesterPath, '-ResultPath', $pesterResultPath
            $script:p = if (Test-Path $pesterResultPath) { Get-Content -Raw $pesterResultPath | ConvertFrom-Json } else { [pscustomobject]@{ Error = 'the child wrote no result' } }
            $script:pwhy = "the child exited with $($pesterRun.ExitCode)$(if ($p.Error) { " after failing: $($p.Error)" }); it printed:`n$($pesterRun.Output)"
        }

        It 'passes with Invoke-Pester there, loading the installed module' {
            $p.Error | Should -BeNullOrEmpty -Because $pwhy
            $p.FtrackModulePathSet | Should -BeFalse -Because $pwhy
            $p.Available | Should -Be @(Join-Path $userModules "Ftrack/$version/Ftrack.psd1") -Because $pwhy
            $p.Files | Should -Be @(Join-Path $work 'Approve.Tests.ps1') -Because $pwhy
            $p.Result | Should -Be 'Passed' -Because $pwhy
            $p.Passed | Should -BeGreaterThan 0 -Because $pwhy
            $p.Failed | Should -Be 0 -Because $pwhy
        }
    }
}
