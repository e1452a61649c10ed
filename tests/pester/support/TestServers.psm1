# Servers on loopback for the Pester suite: the shared benchmark stub (node) and a small fault
# server that answers the recorded fixtures and, on demand, each kind of failure a real ftrack
# server or proxy produces. Every server binds 127.0.0.1 only and is stopped by the tests.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path

function Find-SharedFolder {
    # shared/ sits beside the clone (../shared), in CI and in a developer's workplace alike.
    $dir = $script:RepoRoot
    while ($dir) {
        $candidate = Join-Path $dir 'shared'
        if (Test-Path (Join-Path $candidate 'fixtures/ftrack-server')) { return $candidate }
        $parent = Split-Path $dir -Parent
        if ($parent -eq $dir) { break }
        $dir = $parent
    }
    throw "shared/fixtures/ftrack-server not found above $script:RepoRoot"
}

function Start-FtrackStub {
    <# Starts ../shared/bench/ftrack-stub/stub.mjs with N tasks; returns @{ Url; Process }. #>
    param([int] $N = 1000)
    $stub = Join-Path (Find-SharedFolder) 'bench/ftrack-stub/stub.mjs'
    $psi = [Diagnostics.ProcessStartInfo]::new('node', "`"$stub`"")
    $psi.Environment['N'] = "$N"
    $psi.Environment['PORT'] = '0'
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($psi)
    $line = $process.StandardOutput.ReadLine()
    if ($line -notmatch '^LISTENING (\S+)') { $process.Kill(); throw "The stub did not start: $line $($process.StandardError.ReadToEnd())" }
    [pscustomobject]@{ Url = $Matches[1]; Process = $process }
}

function Get-FreeTcpPort {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Start-FaultServer {
    <#
    A fixture server on HttpListener. The API key 'good-key' is accepted; anything else gets HTTP
    401 InvalidCredentialsError. A query answers the recorded two-row status fixture (references to
    expand), unless it names a failure as a quoted value (a real type, so that the module's schema
    check lets it through: select name from Task where name is "Forbidden"):
      "Forbidden"    PermissionError           "Invalid"   ValidationError
      "Broken"       ServerError               "Html"      an HTML 502 page from a "proxy"
      "Truncated"    a JSON body cut mid-row   "Slow"      answers after 5 s (Signals.SlowStarted set on arrival)
      and "select from" (no attribute) is a ParseError.
    A request with a create is "applied" (its ids remembered) and then answered with a connection
    reset; a later "where id is" query for such an id finds it.
    Returns @{ Url; Stop = { ... } }.
    #>
    $shared = Find-SharedFolder
    $port = Get-FreeTcpPort
    $url = "http://127.0.0.1:$port/"
    $listener = [Net.HttpListener]::new()
    $listener.Prefixes.Add($url)
    $listener.Start()
    # What the test can wait on instead of sleeping: set when a request reached a given point.
    $signals = [hashtable]::Synchronized(@{})
    $runspace = [runspacefactory]::CreateRunspace()
    $runspace.Open()
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    $null = $ps.AddScript({
        param($listener, $fixtures, $signals)
        $info = Get-Content -Raw (Join-Path $fixtures 'query_server_information.json')
        $schemas = Get-Content -Raw (Join-Path $fixtures 'query_schemas.json')
        # The recording came from a "limit 2" query; served as the whole result, it has no next page.
        $rows = (Get-Content -Raw (Join-Path $fixtures 'query_select_status.state.short_from_task_where_status.state.short_is_not_started_limit_2.json')) -replace '"offset":\s*\d+', '"offset": null'
        function Send($context, [int] $status, [string] $body, [string] $type = 'application/json', [hashtable] $headers = @{}) {
            $bytes = [Text.Encoding]::UTF8.GetBytes($body)
            $context.Response.StatusCode = $status
            $context.Response.ContentType = $type
            foreach ($k in $headers.Keys) { $context.Response.Headers[$k] = $headers[$k] }
            $context.Response.ContentLength64 = $bytes.Length
            $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
            $context.Response.Close()
        }
        $created = @{}
        function ErrorBody([string] $name, [string] $content) {
            @{ exception = $name; content = $content; error_code = $null } | ConvertTo-Json -Compress
        }
        while ($listener.IsListening) {
            try { $context = $listener.GetContext() } catch { break }
            try {
                if ($context.Request.Headers['ftrack-api-key'] -ne 'good-key') {
                    Send $context 401 (ErrorBody 'InvalidCredentialsError' 'The username or API key is invalid.') -headers @{ FTRACK_ERROR = 'InvalidCredentialsError' }
                    continue
                }
                $reader = [IO.StreamReader]::new($context.Request.InputStream)
                $ops = @($reader.ReadToEnd() | ConvertFrom-Json)
                $results = [Collections.Generic.List[string]]::new()
                $answered = $false
                foreach ($op in $ops) {
                    switch ($op.action) {
                        'query_server_information' { $results.Add($info) }
                        'query_schemas' { $results.Add($schemas) }
                        'create' {
                            # The write reaches the "server" and is applied, but the answer is lost:
                            # the connection is reset. A later id check finds the entity.
                            $created[[string]$op.entity_data.id] = [string]$op.entity_type
                        }
                        'query' {
                            $e = [string]$op.expression
                            if ($e -match 'where id is "([^"]+)"' -and $created.ContainsKey($Matches[1])) {
                                $results.Add((@{ action = 'query'; data = @(@{ __entity_type__ = $created[$Matches[1]]; id = $Matches[1] }); metadata = @{ next = @{ offset = $null } } } | ConvertTo-Json -Depth 5 -Compress))
                            }
                            elseif ($e -match '^\s*select\s+from') { Send $context 400 (ErrorBody 'ParseError' "Unable to parse expression: $e"); $answered = $true }
                            elseif ($e -match '"Forbidden"') { Send $context 403 (ErrorBody 'PermissionError' 'You do not have permission to read Forbidden.'); $answered = $true }
                            elseif ($e -match '"Invalid"') { Send $context 400 (ErrorBody 'ValidationError' 'name must not be empty.'); $answered = $true }
                            elseif ($e -match '"Broken"') { Send $context 500 (ErrorBody 'ServerError' 'Something broke on the server.'); $answered = $true }
                            elseif ($e -match '"Html"') { Send $context 502 '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>' 'text/html'; $answered = $true }
                            elseif ($e -match '"Truncated"') { Send $context 200 ('[' + $rows.Substring(0, [int]($rows.Length / 2))); $answered = $true }
                            elseif ($e -match '"Slow"') { $signals.SlowStarted = $true; Start-Sleep -Seconds 5; $results.Add($rows) }
                            else { $results.Add($rows) }
                        }
                        default { Send $context 400 (ErrorBody 'ServerError' "Invalid action '$($op.action)'."); $answered = $true }
                    }
                    if ($answered) { break }
                }
                if (-not $answered -and ($ops | Where-Object action -eq 'create')) { $context.Response.Abort(); continue }
                if (-not $answered) { Send $context 200 ('[' + ($results -join ',') + ']') }
            }
            catch { try { $context.Response.Abort() } catch { } }
        }
    }).AddArgument($listener).AddArgument((Join-Path $shared 'fixtures/ftrack-server')).AddArgument($signals)
    $handle = $ps.BeginInvoke()
    [pscustomobject]@{
        Url     = $url.TrimEnd('/')
        Signals = $signals
        Stop = { $listener.Stop(); $listener.Close(); $ps.Stop(); $ps.Dispose(); $runspace.Dispose() }.GetNewClosure()
    }
}

function New-TestCredential([string] $User = 'tester', [string] $Key = 'good-key') {
    [pscredential]::new($User, (ConvertTo-SecureString $Key -AsPlainText -Force))
}

function Start-RecordingServer {
    <#
    A server that records every request it receives (method, path, whether it carried
    ftrack-api-key or ftrack-user) and answers 404. Returns @{ Url; Requests; Stop = { ... } }.
    #>
    $port = Get-FreeTcpPort
    $url = "http://127.0.0.1:$port/"
    $listener = [Net.HttpListener]::new()
    $listener.Prefixes.Add($url)
    $listener.Start()
    $requests = [Collections.Concurrent.ConcurrentQueue[object]]::new()
    $runspace = [runspacefactory]::CreateRunspace()
    $runspace.Open()
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    $null = $ps.AddScript({
        param($listener, $requests)
        while ($listener.IsListening) {
            try { $context = $listener.GetContext() } catch { break }
            $requests.Enqueue([pscustomobject]@{
                Method = $context.Request.HttpMethod
                Path   = $context.Request.Url.AbsolutePath
                HasKey = [bool]$context.Request.Headers['ftrack-api-key']
                HasUser = [bool]$context.Request.Headers['ftrack-user']
                Cookie = [string]$context.Request.Headers['Cookie']
            })
            $context.Response.StatusCode = 404
            $context.Response.Close()
        }
    }).AddArgument($listener).AddArgument($requests)
    $null = $ps.BeginInvoke()
    [pscustomobject]@{
        Url      = $url.TrimEnd('/')
        Requests = $requests
        Stop     = { $listener.Stop(); $listener.Close(); $ps.Stop(); $ps.Dispose(); $runspace.Dispose() }.GetNewClosure()
    }
}

function Start-RedirectServer {
    <#
    A server that answers every request with the given redirect status and a Location on another
    origin (Target + the request's path), and sets a session cookie. Returns @{ Url; Stop = { ... } }.
    #>
    param([int] $Status = 307, [Parameter(Mandatory)] [string] $Target)
    $port = Get-FreeTcpPort
    $url = "http://127.0.0.1:$port/"
    $listener = [Net.HttpListener]::new()
    $listener.Prefixes.Add($url)
    $listener.Start()
    $runspace = [runspacefactory]::CreateRunspace()
    $runspace.Open()
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    $null = $ps.AddScript({
        param($listener, $status, $target)
        while ($listener.IsListening) {
            try { $context = $listener.GetContext() } catch { break }
            $context.Response.StatusCode = $status
            $context.Response.Headers['Location'] = $target + $context.Request.Url.AbsolutePath
            $context.Response.Headers['Set-Cookie'] = 'ftrack_session=secret-session; Path=/'
            $context.Response.Close()
        }
    }).AddArgument($listener).AddArgument($Status).AddArgument($Target)
    $null = $ps.BeginInvoke()
    [pscustomobject]@{
        Url  = $url.TrimEnd('/')
        Stop = { $listener.Stop(); $listener.Close(); $ps.Stop(); $ps.Dispose(); $runspace.Dispose() }.GetNewClosure()
    }
}

Export-ModuleMember -Function Find-SharedFolder, Start-FtrackStub, Start-FaultServer, Start-RecordingServer, Start-RedirectServer, New-TestCredential, Get-FreeTcpPort
