# Dot-sourced by build.ps1 and tests/bench/Run-Bench.ps1: how to start another pwsh like this one.
# The pwsh running this script, as a command line (pwsh itself, or "dotnet pwsh" from the tool manifest).
function Get-PwshCommand {
    $self = [Environment]::ProcessPath
    if ($self -and [IO.Path]::GetFileNameWithoutExtension($self) -eq 'pwsh') { return @($self) }
    $entry = [Environment]::GetCommandLineArgs()[0]
    if ($entry -like '*.dll') { return @($self, $entry) }
    return @('pwsh')
}
