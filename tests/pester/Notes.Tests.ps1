# New-FtrackNote (issue #12, module side) over HTTP against the local server: a note on an entity
# with its category, recipients, labels and author (by name or as entities) in one request, a
# reply joining its thread, notes in a batch, and how notes show.
BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    $env:FTRACK_SCHEMA_CACHE = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-cache-" + [guid]::NewGuid())
    $script:server = Start-FtrackLocalServer -Seed Demo
    $script:session = $server | Connect-Ftrack -PassThru
    $script:shot = Invoke-FtrackQuery 'select name from Shot where name is "SQ030_SH030"'
    $script:jane = Invoke-FtrackQuery 'select username from User where username is "jane.doe"'
    # A note as the server has it: where it hangs, who wrote it, whom it names.
    function Get-ServerNote([string] $Id) {
        Invoke-FtrackQuery ("select content, parent_id, parent_type, in_reply_to_id, author.username, category.name, recipients.user.username, " +
            "note_label_links.label.name, replies.content from Note where id is '$Id'")
    }
}

AfterAll {
    Get-FtrackBatch | Undo-FtrackBatch
    Disconnect-Ftrack
    $server | Stop-FtrackLocalServer
}

Describe 'New-FtrackNote' {
    It 'writes a note on a shot with its category, recipients, labels and author, given by name' {
        $note = $shot | New-FtrackNote -Content 'Please track the new plate.' -Category 'Client feedback' -Recipient jane.doe, john.smith -Label Retake -Author akira.tanaka
        $note.id | Should -Match '^[0-9a-f-]{36}$'
        $found = Get-ServerNote $note.id
        $found.content | Should -Be 'Please track the new plate.'
        $found.parent_id | Should -Be $shot.id
        $found.parent_type | Should -Be 'TypedContext'
        $found.author.username | Should -Be 'akira.tanaka'
        $found.category.name | Should -Be 'Client feedback'
        $found.recipients.user.username | Sort-Object | Should -Be @('jane.doe', 'john.smith')
        $found.note_label_links.label.name | Should -Be @('Retake')
    }

    It 'sends the note and everything it names in one request, the API user as author by default' {
        $category = Invoke-FtrackQuery 'select name from NoteCategory where name is "Internal"'
        $label = Invoke-FtrackQuery 'select name from NoteLabel where name is "For client"'
        $me = Invoke-FtrackQuery "select username from User where username is '$($session.ApiUser)'"
        $null = New-FtrackNote -Parent $shot -Content 'warm-up' -Author $me           # reads the API user's name once, for this command only
        $before = $session.RequestCount
        $note = New-FtrackNote -Parent $shot -Content 'Entities, no names.' -Category $category -Recipient $jane -Label $label -Author $me
        $session.RequestCount - $before | Should -Be 1
        $found = Get-ServerNote $note.id
        $found.author.username | Should -Be $session.ApiUser
        $found.recipients.user.username | Should -Be @('jane.doe')
        $found.note_label_links.label.name | Should -Be @('For client')
        (Get-ServerNote (New-FtrackNote -Parent $shot -Content 'Mine.').id).author.username | Should -Be $session.ApiUser
    }

    It 'hangs a note on a version by its own type' {
        $version = Invoke-FtrackQuery 'select version from AssetVersion' -First 1
        $note = New-FtrackNote -Parent $version -Content 'Edges look soft.'
        (Get-ServerNote $note.id).parent_type | Should -Be 'AssetVersion'
    }

    It 'writes a reply into its thread, where the thread hangs; a reply to a reply joins the same thread' {
        $note = New-FtrackNote -Parent $shot -Content 'Is the plate final?'
        $reply = New-FtrackNote -InReplyTo $note -Content 'Yes.' -Author jane.doe
        $found = Get-ServerNote $reply.id
        $found.in_reply_to_id | Should -Be $note.id
        $found.parent_id | Should -Be $shot.id
        $found.parent_type | Should -Be 'TypedContext'
        $again = New-FtrackNote -InReplyTo (Invoke-FtrackQuery "select id from Note where id is '$($reply.id)'") -Content 'Thanks.'
        (Get-ServerNote $again.id).in_reply_to_id | Should -Be $note.id
        (Get-ServerNote $note.id).replies.content | Should -Be @('Yes.', 'Thanks.')
    }

    It 'queues the note in an open batch' {
        Start-FtrackBatch
        $note = New-FtrackNote -Parent $shot -Content 'Batched.' -Recipient $jane
        $reply = New-FtrackNote -InReplyTo $note -Content 'Seen.'
        (Get-FtrackBatch).Count | Should -Be 3
        Invoke-FtrackQuery "select id from Note where id is '$($note.id)'" | Should -BeNullOrEmpty
        Submit-FtrackBatch | Out-Null
        (Get-ServerNote $note.id).replies.content | Should -Be @('Seen.')
    }

    It 'refuses a name no user has, listing the usernames, and sends nothing' {
        $before = $session.RequestCount
        New-FtrackNote -Parent $shot -Content 'To nobody.' -Recipient jane.deo -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'Ftrack.UnknownName,Ftrack.Cmdlets.NewFtrackNoteCommand'
        $err[0].Exception.Message | Should -Match "no User is named 'jane\.deo'\. Did you mean 'jane\.doe'\? Valid usernames: admin, akira\.tanaka, jane\.doe"
        $session.RequestCount - $before | Should -Be 1                  # the usernames, read to check it
        Invoke-FtrackQuery 'select id from Note where content is "To nobody."' | Should -BeNullOrEmpty
    }
}

