# Studio networks on loopback for tests/pester/Networks.Tests.ps1: a test certificate authority and
# server certificates made with openssl, an HTTPS front (node) that terminates TLS with them in
# front of a plain-http server, and forward proxies (node) that record what they tunnel. Every
# server binds 127.0.0.1 only and exits when its stdin closes, so a test run that dies leaves none.

function Assert-NetworkTool {
    <# openssl and node are part of the test machine (Debian: apt-get install openssl nodejs): a missing one fails the tests, it does not skip them. #>
    foreach ($tool in 'openssl', 'node') {
        if (-not (Get-Command $tool -CommandType Application -ErrorAction SilentlyContinue)) {
            throw "The Networks tests need '$tool' on PATH (Debian: apt-get install openssl nodejs); it was not found."
        }
    }
}

function Invoke-OpenSsl {
    $output = & openssl @args 2>&1
    if ($LASTEXITCODE -ne 0) { throw "openssl $($args -join ' ') failed (exit code $LASTEXITCODE): $($output -join "`n")" }
}

function New-TestCertificateSet {
    <#
    Writes to -Path: ca.pem (CN=Ftrack Test CA) and its DER copy ca.cer, other-ca.pem (an unrelated
    CA), bundle.pem (both CAs), and server certificates with their keys: server (localhost and
    127.0.0.1, from the test CA), other (the same names, from the other CA) and mismatch (only
    "otherhost", from the test CA). Returns their paths; each server as @(cert, key).
    #>
    param([Parameter(Mandatory)] [string] $Path)
    New-Item -ItemType Directory -Path $Path -Force | Out-Null
    $file = { param($name) Join-Path $Path $name }
    foreach ($ca in @{ Name = 'ca'; Subject = '/CN=Ftrack Test CA' }, @{ Name = 'other-ca'; Subject = '/CN=Other Test CA' }) {
        Invoke-OpenSsl req -x509 -newkey rsa:2048 -nodes -days 2 -subj $ca.Subject `
            -keyout (& $file "$($ca.Name).key") -out (& $file "$($ca.Name).pem") `
            -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign'
    }
    $servers = @(
        @{ Name = 'server'; Subject = '/CN=localhost'; Names = 'DNS:localhost,IP:127.0.0.1'; Ca = 'ca' }
        @{ Name = 'other'; Subject = '/CN=server-of-other-ca'; Names = 'DNS:localhost,IP:127.0.0.1'; Ca = 'other-ca' }
        @{ Name = 'mismatch'; Subject = '/CN=otherhost'; Names = 'DNS:otherhost'; Ca = 'ca' }
    )
    foreach ($server in $servers) {
        $extensions = & $file "$($server.Name).ext"
        Set-Content -Path $extensions -Value @(
            "subjectAltName=$($server.Names)"
            'basicConstraints=CA:FALSE'
            'keyUsage=critical,digitalSignature,keyEncipherment'
            'extendedKeyUsage=serverAuth'
        )
        Invoke-OpenSsl req -newkey rsa:2048 -nodes -subj $server.Subject -keyout (& $file "$($server.Name).key") -out (& $file "$($server.Name).csr")
        Invoke-OpenSsl x509 -req -in (& $file "$($server.Name).csr") -days 2 -CA (& $file "$($server.Ca).pem") -CAkey (& $file "$($server.Ca).key") `
            -CAcreateserial -out (& $file "$($server.Name).pem") -extfile $extensions
    }
    Invoke-OpenSsl x509 -in (& $file 'ca.pem') -outform der -out (& $file 'ca.cer')
    Set-Content -Path (& $file 'bundle.pem') -Value ((Get-Content -Raw (& $file 'other-ca.pem')), (Get-Content -Raw (& $file 'ca.pem'))) -NoNewline
    [pscustomobject]@{
        Ca       = & $file 'ca.pem'
        CaDer    = & $file 'ca.cer'
        OtherCa  = & $file 'other-ca.pem'
        Bundle   = & $file 'bundle.pem'
        Server   = @((& $file 'server.pem'), (& $file 'server.key'))
        Other    = @((& $file 'other.pem'), (& $file 'other.key'))
        Mismatch = @((& $file 'mismatch.pem'), (& $file 'mismatch.key'))
    }
}

function Start-NodeScript([string] $Script, [string[]] $Arguments) {
    $psi = [Diagnostics.ProcessStartInfo]::new('node')
    $psi.ArgumentList.Add((Join-Path $PSScriptRoot $Script))
    foreach ($a in $Arguments) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    [Diagnostics.Process]::Start($psi)
}

# Closing stdin is the script's signal to exit; only one that does not is killed. A script block,
# not a function, so the Stop closures handed to the tests can call it outside this module.
$script:StopNodeScript = {
    param([Diagnostics.Process] $Process)
    try { $Process.StandardInput.Close() } catch { }
    if (-not $Process.WaitForExit(5000)) { $Process.Kill() }
    $Process.Dispose()
}

function Read-NodeLine([Diagnostics.Process] $Process, [string] $Script) {
    $line = $Process.StandardOutput.ReadLine()
    if ($null -eq $line) { throw "$Script exited before it was ready: $($Process.StandardError.ReadToEnd())" }
    $line
}

function Start-HttpsFront {
    <#
    HttpsFront.mjs: one HTTPS port per certificate (-Certificate @{ name = @(cert, key) }), each
    forwarding to -Target. Returns @{ Ports = @{ name = port }; Stop = { ... } }.
    #>
    param([Parameter(Mandatory)] [string] $Target, [Parameter(Mandatory)] [hashtable] $Certificate)
    $specs = foreach ($name in $Certificate.Keys) { "$name=$($Certificate[$name][0]),$($Certificate[$name][1])" }
    $process = Start-NodeScript 'HttpsFront.mjs' (@($Target) + $specs)
    $ports = @{}
    while (($line = Read-NodeLine $process 'HttpsFront.mjs') -ne 'READY') {
        if ($line -notmatch '^LISTENING (\S+) (\d+)$') { & $StopNodeScript $process; throw "HttpsFront.mjs: unexpected '$line'" }
        $ports[$Matches[1]] = [int]$Matches[2]
    }
    $stop = $StopNodeScript
    [pscustomobject]@{ Ports = $ports; Stop = { & $stop $process }.GetNewClosure() }
}

function Start-TestProxy {
    <#
    ConnectProxy.mjs: a forward proxy (CONNECT tunnels and plain-http requests); with -User and
    -Password it answers 407 to requests without that Basic Proxy-Authorization. Returns
    @{ Url; Log = { the requests it received: method, target, authorized }; Stop = { ... } }.
    #>
    param([string] $User, [string] $Password)
    $process = Start-NodeScript 'ConnectProxy.mjs' $(if ($User) { @($User, $Password) } else { @() })
    $line = Read-NodeLine $process 'ConnectProxy.mjs'
    if ($line -notmatch '^LISTENING (\d+)$') { & $StopNodeScript $process; throw "ConnectProxy.mjs: unexpected '$line'" }
    $url = "http://127.0.0.1:$($Matches[1])"
    $stop = $StopNodeScript
    [pscustomobject]@{
        Url  = $url
        # Invoke-RestMethod writes a JSON array as one object: ForEach-Object unrolls it.
        Log  = { Invoke-RestMethod -Uri "$url/__log" -NoProxy | ForEach-Object { $_ } }.GetNewClosure()
        Stop = { & $stop $process }.GetNewClosure()
    }
}

Export-ModuleMember -Function Assert-NetworkTool, New-TestCertificateSet, Start-HttpsFront, Start-TestProxy
