# Publishing (issue #13, module side) over HTTP against the local server: a file and a 5-frame
# sequence uploaded to ftrack.server and downloaded byte-identical, signed URLs, an unmanaged
# location, thumbnails, review media, progress, -WhatIf, and the refusals that leave nothing
# behind (a folder, a missing frame, an upload the server refuses half-way).
BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:server = Start-FtrackLocalServer -Seed Demo
    $script:session = $server | Connect-Ftrack -PassThru
    $script:version = Invoke-FtrackQuery 'select version, asset.name from AssetVersion where asset.name is "SQ010_SH010_comp"' -First 1

    $script:work = Join-Path $TestDrive 'publish'
    New-Item -ItemType Directory $work | Out-Null
    # Random bytes, so a download that mixes up files or frames cannot match by chance.
    function New-RandomFile([string] $Path, [int] $Bytes) {
        $data = [byte[]]::new($Bytes)
        [Security.Cryptography.RandomNumberGenerator]::Fill($data)
        [IO.File]::WriteAllBytes($Path, $data)
        Get-Item $Path
    }
    function Get-Hash([string] $Path) { (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash }
    function Get-ComponentCount { (Invoke-FtrackQuery 'select id from Component' -PageSize 0 | Measure-Object).Count }

    $script:plate = New-RandomFile (Join-Path $work 'plate.mov') (3MB + 123)
    foreach ($frame in 1001..1005) { New-RandomFile (Join-Path $work "beauty.$frame.exr") (200KB + $frame) | Out-Null }
}

