#!/usr/bin/env pwsh
<#
.SYNOPSIS
    The README demo: start the local ftrack server with demo data, connect, and tour the module.
    Run it with: dotnet pwsh ./build.ps1 demo
#>
param([string] $ModulePath = (Join-Path $PSScriptRoot '../../out/Ftrack/Ftrack.psd1'))

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

function Show([string] $title) { Write-Host ''; Write-Host "== $title" -ForegroundColor Cyan }

Show 'Start-FtrackLocalServer -Seed Demo | Connect-Ftrack'
$server = Start-FtrackLocalServer -Seed Demo
try {
    $server | Connect-Ftrack
    Get-FtrackSession | Format-Table | Out-Host

    Show 'Projects'
    Invoke-FtrackQuery 'select name, full_name, status from Project' | Format-Table | Out-Host

    Show 'Shots of a sequence, with their parents merged into shared objects'
    $shots = Invoke-FtrackQuery 'select name, parent.name, project.name from Shot order by name' -First 8
    $shots | Select-Object name, @{ n = 'sequence'; e = { $_.parent.name } }, @{ n = 'project'; e = { $_.project.name } } | Format-Table | Out-Host
    $sameProject = [object]::ReferenceEquals($shots[0].project, $shots[1].project)
    Write-Host "Two shots of one project share one project object: $sameProject"

    Show 'Tasks by status (Group-Object over a streamed query)'
    Invoke-FtrackQuery 'select name, status.name, type.name from Task' |
        Group-Object { $_.status.name } | Sort-Object Count -Descending |
        Select-Object Count, Name | Format-Table | Out-Host

    Show 'A batch: one request, several operations, one transaction'
    $project = Invoke-FtrackQuery 'select id, name from Project' -First 1
    $results = Invoke-FtrackOperation -Operation @(
        @{ action = 'query'; expression = "select name from Sequence where project.id is '$($project.id)'" }
        @{ action = 'query'; expression = 'select username from User where is_active is true' }
        @{ action = 'query_server_information' }
    ) -Verbose 4>&1
    $results | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { Write-Host $_.Message -ForegroundColor DarkGray }
    $answers = @($results | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
    Write-Host ("{0} sequences of {1}, {2} active users, server {3}" -f $answers[0].data.Count, $project.name, $answers[1].data.Count, $answers[2].version)

    Show 'A report: logged hours per user (Timelog.duration is in seconds)'
    Invoke-FtrackQuery 'select duration, user.username from Timelog' |
        Group-Object { $_.user.username } |
        ForEach-Object { [pscustomobject]@{ User = $_.Name; Hours = [math]::Round(($_.Group | Measure-Object duration -Sum).Sum / 3600, 1) } } |
        Sort-Object Hours -Descending | Format-Table | Out-Host

    Show 'Custom attributes: each shot''s frame rate and frame range (loaded for all the shots in one request)'
    Invoke-FtrackQuery 'select name from Shot where project.name is "sintel_redux" order by name' -First 6 |
        Select-Object name, @{ n = 'fps'; e = { $_.custom_attributes.fps } }, @{ n = 'first'; e = { $_.custom_attributes.fstart } },
            @{ n = 'last'; e = { $_.custom_attributes.fend } }, @{ n = 'handles'; e = { $_.custom_attributes.handles } } | Format-Table | Out-Host

    Show 'Aggregates: tasks and their bid (seconds) per status, added up by the server'
    Invoke-FtrackQuery 'select count(id), sum(bid) from Task group by status.name order by count_id desc' | Format-Table | Out-Host

    Show 'Errors say what went wrong, before anything is sent'
    Invoke-FtrackQuery 'select nmae from Task' -ErrorAction SilentlyContinue -ErrorVariable failure
    Write-Host ("{0}`n  {1}" -f $failure[0].FullyQualifiedErrorId, $failure[0].Exception.Message)
}
finally {
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

# The next step, as the README gives it: the same module and data at a prompt of your own.
Write-Host ''
Write-Host "Next, from the repository's root: a pwsh with the module loaded and connected to a fresh demo server ('exit' stops both):" -ForegroundColor Cyan
Write-Host '  dotnet pwsh -NoExit -Command "Import-Module ./out/Ftrack/Ftrack.psd1; Start-FtrackLocalServer -Seed Demo | Connect-Ftrack -PassThru"'
