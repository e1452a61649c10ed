# A studio admin script tested against the local server: run Invoke-Pester in this file's folder.
BeforeAll {
    Import-Module Ftrack

    # The script under test: approve every task of a shot that is pending review.
    function Approve-PendingTask([string] $ShotName) {
        $approved = Invoke-FtrackQuery 'select name from Status where name is "Approved"'
        Invoke-FtrackBatch {
            Invoke-FtrackQuery "select name, status.name from Task where parent.name is '$ShotName' and status.name is 'Pending review'" |
                Set-FtrackEntity -Property @{ status = $approved } -PassThru
        }
    }

    $server = Start-FtrackLocalServer -Seed Demo
    $server | Connect-Ftrack
}

AfterAll {
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

Describe 'Approve-PendingTask' {
    It 'approves the pending tasks of one shot, and nothing else' {
        $pending = Invoke-FtrackQuery "select name, parent.name from Task where status.name is 'Pending review'"
        $shot = $pending[0].parent.name
        $others = @($pending | Where-Object { $_.parent.name -ne $shot })

        $changed = Approve-PendingTask -ShotName $shot

        $changed.Count | Should -Be @($pending | Where-Object { $_.parent.name -eq $shot }).Count
        Invoke-FtrackQuery "select id from Task where parent.name is '$shot' and status.name is 'Pending review'" | Should -BeNullOrEmpty
        @(Invoke-FtrackQuery "select id from Task where status.name is 'Pending review'").Count | Should -Be $others.Count
    }
}