AfterAll {
    Get-FtrackBatch | Undo-FtrackBatch
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

Describe 'New-FtrackComponent and Save-FtrackComponent' {
    It 'uploads a file to ftrack.server and downloads it byte-identical' {
        $component = New-FtrackComponent -Path $plate.FullName -Version $version
        $component.__entity_type__ | Should -Be 'FileComponent'
        $component.name | Should -Be 'plate'
        $component.file_type | Should -Be '.mov'
        $component.size | Should -Be $plate.Length
        $stored = Invoke-FtrackQuery "select resource_identifier, location.name, component.version_id from ComponentLocation where component_id is '$($component.id)'"
        $stored.location.name | Should -Be 'ftrack.server'
        $stored.resource_identifier | Should -Be $component.id
        $stored.component.version_id | Should -Be $version.id

        $saved = Save-FtrackComponent -InputObject $component -Destination (Join-Path $TestDrive 'down1')
        $saved | Should -BeOfType [IO.FileInfo]
        $saved.Name | Should -Be 'plate.mov'
        Get-Hash $saved.FullName | Should -Be (Get-Hash $plate.FullName)
    }

    It 'uploads a 5-frame sequence as a SequenceComponent with its members, and downloads it frame by frame byte-identical' {
        Push-Location $work
        try { $sequence = New-FtrackComponent 'beauty.%04d.exr [1001-1005]' $version -Name render }
        finally { Pop-Location }
        $sequence.__entity_type__ | Should -Be 'SequenceComponent'
        $sequence.padding | Should -Be 4
        $members = Invoke-FtrackQuery "select name, size, container_id, component_locations.location.name from FileComponent where container_id is '$($sequence.id)'"
        @($members.name | Sort-Object) | Should -Be @('1001', '1002', '1003', '1004', '1005')
        $members | ForEach-Object { $_.component_locations.location.name | Should -Be 'ftrack.server' }
        $sequence.size | Should -Be (($members | Measure-Object size -Sum).Sum)

        $saved = $sequence | Save-FtrackComponent -Destination (Join-Path $TestDrive 'down2')
        @($saved.Name) | Should -Be @('render.1001.exr', 'render.1002.exr', 'render.1003.exr', 'render.1004.exr', 'render.1005.exr')
        foreach ($frame in 1001..1005) {
            Get-Hash (Join-Path $TestDrive "down2/render.$frame.exr") | Should -Be (Get-Hash (Join-Path $work "beauty.$frame.exr"))
        }
    }

    It 'refuses a folder, a missing file and a sequence with a missing frame before anything is created' {
        $before = Get-ComponentCount
        { New-FtrackComponent -Path $work -Version $version -ErrorAction Stop } | Should -Throw -ErrorId 'Ftrack.InvalidComponentPath,*' -ExpectedMessage '*is a folder*'
        { New-FtrackComponent -Path (Join-Path $work 'nope.mov') -Version $version -ErrorAction Stop } | Should -Throw -ErrorId 'Ftrack.InvalidComponentPath,*' -ExpectedMessage '*There is no file*'
        $missing = { New-FtrackComponent -Path (Join-Path $work 'beauty.%04d.exr [1000-1007]') -Version $version -ErrorAction Stop }
        $missing | Should -Throw -ErrorId 'Ftrack.InvalidComponentPath,*' -ExpectedMessage '*3 of 8 frames are missing (1000, 1006-1007)*'
        { New-FtrackComponent -Path (Join-Path $work 'beauty.%04d.exr [1005-1001]') -Version $version -ErrorAction Stop } | Should -Throw -ErrorId 'Ftrack.InvalidComponentPath,*' -ExpectedMessage '*ends before it starts*'
        Get-ComponentCount | Should -Be $before
    }

    It 'registers the files where they are with -Location ftrack.unmanaged, uploading nothing' {
        $component = New-FtrackComponent -Path $plate.FullName -Version $version -Name unmanaged -Location ftrack.unmanaged
        $stored = Invoke-FtrackQuery "select resource_identifier, location.name from ComponentLocation where component_id is '$($component.id)'"
        $stored.location.name | Should -Be 'ftrack.unmanaged'
        $stored.resource_identifier | Should -Be $plate.FullName
        { Get-FtrackComponentUrl $component -ErrorAction Stop } | Should -Throw -ErrorId 'Ftrack.ComponentNotAvailable,*'
        { Save-FtrackComponent $component -Destination $TestDrive -ErrorAction Stop } | Should -Throw -ErrorId 'Ftrack.ComponentNotAvailable,*'
        { New-FtrackComponent -Path $plate.FullName -Version $version -Location 'no.such.location' -ErrorAction Stop } | Should -Throw -ErrorId 'Ftrack.UnknownName,*' -ExpectedMessage '*ftrack.server*'
    }

    It 'takes a Location entity for -Location, and a sequence there keeps the frames'' paths' {
        $location = Invoke-FtrackQuery 'select name from Location where name is "ftrack.unmanaged"'
        $sequence = New-FtrackComponent -Path (Join-Path $work 'beauty.%04d.exr [1001-1002]') -Version $version -Location $location
        $paths = Invoke-FtrackQuery "select resource_identifier from ComponentLocation where component.container_id is '$($sequence.id)'" | ForEach-Object resource_identifier | Sort-Object
        $paths | Should -Be @((Join-Path $work 'beauty.1001.exr'), (Join-Path $work 'beauty.1002.exr'))
    }

    It 'uploads at once inside a batch and queues the creates, so the version can be new in the same batch' {
        $asset = Invoke-FtrackQuery 'select name from Asset where name is "SQ010_SH010_comp"'
        $before = Get-ComponentCount
        Start-FtrackBatch
        try {
            $newVersion = New-FtrackEntity AssetVersion @{ asset = $asset; comment = 'batched publish' }
            $component = New-FtrackComponent -Path $plate.FullName -Version $newVersion -Name batched
            Get-ComponentCount | Should -Be $before -Because 'nothing is created before the batch is submitted'
            @((Get-FtrackBatch).Operations).Count | Should -Be 3 -Because 'the version, the component and its location entry are queued'
            Submit-FtrackBatch | Out-Null
        }
        finally { Get-FtrackBatch | Undo-FtrackBatch }
        $stored = Invoke-FtrackQuery "select version.comment from FileComponent where id is '$($component.id)'"
        $stored.version.comment | Should -Be 'batched publish'
        $saved = Save-FtrackComponent $component -Destination (Join-Path $TestDrive 'down-batch')
        Get-Hash $saved.FullName | Should -Be (Get-Hash $plate.FullName)
    }

    It 'creates nothing and uploads nothing with -WhatIf' {
        $before = Get-ComponentCount
        New-FtrackComponent -Path $plate.FullName -Version $version -WhatIf | Should -BeNullOrEmpty
        Get-ComponentCount | Should -Be $before
    }

    It 'does not overwrite a file on download without -Force' {
        $component = New-FtrackComponent -Path $plate.FullName -Version $version -Name again
        $folder = Join-Path $TestDrive 'down3'
        New-Item -ItemType Directory $folder | Out-Null
        Set-Content (Join-Path $folder 'again.mov') 'mine'
        { Save-FtrackComponent $component -Destination $folder -ErrorAction Stop } | Should -Throw -ErrorId 'Ftrack.DestinationExists,*'
        Get-Content (Join-Path $folder 'again.mov') | Should -Be 'mine'
        $saved = Save-FtrackComponent $component -Destination $folder -Force
        Get-Hash $saved.FullName | Should -Be (Get-Hash $plate.FullName)
        @(Get-ChildItem $folder).Count | Should -Be 1 -Because 'no partial file is left beside it'
    }

    It 'shows upload and download progress with bytes and rate' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:FTRACK_MODULE_PATH'").AddStatement().AddScript({
                    param($session, $path, $version, $folder)
                    New-FtrackComponent -Session $session -Path $path -Version $version -Name progress | Save-FtrackComponent -Session $session -Destination $folder
                }).AddArgument($session).AddArgument($plate.FullName).AddArgument($version).AddArgument((Join-Path $TestDrive 'down4'))
            $null = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $records = @($ps.Streams.Progress)
            $upload = @($records | Where-Object Activity -Like 'Uploading*plate.mov*')
            $download = @($records | Where-Object Activity -Like 'Downloading*')
            $upload.Count | Should -BeGreaterThan 1
            $download.Count | Should -BeGreaterThan 1
            $upload[-1].RecordType | Should -Be 'Completed'
            $upload[-1].StatusDescription | Should -Match '^3 MiB of 3 MiB at .+/s$'
            $download[-1].StatusDescription | Should -Match '^3 MiB of 3 MiB at .+/s$'
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Get-FtrackComponentUrl' {
    It 'returns signed URLs with no API key that download without credentials, one per frame for a sequence' {
        $component = New-FtrackComponent -Path $plate.FullName -Version $version -Name url
        $url = Get-FtrackComponentUrl -InputObject $component
        $url | Should -BeLike "$($server.Url.ToString().TrimEnd('/'))/component/get?*signature=*"
        $url | Should -Not -Match ([regex]::Escape($session.ApiUser + '&')) -Because 'the URL names no user'
        $key = [Net.NetworkCredential]::new('', $server.ApiKey).Password
        $url.Contains($key) | Should -BeFalse
        $file = Join-Path $TestDrive 'url.mov'
        Invoke-WebRequest -Uri $url -OutFile $file
        Get-Hash $file | Should -Be (Get-Hash $plate.FullName)
        { Invoke-WebRequest -Uri ($url -replace 'signature=.', 'signature=X') } | Should -Throw '*403 (Forbidden)*'

        $sequence = New-FtrackComponent -Path (Join-Path $work 'beauty.%04d.exr [1001-1005]') -Version $version
        @(Get-FtrackComponentUrl $sequence).Count | Should -Be 5
    }
}

