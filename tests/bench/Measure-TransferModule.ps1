#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Child process of Measure-Transfer.ps1: the module's upload and download of one file, in a fresh pwsh.
.DESCRIPTION
    Connects to the local server Measure-Transfer.ps1 started, warms up with a small upload and
    download (so JIT and the first connection are not timed), then times
    New-FtrackComponent -Path <file> (the upload to ftrack.server) and Save-FtrackComponent (the
    download), and samples this process's working set every 20 ms during the upload. Prints one
    JSON line: the times, the file's size, and the working set before the upload and its peak
    while uploading. The downloaded file is checked to be the size uploaded, then deleted.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Url,
    [Parameter(Mandatory)] [string] $ApiUser,
    [Parameter(Mandatory)] [string] $ApiKey,
    [Parameter(Mandatory)] [string] $File,
    [Parameter(Mandatory)] [string] $DownloadFolder
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
Import-Module $ModulePath
Use-BenchSchemaCache
# A PowerShell script block cannot run on a thread of its own (no runspace there): C# samples.
Add-Type -TypeDefinition @'
public sealed class WorkingSetSampler
{
    private readonly System.Threading.Thread _thread;
    private volatile bool _stop;
    private long _peak;
    public WorkingSetSampler(long start)
    {
        _peak = start;
        _thread = new System.Threading.Thread(() =>
        {
            var self = System.Diagnostics.Process.GetCurrentProcess();
            while (!_stop)
            {
                self.Refresh();
                if (self.WorkingSet64 > _peak) _peak = self.WorkingSet64;
                System.Threading.Thread.Sleep(20);
            }
        }) { IsBackground = true };
        _thread.Start();
    }
    public long Stop() { _stop = true; _thread.Join(); return _peak; }
}
'@
try {
    Connect-Ftrack -Server $Url -ApiUser $ApiUser -ApiKey (ConvertTo-SecureString $ApiKey -AsPlainText -Force)
    $version = Invoke-FtrackQuery 'select version from AssetVersion' -First 1
    $warm = Join-Path $DownloadFolder 'warm-up.bin'
    [IO.File]::WriteAllBytes($warm, [byte[]]::new(4MB))
    $null = New-FtrackComponent -Path $warm -Version $version -Name warm | Save-FtrackComponent -Destination (Join-Path $DownloadFolder 'warm') -Force
    Remove-Item $warm, (Join-Path $DownloadFolder 'warm') -Recurse -Force

    $process = [Diagnostics.Process]::GetCurrentProcess()
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    $process.Refresh()
    $before = $process.WorkingSet64
    # The working set while the upload runs, sampled on a thread of its own: the peak of this
    # process since it started (PeakWorkingSet64) would include the start-up and warm-up.
    $sampler = [WorkingSetSampler]::new($before)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $component = New-FtrackComponent -Path $File -Version $version -Name bench
    $uploadMs = $watch.Elapsed.TotalMilliseconds
    $peak = $sampler.Stop()

    $watch.Restart()
    $saved = Save-FtrackComponent $component -Destination $DownloadFolder -Force
    $downloadMs = $watch.Elapsed.TotalMilliseconds
    $size = (Get-Item $File).Length
    if ($saved.Length -ne $size) { throw "downloaded $($saved.Length) bytes, uploaded $size" }
    Remove-Item $saved.FullName -Force
    [Console]::Out.WriteLine((@{
        kind = 'transfer-module'; bytes = $size
        upload_ms = [math]::Round($uploadMs, 1); download_ms = [math]::Round($downloadMs, 1)
        working_set_before_mib = [math]::Round($before / 1MB, 1)
        working_set_peak_upload_mib = [math]::Round($peak / 1MB, 1)
    } | ConvertTo-Json -Compress))
}
finally {
    Disconnect-Ftrack
    Remove-BenchSchemaCache
}
