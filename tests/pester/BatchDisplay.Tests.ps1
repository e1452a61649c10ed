# What the batch commands and -WhatIf show (issue #15, item 9): Start-FtrackBatch writes nothing
# unless asked and honours -WhatIf; Get-FtrackBatch shows what will be sent, with the values;
# -WhatIf names the values, not only the attributes; Invoke-FtrackBatch declares its output.
BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:server = Start-FtrackLocalServer -Seed Demo
    $script:session = $server | Connect-Ftrack -PassThru
    $script:task = Invoke-FtrackQuery 'select name from Task where name is "compositing"' -First 1
    # What a command shows on the host (where -WhatIf writes), through a transcript.
    function Get-HostText([scriptblock] $Command) {
        $file = Join-Path $TestDrive ([guid]::NewGuid().ToString() + '.txt')
        Start-Transcript -Path $file | Out-Null
        try { & $Command | Out-Host } finally { Stop-Transcript | Out-Null }
        Get-Content -Raw $file
    }
}

AfterAll {
    Get-FtrackBatch | Undo-FtrackBatch
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

Describe 'Start-FtrackBatch' {
    It 'writes nothing, and the batch with -PassThru' {
        try {
            Start-FtrackBatch | Should -BeNullOrEmpty
            Get-FtrackBatch | Should -Not -BeNullOrEmpty
        }
        finally { Undo-FtrackBatch }
        try { (Start-FtrackBatch -PassThru).GetType().Name | Should -Be 'FtrackBatch' }
        finally { Undo-FtrackBatch }
    }

    It 'supports -WhatIf: it says so and opens no batch' {
        $text = Get-HostText { Start-FtrackBatch -WhatIf }
        $text | Should -Match 'What if: .*Open a batch'
        Get-FtrackBatch | Should -BeNullOrEmpty
    }
}

Describe 'Get-FtrackBatch' {
    It 'shows the state, the counts and the operations to send with their values, not internal fields' {
        Start-FtrackBatch
        try {
            $task | Set-FtrackEntity -Property @{ bid = 3600 }
            $task | Set-FtrackEntity -Property @{ bid = 7200; description = 'x' * 100 }
            $text = Get-FtrackBatch | Out-String -Width 300
        }
        finally { Undo-FtrackBatch }
        $text | Should -Match '(?m)^State\s+: Open'
        $text | Should -Match '(?m)^Queued\s+: 2 operation\(s\)'
        $text | Should -Match '(?m)^ToSend\s+: 1 operation\(s\) in one request'
        $text | Should -Match "0: update Task 'compositing' \([0-9a-f-]+\): .*bid = 7200"
        $text | Should -Match "description = 'x{40}…'"
        $text | Should -Not -Match 'LastError|Session\s+:'
    }
}

Describe '-WhatIf names the values' {
    It 'for Set-FtrackEntity: values, entities by their name, long text shortened' {
        $text = Get-HostText { $task | Set-FtrackEntity -Property @{ bid = 5; status = 'Approved'; description = 'y' * 100 } -WhatIf }
        $text | Should -Match 'bid = 5'
        $text | Should -Match "status = Status 'Approved' \("
        $text | Should -Match "description = 'y{40}…'"
    }

    It 'for New-FtrackEntity' {
        $project = Invoke-FtrackQuery 'select name from Project where name is "sintel_redux"'
        $text = Get-HostText { New-FtrackEntity Sequence @{ name = 'SQ_WHATIF'; parent = $project } -WhatIf }
        $text | Should -Match "Create with .*name = 'SQ_WHATIF'"
        $text | Should -Match "parent = Project 'sintel_redux'"
    }

    It 'for Submit-FtrackBatch' {
        Start-FtrackBatch
        try {
            $task | Set-FtrackEntity -Property @{ bid = 900 }
            $text = Get-HostText { Submit-FtrackBatch -WhatIf }
        }
        finally { Undo-FtrackBatch }
        $text | Should -Match "0: update Task 'compositing' \([0-9a-f-]+\): bid = 900"
    }
}

Describe 'Invoke-FtrackBatch' {
    It 'declares its output type' {
        (Get-Command Invoke-FtrackBatch).OutputType.Name | Should -Contain 'Ftrack.Core.Entities.FtrackEntity'
    }
}