Describe 'The API key' {
    It 'is in no output, verbose or debug line, URL, error or progress record of a publish and a download' {
        $key = [Net.NetworkCredential]::new('', $server.ApiKey).Password
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:FTRACK_MODULE_PATH'").AddStatement().AddScript({
                    param($session, $path, $version, $folder)
                    $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
                    $c = New-FtrackComponent -Session $session -Path $path -Version $version -Name secret
                    $c | Save-FtrackComponent -Session $session -Destination $folder
                    $c | Get-FtrackComponentUrl -Session $session
                    Save-FtrackComponent -Session $session $c -Destination $folder   # exists: an error
                    New-FtrackComponent -Session $session -Path "$path.missing" -Version $version
                }).AddArgument($session).AddArgument($plate.FullName).AddArgument($version).AddArgument((Join-Path $TestDrive 'down-key'))
            $output = $ps.Invoke()
            $everything = @($output | ForEach-Object { "$_" }) + @($ps.Streams.Verbose | ForEach-Object Message) + @($ps.Streams.Debug | ForEach-Object Message) +
                @($ps.Streams.Error | ForEach-Object { "$_ $($_.Exception) $($_.TargetObject)" }) + @($ps.Streams.Progress | ForEach-Object { "$($_.Activity) $($_.StatusDescription) $($_.CurrentOperation)" })
            @($ps.Streams.Verbose).Count | Should -BeGreaterThan 0 -Because 'the verbose lines were captured'
            @($ps.Streams.Error).Count | Should -Be 2 -Because 'the two failures were captured'
            ($everything -join "`n").Contains($key) | Should -BeFalse
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Set-FtrackThumbnail' {
    It 'uploads the image and sets the entity''s thumbnail; thumbnail_url serves it' {
        $image = New-RandomFile (Join-Path $work 'thumb.png') 4000
        $shot = Invoke-FtrackQuery 'select name from Shot where name is "SQ010_SH020"'
        $result = $shot | Set-FtrackThumbnail -Path $image.FullName -PassThru
        $result.id | Should -Be $shot.id
        $found = Invoke-FtrackQuery "select thumbnail_id, thumbnail.name, thumbnail_url from Shot where id is '$($shot.id)'"
        $found.thumbnail.name | Should -Be 'thumbnail'
        $file = Join-Path $TestDrive 'thumb-down.png'
        Invoke-WebRequest -Uri $found.thumbnail_url.url -OutFile $file
        Get-Hash $file | Should -Be (Get-Hash $image.FullName)
    }

    It 'refuses an entity without thumbnails, and does nothing with -WhatIf' {
        $image = Join-Path $work 'thumb.png'
        $status = Invoke-FtrackQuery 'select name from Status' -First 1
        { Set-FtrackThumbnail $status -Path $image -ErrorAction Stop } | Should -Throw -ErrorId 'Ftrack.UnknownAttribute,*'
        $before = Get-ComponentCount
        $version | Set-FtrackThumbnail -Path $image -WhatIf
        Get-ComponentCount | Should -Be $before
    }
}

