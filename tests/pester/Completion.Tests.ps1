# Tab completion inside a query expression wherever the cursor is (issue #15, item 5): attribute
# paths in select, where (relative to has/any relations) and order by, entity types after from and
# in casts, with the rest of the string kept as it was.
BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:server = Start-FtrackLocalServer -Seed Demo
    $server | Connect-Ftrack
    # Completes the line at the '|' (which is taken out), as PSReadLine asks TabExpansion2.
    function Complete([string] $Line) {
        $cursor = $Line.IndexOf('|')
        $line = $Line.Remove($cursor, 1)
        @((TabExpansion2 -inputScript $line -cursorColumn $cursor).CompletionMatches.CompletionText)
    }
}

AfterAll {
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

Describe 'Completing a query expression in the middle' {
    It 'completes an attribute of the select list before "from"' {
        Complete "Invoke-FtrackQuery 'select na| from Task'" | Should -Be @("'select name from Task'")
    }

    It 'completes after a comma, keeping the where clause that follows' {
        $c = Complete "Invoke-FtrackQuery 'select name, st| from Task where bid > 3'"
        $c | Should -Contain "'select name, status from Task where bid > 3'"
        $c | Should -Contain "'select name, start_date from Task where bid > 3'"
    }

    It 'completes through a reference: status.na' {
        Complete "Invoke-FtrackQuery 'select name, status.na| from Task order by name'" | Should -Be @("'select name, status.name from Task order by name'")
    }

    It 'completes inside has (...), relative to the relation' {
        Complete "Invoke-FtrackQuery 'select name from Task where status has (na|) order by name'" |
            Should -Be @("'select name from Task where status has (name) order by name'")
    }

    It 'completes inside any (...) through a collection, with what only subtypes have' {
        Complete "Invoke-FtrackQuery 'select name from Shot where children any (ty|) order by name'" |
            Should -Contain "'select name from Shot where children any (type) order by name'"
    }

    It 'completes order by' {
        Complete "Invoke-FtrackQuery 'select name from Task order by pa| descending'" | Should -Contain "'select name from Task order by parent descending'"
    }

    It 'completes the entity type after from, keeping the where clause' {
        Complete "Invoke-FtrackQuery 'select name from Ta| where bid > 3'" | Should -Contain "'select name from Task where bid > 3'"
    }

    It 'completes a cast' {
        Complete "Invoke-FtrackQuery 'select name, parent[Sh|.name from Task'" | Should -Be @("'select name, parent[Shot].name from Task'")
    }

    It 'completes nothing inside a quoted value' {
        Complete "Invoke-FtrackQuery 'select name from Task where name is `"na|`"'" | Should -BeNullOrEmpty
    }

    It 'still completes at the end of the string' {
        Complete "Invoke-FtrackQuery 'select name from Task where status.na|" | Should -Be @("'select name from Task where status.name'")
        Complete "Invoke-FtrackQuery 'select name from Milest|" | Should -Be @("'select name from Milestone'")
    }
}
