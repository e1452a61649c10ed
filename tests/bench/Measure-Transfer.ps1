#!/usr/bin/env pwsh
<#
.SYNOPSIS
    The "transfer" step of Run-Bench.ps1: the module's upload and download of a 1 GiB file against
    curl's, on the same local server in the same run, and the module's working set while uploading.
.DESCRIPTION
    Starts the bundled local server standalone (its own process, so its memory is not the module's),
    writes a file of -SizeMiB random-looking bytes, then -Repeats times, alternating who goes first:
      curl    get_upload_metadata, then curl -T <file> to the URL it answers (PUT), and
              curl -o <file> from the signed download URL of a component registered with it;
      module  a fresh pwsh (Measure-TransferModule.ps1): New-FtrackComponent -Path <file> (upload
              to ftrack.server) and Save-FtrackComponent (download), with its working set sampled
              during the upload.
    Prints one JSON line per measurement (kind transfer-curl / transfer-module, and the server's peak
    working set over the whole run as transfer-server) and deletes the
    files and the server's storage at the end. Standalone:
      dotnet pwsh tests/bench/Measure-Transfer.ps1 -ModulePath out/Ftrack/Ftrack.psd1
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/Ftrack/Ftrack.psd1'),
    [ValidateRange(1, 16384)]
    [int] $SizeMiB = 1024,
    [ValidateRange(1, 20)]
    [int] $Repeats = 3
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot '../tools/PwshCommand.ps1')
$ModulePath = (Resolve-Path $ModulePath).Path
if (-not (Get-Command curl -CommandType Application -ErrorAction SilentlyContinue)) { throw "'curl' is not on PATH: the transfer step compares the module with curl." }
$work = Join-Path ([IO.Path]::GetTempPath()) "ftrack-bench-transfer-$PID"
New-Item -ItemType Directory -Force $work | Out-Null
$storage = Join-Path $work 'storage'
$process = $null
try {
    # The file: one random MiB repeated (nothing on the way compresses, and it is quick to make).
    $file = Join-Path $work 'plate.bin'
    $block = [byte[]]::new(1MB)
    [Security.Cryptography.RandomNumberGenerator]::Fill($block)
    $stream = [IO.File]::Create($file)
    try { for ($i = 0; $i -lt $SizeMiB; $i++) { $stream.Write($block, 0, $block.Length) } } finally { $stream.Dispose() }
    $size = (Get-Item $file).Length

    $serverDll = Join-Path (Split-Path $ModulePath) 'server/Ftrack.Server.dll'
    $psi = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in $serverDll, '--port', '0', '--seed', 'Demo', '--storage', $storage, '--max-upload-bytes', "$(2 * $size)") { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($psi)
    $line = $process.StandardOutput.ReadLineAsync()
    if (-not $line.Wait(60000) -or $line.Result -notmatch 'url=(?<url>\S+) api_user=(?<user>\S+) api_key=(?<key>\S+)$') { throw "The local server did not start: $(if ($line.IsCompleted) { $line.Result })" }
    $url, $user, $key = $Matches['url'], $Matches['user'], $Matches['key']
    $headers = @{ 'ftrack-user' = $user; 'ftrack-api-key' = $key }
    function Invoke-Api([object[]] $operations) {
        Invoke-RestMethod -Method Post -Uri "$url/api" -Headers $headers -ContentType 'application/json' -Body (ConvertTo-Json -InputObject $operations -Depth 10 -Compress)
    }

    function Measure-Curl {
        # Upload: the same two steps the module takes, the PUT by curl.
        $id = [guid]::NewGuid().ToString()
        $metadata = (Invoke-Api @(@{ action = 'get_upload_metadata'; component_id = $id; file_name = 'plate.bin'; file_size = $size }))[0]
        $curlHeaders = foreach ($h in $metadata.headers.PSObject.Properties) { if ($h.Name -ne 'Content-Length') { '-H'; "$($h.Name): $($h.Value)" } }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $status = & curl -sS -o /dev/null -w '%{http_code}' -X PUT -T $file @curlHeaders $metadata.url
        $uploadMs = $watch.Elapsed.TotalMilliseconds
        if ($LASTEXITCODE -ne 0 -or $status -ne '200') { throw "curl's upload failed: exit code $LASTEXITCODE, HTTP $status" }
        # Download: register the bytes as a component, ask its signed URL, curl -o to a file.
        $null = Invoke-Api @(
            @{ action = 'create'; entity_type = 'FileComponent'; entity_data = @{ __entity_type__ = 'FileComponent'; id = $id; name = 'curl'; file_type = '.bin'; size = $size; system_type = 'file' } },
            @{ action = 'create'; entity_type = 'ComponentLocation'; entity_data = @{ __entity_type__ = 'ComponentLocation'; component_id = $id; location_id = '3a372bde-05bc-11e4-8908-20c9d081909b'; resource_identifier = $id } })
        $download = (Invoke-Api @(@{ action = 'query'; expression = "select url from ComponentLocation where component_id is `"$id`"" }))[0].data[0].url.value
        $target = Join-Path $work 'curl-download.bin'
        $watch.Restart()
        $status = & curl -sS -o $target -w '%{http_code}' $download
        $downloadMs = $watch.Elapsed.TotalMilliseconds
        if ($LASTEXITCODE -ne 0 -or $status -ne '200' -or (Get-Item $target).Length -ne $size) { throw "curl's download failed: exit code $LASTEXITCODE, HTTP $status" }
        Remove-Item $target -Force
        $null = Invoke-Api @(@{ action = 'delete'; entity_type = 'FileComponent'; entity_key = @($id) })
        [Console]::Out.WriteLine((@{ kind = 'transfer-curl'; bytes = $size; upload_ms = [math]::Round($uploadMs, 1); download_ms = [math]::Round($downloadMs, 1) } | ConvertTo-Json -Compress))
    }

    function Measure-Module {
        $pwsh = @(Get-PwshCommand)
        $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Measure-TransferModule.ps1'),
            '-ModulePath', $ModulePath, '-Url', $url, '-ApiUser', $user, '-ApiKey', $key, '-File', $file, '-DownloadFolder', $work)
        $lines = & $pwsh[0] @arguments
        if ($LASTEXITCODE -ne 0) { throw "Measure-TransferModule.ps1 failed with exit code $LASTEXITCODE." }
        $lines | Where-Object { $_ -match '^\s*\{' } | ForEach-Object { [Console]::Out.WriteLine($_) }
        # The module's component goes too, so the storage holds one file at a time.
        $ids = (Invoke-Api @(@{ action = 'query'; expression = 'select id from FileComponent where name is "bench"' }))[0].data.id
        foreach ($id in $ids) { $null = Invoke-Api @(@{ action = 'delete'; entity_type = 'FileComponent'; entity_key = @($id) }) }
    }

    for ($r = 0; $r -lt $Repeats; $r++) {
        if ($r % 2 -eq 0) { Measure-Curl; Measure-Module } else { Measure-Module; Measure-Curl }
    }
    # The server's own peak: it streams both ways too, so it stays far below the file's size.
    $process.Refresh()
    [Console]::Out.WriteLine((@{ kind = 'transfer-server'; bytes = $size; peak_working_set_mib = [math]::Round($process.PeakWorkingSet64 / 1MB, 1) } | ConvertTo-Json -Compress))
}
finally {
    if ($process -and -not $process.HasExited) { $process.Kill(); $process.WaitForExit(5000) | Out-Null }
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