Describe 'Publish-FtrackReviewMedia' {
    It 'uploads, encodes and returns the Job; the review component joins the version and downloads' {
        $movie = New-RandomFile (Join-Path $work 'review.mov') 500KB
        $job = Publish-FtrackReviewMedia -Path $movie.FullName -Version $version
        $job.__entity_type__ | Should -Be 'Job'
        $job.status | Should -Be 'done'
        $output = ($job.data | ConvertFrom-Json).output
        $output.format | Should -Be 'video/mp4'
        $review = Invoke-FtrackQuery "select name, version_id from FileComponent where id is '$($output.component_id)'"
        $review.name | Should -Be 'ftrackreview-mp4'
        $review.version_id | Should -Be $version.id
        $saved = Save-FtrackComponent $review -Destination (Join-Path $TestDrive 'review')
        Get-Hash $saved.FullName | Should -Be (Get-Hash $movie.FullName)
        # Without -KeepOriginal the uploaded source goes once encoded, as ftrack's encode_media of a path.
        $source = ($job.data | ConvertFrom-Json).source_component_id
        Invoke-FtrackQuery "select id from Component where id is '$source'" | Should -BeNullOrEmpty
    }

    It 'is refused inside an open batch' {
        Start-FtrackBatch
        try {
            { Publish-FtrackReviewMedia -Path (Join-Path $work 'review.mov') -Version $version -ErrorAction Stop } | Should -Throw -ErrorId 'Ftrack.InvalidOperation,*'
        }
        finally { Get-FtrackBatch | Undo-FtrackBatch }
    }
}

Describe 'A failed upload' {
    BeforeAll {
        # A server whose storage holds 500 KB: the third 200 KB frame is refused (HTTP 507). Its
        # store is in TestDrive: the process is killed at the end, with no time to delete its own.
        $psi = [Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in (Join-Path (Split-Path $env:FTRACK_MODULE_PATH) 'server/Ftrack.Server.dll'), '--port', '0', '--seed', 'Demo', '--storage-quota-bytes', '512000', '--storage', (Join-Path $TestDrive 'small-store')) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $script:process = [Diagnostics.Process]::Start($psi)
        $line = $process.StandardOutput.ReadLineAsync()
        $firstLine = if ($line.Wait(60000)) { $line.Result } else { '' }
        $m = [regex]::Match($firstLine, 'url=(?<url>\S+) api_user=(?<user>\S+) api_key=(?<key>\S+)$')
        $m.Success | Should -BeTrue -Because "the server printed '$firstLine'"
        $script:small = Connect-Ftrack -Server $m.Groups['url'].Value -ApiUser $m.Groups['user'].Value -ApiKey (ConvertTo-SecureString $m.Groups['key'].Value -AsPlainText -Force) -PassThru
    }
    AfterAll {
        if ($process -and -not $process.HasExited) { $process.Kill() }
        $server | Connect-Ftrack
    }

    It 'leaves no component registered when the server refuses a frame half-way' {
        $smallVersion = Invoke-FtrackQuery -Session $small 'select version from AssetVersion' -First 1
        $before = (Invoke-FtrackQuery -Session $small 'select id from Component' -PageSize 0 | Measure-Object).Count
        { New-FtrackComponent -Session $small -Path (Join-Path $work 'beauty.%04d.exr [1001-1005]') -Version $smallVersion -ErrorAction Stop } |
            Should -Throw -ErrorId 'Ftrack.TransferFailed,*' -ExpectedMessage '*beauty.1003.exr*507*quota*'
        (Invoke-FtrackQuery -Session $small 'select id from Component' -PageSize 0 | Measure-Object).Count | Should -Be $before
    }
}