Describe 'How notes show' {
    It 'shows author, category, recipients and reply count in a table, a reply indented' {
        $note = New-FtrackNote -Parent $shot -Content 'Shown in a table.' -Category 'Client feedback' -Recipient jane.doe, john.smith -Author akira.tanaka
        $reply = New-FtrackNote -InReplyTo $note -Content 'On it.' -Author jane.doe
        $text = $note, $reply | Out-String -Width 200
        $text | Should -Match '(?m)^Author\s+Date\s+Category\s+Recipients\s+Replies\s+Content\s*$'
        $text | Should -Match '(?m)^akira\.tanaka\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s+Client feedback\s+jane\.doe, john\.smith\s+Shown in a table\.\s*$'
        $text | Should -Match '(?m)^jane\.doe\s+.*\s+> On it\.\s*$'
        # A query's own columns show by default; the notes' table is a view to ask for.
        $read = Invoke-FtrackQuery "select content, author.username, replies from Note where id is '$($note.id)'"
        ($read | Format-Table -View Ftrack.Entity#Note | Out-String -Width 200) | Should -Match '(?m)^akira\.tanaka\s+1\s+Shown in a table\.\s*$'
    }

    It 'lists a note with its labels, where it hangs and its replies, one per line with their authors' {
        $note = New-FtrackNote -Parent $shot -Content 'Listed.' -Label Retake -Author akira.tanaka
        New-FtrackNote -InReplyTo $note -Content 'Fixing it.' -Author jane.doe | Out-Null
        New-FtrackNote -InReplyTo $note -Content 'Done.' -Author john.smith | Out-Null
        $read = Invoke-FtrackQuery ("select content, date, author.username, note_label_links.label.name, parent_type, parent_id, replies.content, " +
            "replies.author.username from Note where id is '$($note.id)'")
        $text = $read | Format-List -View Ftrack.Entity#Note | Out-String -Width 200
        $text | Should -Match '(?m)^Labels\s+: Retake\s*$'
        $text | Should -Match ('(?m)^On\s+: TypedContext ' + $shot.id + '\s*$')
        $text | Should -Match '(?m)^Replies\s+: jane\.doe: Fixing it\.\s*$'
        $text | Should -Match '(?m)^\s+john\.smith: Done\.\s*$'
    }
}
