# An interactive pwsh in a real terminal (a tmux pane), for what only a terminal shows: what Ctrl+C
# does at the prompt and what reaches the console. CI installs tmux (.ci/run); a missing tmux fails
# the tests that need it rather than skipping them.

. (Join-Path $PSScriptRoot '../../tools/PwshCommand.ps1')

function Start-TerminalSession {
    <# Starts pwsh in a detached tmux session; returns its name. #>
    param([hashtable] $Environment = @{})
    if (-not (Get-Command tmux -ErrorAction SilentlyContinue)) { throw 'tmux is needed for the terminal tests (apt-get install tmux).' }
    $name = 'ftrack-' + [guid]::NewGuid().ToString('n').Substring(0, 8)
    $pwsh = (@(Get-PwshCommand) | ForEach-Object { "'$_'" }) -join ' '
    $exports = ($Environment.GetEnumerator() | ForEach-Object { "$($_.Key)='$($_.Value)'" }) -join ' '
    & tmux new-session -d -s $name -x 220 -y 200 "env $exports $pwsh -NoProfile -NoLogo"
    if ($LASTEXITCODE -ne 0) { throw "tmux could not start a session." }
    $null = Wait-TerminalText $name 'PS .*>' -TimeoutSec 60
    $name
}

function Send-TerminalLine([string] $Session, [string] $Line) {
    & tmux send-keys -t $Session -l $Line
    & tmux send-keys -t $Session Enter
}

function Send-TerminalCtrlC([string] $Session) { & tmux send-keys -t $Session C-c }

function Get-TerminalText([string] $Session) { (& tmux capture-pane -p -J -t $Session -S -2000) -join "`n" }

function Wait-TerminalText {
    <# Waits until the pane's text matches the pattern; returns the text, or throws with it. #>
    param([string] $Session, [string] $Pattern, [int] $TimeoutSec = 60)
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSec)
    do {
        $text = Get-TerminalText $Session
        if ($text -match $Pattern) { return $text }
        Start-Sleep -Milliseconds 200
    } while ([datetime]::UtcNow -lt $deadline)
    throw "The terminal did not show /$Pattern/ within $TimeoutSec s. It shows:`n$text"
}

function Stop-TerminalSession([string] $Session) { & tmux kill-session -t $Session 2>$null }

Export-ModuleMember -Function Start-TerminalSession, Send-TerminalLine, Send-TerminalCtrlC, Get-TerminalText, Wait-TerminalText, Stop-TerminalSession
