# Queries are checked against the cached schemas before they are sent (issue #15, item 4), as
# writes are: unknown types and attributes anywhere in the expression are refused with the close
# names and a pointer into the expression the user wrote; what the schemas cannot judge goes to the
# server, whose errors also show the user's expression rather than the paged one.
BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:server = Start-FtrackLocalServer -Seed Demo
    $script:session = $server | Connect-Ftrack -PassThru
    # Runs a query; returns its first error and how many requests it sent.
    function Invoke-Checked([string] $Expression) {
        $before = $session.RequestCount
        $rows = Invoke-FtrackQuery $Expression -ErrorVariable err -ErrorAction SilentlyContinue
        [pscustomobject]@{ Rows = @($rows); Error = $err | Select-Object -First 1; Sent = $session.RequestCount - $before }
    }
}

AfterAll {
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

Describe 'Mistakes the schemas prove' {
    It 'refuses a misspelt attribute with Ftrack.UnknownAttribute, a suggestion and a pointer, sending nothing' {
        $r = Invoke-Checked 'select nmae from Task'
        $r.Sent | Should -Be 0
        $r.Error.FullyQualifiedErrorId | Should -Be 'Ftrack.UnknownAttribute,Ftrack.Cmdlets.InvokeFtrackQueryCommand'
        $r.Error.Exception.Message | Should -Match "Task has no attribute 'nmae'\. Did you mean 'name'\?"
        $lines = $r.Error.Exception.Message -split "`r?`n"
        $lines[-2] | Should -Be '  select nmae from Task'
        $lines[-1] | Should -Be '         ^'
        $r.Error.Exception.Message | Should -Not -Match 'offset|limit'
        $r.Error.TargetObject | Should -Be 'select nmae from Task'
    }

    It 'refuses an unknown entity type, and an unknown type in a cast, with Ftrack.UnknownEntityType' {
        $r = Invoke-Checked 'select name from Tsak'
        $r.Sent | Should -Be 0
        $r.Error.FullyQualifiedErrorId | Should -Be 'Ftrack.UnknownEntityType,Ftrack.Cmdlets.InvokeFtrackQueryCommand'
        $r.Error.Exception.Message | Should -Match "Did you mean 'Task'\?"
        $cast = Invoke-Checked 'select name, parent[Shto].name from Task'
        $cast.Sent | Should -Be 0
        $cast.Error.Exception.Message | Should -Match "'Shto'.*Did you mean 'Shot'\?"
    }

    It 'checks paths of <Clause>, naming the type the path goes through' -ForEach @(
        @{ Clause = 'select, through a reference'; Expression = 'select name, status.nmae from Task'; Type = 'Status'; Wrong = 'nmae' }
        @{ Clause = 'where'; Expression = 'select name from Task where staus.name is "Approved"'; Type = 'Task'; Wrong = 'staus' }
        @{ Clause = 'has (...), relative to the relation'; Expression = 'select name from Task where status has (nmae is "Approved")'; Type = 'Status'; Wrong = 'nmae' }
        @{ Clause = 'any (...) through a collection'; Expression = 'select name from Shot where children any (nmae is "lighting")'; Type = 'Context'; Wrong = 'nmae' }
        @{ Clause = 'order by'; Expression = 'select name from Task order by bdi descending'; Type = 'Task'; Wrong = 'bdi' }
        @{ Clause = 'a subquery'; Expression = 'select username from User where id in (select user_id from Timelog where duraton > 1)'; Type = 'Timelog'; Wrong = 'duraton' }
    ) {
        $r = Invoke-Checked $Expression
        $r.Sent | Should -Be 0
        $r.Error.FullyQualifiedErrorId | Should -Be 'Ftrack.UnknownAttribute,Ftrack.Cmdlets.InvokeFtrackQueryCommand'
        $r.Error.Exception.Message | Should -Match "^$Type has no attribute '$Wrong'"
        $caret = ($r.Error.Exception.Message -split "`r?`n")[-1].IndexOf('^') - 2
        $Expression.Substring($caret) | Should -BeLike "$Wrong*"
    }
}

Describe 'What only the server can judge' {
    It 'sends <Expression> as written' -ForEach @(
        @{ Expression = 'select name, parent[Shot].name from Task' }
        @{ Expression = 'select name, custom_attributes.value from Task' }
        @{ Expression = 'select name, link from Task' }
        @{ Expression = 'select name from Task where ancestors any (name is "SQ010")' }
        @{ Expression = 'select name from Sequence where descendants any (name is "lighting")' }
        @{ Expression = 'select name from Shot where children any (type.name is "Compositing")' }
        @{ Expression = 'select name from Task where name is nmae' }
    ) {
        $r = Invoke-Checked $Expression
        $r.Error | Should -BeNullOrEmpty
        $r.Sent | Should -Be 1
    }

    It 'leaves aggregates to the server, which answers them' {
        $r = Invoke-Checked 'select count(id) from Task group by status_id'
        $r.Sent | Should -Be 1
        $r.Error | Should -BeNullOrEmpty
        ($r.Rows | ForEach-Object { $_.count_id } | Measure-Object -Sum).Sum | Should -Be @(Invoke-FtrackQuery 'select id from Task').Count
    }

    It "shows the user's expression in the server's errors, not the page's offset and limit" {
        $r = Invoke-Checked 'select from Task'
        $r.Sent | Should -Be 1
        $r.Error.FullyQualifiedErrorId | Should -Be 'Ftrack.QueryParseFailed,Ftrack.Cmdlets.InvokeFtrackQueryCommand'
        $r.Error.Exception.Message | Should -Match '^query "select from Task" failed'
        $r.Error.Exception.Message | Should -Match 'Unable to parse expression "select from Task"'
        $r.Error.Exception.Message | Should -Not -Match 'offset|limit'
    }
}
