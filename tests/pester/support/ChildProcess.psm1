# Child processes for tests that must run the way a user runs things: a fresh pwsh with its own
# environment (for example a throw-away HOME), or a command line quoted in the README.

. (Join-Path $PSScriptRoot '../../tools/PwshCommand.ps1')

function Invoke-ChildProcess {
    <#
    Runs a program to its end and returns @{ ExitCode; Output } (stdout then stderr, as text).
    -Environment changes the child's environment only: a $null value removes the variable.
    -InputText is written to its stdin, which is then closed. After -TimeoutSec the process tree
    is killed and the call throws with whatever the child printed.
    #>
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @(),
        [string] $WorkingDirectory = (Get-Location).Path,
        [hashtable] $Environment = @{},
        [string] $InputText = '',
        [int] $TimeoutSec = 300
    )
    $psi = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $ArgumentList) { $psi.ArgumentList.Add($a) }
    $psi.WorkingDirectory = $WorkingDirectory
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    foreach ($name in $Environment.Keys) {
        if ($null -eq $Environment[$name]) { [void]$psi.Environment.Remove($name) } else { $psi.Environment[$name] = [string]$Environment[$name] }
    }
    $process = [Diagnostics.Process]::Start($psi)
    try {
        # Read both pipes while the child runs, so neither fills up and blocks it.
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $process.StandardInput.Write($InputText)
        $process.StandardInput.Close()
        if (-not $process.WaitForExit($TimeoutSec * 1000)) {
            $process.Kill($true)
            $process.WaitForExit()
            throw "$FilePath $($ArgumentList -join ' ') did not finish within $TimeoutSec s. It printed:`n$($stdout.Result)`n$($stderr.Result)"
        }
        $process.WaitForExit()   # the pipes are drained once the child has exited
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result + $stderr.Result }
    }
    finally { $process.Dispose() }
}

function Invoke-ChildPwsh {
    <# Runs a script file in a new pwsh like the one running the tests (-NoProfile -NonInteractive). #>
    param(
        [Parameter(Mandatory)] [string] $File,
        [string[]] $ArgumentList = @(),
        [string] $WorkingDirectory = (Get-Location).Path,
        [hashtable] $Environment = @{},
        [int] $TimeoutSec = 300
    )
    $pwsh = @(Get-PwshCommand)
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $File) + $ArgumentList
    Invoke-ChildProcess -FilePath $pwsh[0] -ArgumentList $arguments -WorkingDirectory $WorkingDirectory -Environment $Environment -TimeoutSec $TimeoutSec
}

Export-ModuleMember -Function Invoke-ChildProcess, Invoke-ChildPwsh
