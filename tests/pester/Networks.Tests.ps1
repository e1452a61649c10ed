# Studio networks (issue #18): the local server behind an HTTPS front whose certificates come from a
# test certificate authority made with openssl, and forward proxies on loopback - the way studios
# run ftrack on premises behind an internal CA and reach the outside through a proxy.

BeforeAll {
    Import-Module $env:FTRACK_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'support/NetworkServers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'support/ChildProcess.psm1') -Force
    Assert-NetworkTool

    $script:temp = Join-Path ([IO.Path]::GetTempPath()) ("ftrack-networks-" + [guid]::NewGuid())
    $env:FTRACK_SCHEMA_CACHE = Join-Path $temp 'schemas'
    $script:certs = New-TestCertificateSet -Path (Join-Path $temp 'certs')

    $script:local = Start-FtrackLocalServer -Seed Demo
    $script:front = Start-HttpsFront -Target $local.Url -Certificate @{ good = $certs.Server; other = $certs.Other; mismatch = $certs.Mismatch }
    $script:good = "https://127.0.0.1:$($front.Ports.good)"
    $script:otherCa = "https://127.0.0.1:$($front.Ports.other)"
    $script:mismatch = "https://127.0.0.1:$($front.Ports.mismatch)"

    $script:proxyPassword = 'proxy-Secret-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    $script:proxy = Start-TestProxy
    $script:lockedProxy = Start-TestProxy -User 'alice' -Password $proxyPassword
    $script:proxyCredential = [pscredential]::new('alice', (ConvertTo-SecureString $proxyPassword -AsPlainText -Force))

    function Get-Tunnel($Proxy) { @(& $Proxy.Log | Where-Object method -eq 'CONNECT') }
}

AfterAll {
    Disconnect-Ftrack
    # Guarded: a BeforeAll that failed half way (no node, no openssl) leaves some of these unset.
    foreach ($server in $front, $proxy, $lockedProxy) { if ($server) { & $server.Stop } }
    if ($local) { $local | Stop-FtrackLocalServer }
    if ($temp) { Remove-Item $temp -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Server certificates' {
    It 'refuses a server whose certificate authority is not trusted, naming the certificate, its issuer and why' {
        { Connect-Ftrack -Server $good -Credential $local.Credential } |
            Should -Throw -ErrorId 'Ftrack.ConnectionFailed,Ftrack.Cmdlets.ConnectFtrackCommand'
        $record = $Error[0]
        $record.CategoryInfo.Category | Should -Be 'ConnectionError'
        $record.Exception.Failure | Should -Be 'Tls'
        $record.Exception.Message | Should -Match 'TLS handshake'
        $record.Exception.Message | Should -Match "subject 'CN=localhost'"
        $record.Exception.Message | Should -Match "issued by 'CN=Ftrack Test CA'"
        $record.Exception.Message | Should -Match 'is not a trusted authority'
        $record.ErrorDetails.RecommendedAction | Should -Match '-TrustedCertificate'
    }

    It 'trusts the CA given with -TrustedCertificate (a PEM file) besides the system store' {
        $session = Connect-Ftrack -Server $good -Credential $local.Credential -TrustedCertificate $certs.Ca -PassThru
        @(Invoke-FtrackQuery 'select name from Project').Count | Should -BeGreaterThan 0
        $session.TrustedCertificates | Should -HaveCount 1
        $session.TrustedCertificates[0] | Should -BeLike 'CN=Ftrack Test CA (*)'
        $session.SkipCertificateCheck | Should -BeFalse
    }

    It 'takes the CA as <Form>' -ForEach @(
        @{ Form = 'a DER file'; Value = { $certs.CaDer } }
        @{ Form = 'a PEM bundle of several CAs'; Value = { $certs.Bundle } }
        @{ Form = 'a certificate object'; Value = { [Security.Cryptography.X509Certificates.X509Certificate2]::new($certs.CaDer) } }
        @{ Form = 'a file from Get-Item'; Value = { Get-Item $certs.Ca } }
        @{ Form = 'a path relative to the current location'; Value = { Set-Location (Split-Path $certs.Ca); './ca.pem' } }
    ) {
        Push-Location
        try {
            $trusted = & $Value
            Connect-Ftrack -Server $good -Credential $local.Credential -TrustedCertificate $trusted
            @(Invoke-FtrackQuery 'select name from Project').Count | Should -BeGreaterThan 0
        }
        finally { Pop-Location }
    }

    It 'still refuses a certificate from another CA when the first CA is trusted' {
        { Connect-Ftrack -Server $otherCa -Credential $local.Credential -TrustedCertificate $certs.Ca } |
            Should -Throw -ErrorId 'Ftrack.ConnectionFailed,Ftrack.Cmdlets.ConnectFtrackCommand'
        $Error[0].Exception.Message | Should -Match "issued by 'CN=Other Test CA'"
        $Error[0].Exception.Message | Should -Match 'is not a trusted authority'
    }

    It 'refuses a certificate from the trusted CA that is for another host name' {
        { Connect-Ftrack -Server $mismatch -Credential $local.Credential -TrustedCertificate $certs.Ca } |
            Should -Throw -ErrorId 'Ftrack.ConnectionFailed,Ftrack.Cmdlets.ConnectFtrackCommand'
        $Error[0].Exception.Message | Should -Match "subject 'CN=otherhost'"
        $Error[0].Exception.Message | Should -Match 'it is for .*otherhost, not for 127\.0\.0\.1'
    }

    It 'connects to an untrusted server with -SkipCertificateCheck, warning on every connect' {
        foreach ($attempt in 1, 2) {
            $session = Connect-Ftrack -Server $otherCa -Credential $local.Credential -SkipCertificateCheck -PassThru -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings | Should -HaveCount 1
            $warnings[0].Message | Should -Match 'Certificate checks are skipped'
            $session.SkipCertificateCheck | Should -BeTrue
        }
        @(Invoke-FtrackQuery 'select name from Project').Count | Should -BeGreaterThan 0
    }

    It 'refuses what is not a certificate with Ftrack.InvalidCertificate: <Case>' -ForEach @(
        @{ Case = 'a file that does not exist'; Arguments = { @{ TrustedCertificate = (Join-Path $temp 'no-such.pem') } }; Words = 'Cannot read' }
        @{ Case = 'a private key'; Arguments = { @{ TrustedCertificate = $certs.Server[1] } }; Words = 'holds no certificate' }
        @{ Case = 'a number'; Arguments = { @{ TrustedCertificate = 42 } }; Words = 'takes paths' }
        @{ Case = 'together with -SkipCertificateCheck'; Arguments = { @{ TrustedCertificate = $certs.Ca; SkipCertificateCheck = $true } }; Words = 'not both' }
    ) {
        $arguments = & $Arguments
        { Connect-Ftrack -Server $good -Credential $local.Credential @arguments -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'Ftrack.InvalidCertificate,Ftrack.Cmdlets.ConnectFtrackCommand'
        $Error[0].Exception.Message | Should -Match $Words
        $Error[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe 'Proxies' {
    It '-Proxy tunnels the https connection through the proxy' {
        $before = (Get-Tunnel $proxy).Count
        $session = Connect-Ftrack -Server $good -Credential $local.Credential -TrustedCertificate $certs.Ca -Proxy $proxy.Url -PassThru
        @(Invoke-FtrackQuery 'select name from Project').Count | Should -BeGreaterThan 0
        $tunnels = @(Get-Tunnel $proxy | Select-Object -Skip $before)
        $tunnels.Count | Should -BeGreaterThan 0
        $tunnels.target | Sort-Object -Unique | Should -Be "127.0.0.1:$($front.Ports.good)"
        $session.Proxy | Should -Be ([uri]"$($proxy.Url)/")
    }

    It 'the event hub goes the same way: through the proxy to the HTTPS front, trusting the same CA (wss)' {
        $session = Connect-Ftrack -Server $good -Credential $local.Credential -TrustedCertificate $certs.Ca -Proxy $proxy.Url -PassThru
        $topic = 'networks.proxy.' + [guid]::NewGuid().ToString('N')
        try {
            $before = (Get-Tunnel $proxy).Count
            Register-FtrackEvent -Session $session -Subscription "topic=$topic" -SourceIdentifier $topic
            Send-FtrackEvent -Session $session -Topic $topic -Data @{ through = 'proxy' }
            $received = Wait-Event -SourceIdentifier $topic -Timeout 20
            $received.MessageData.data.through | Should -Be 'proxy'
            $tunnels = @(Get-Tunnel $proxy | Select-Object -Skip $before)
            # The hub's own two connections: the socket.io handshake, then the websocket.
            $tunnels.Count | Should -BeGreaterOrEqual 2
            $tunnels.target | Sort-Object -Unique | Should -Be "127.0.0.1:$($front.Ports.good)"
        } finally {
            Get-EventSubscriber -SourceIdentifier $topic -ErrorAction SilentlyContinue | Unregister-Event
            Get-Event -SourceIdentifier $topic -ErrorAction SilentlyContinue | Remove-Event
            $session.Dispose()
        }
    }

    It 'uploads and downloads go through the session''s proxy as well (the storage URLs the server hands out)' {
        # Plain http: through the HTTPS front the server would hand out http URLs, which an https
        # session refuses (Ftrack.TransferFailed) before sending a byte.
        $session = Connect-Ftrack -Server $local.Url -Credential $local.Credential -Proxy $proxy.Url -PassThru
        try {
            $version = Invoke-FtrackQuery -Session $session 'select id from AssetVersion' -First 1
            $file = Join-Path $temp 'through-proxy.bin'
            $bytes = [byte[]]::new(300KB); [Security.Cryptography.RandomNumberGenerator]::Fill($bytes); [IO.File]::WriteAllBytes($file, $bytes)
            $before = @(& $proxy.Log).Count
            $component = New-FtrackComponent -Session $session -Path $file -Version $version
            $saved = Save-FtrackComponent -Session $session -InputObject $component -Destination (Join-Path $temp 'through-proxy')
            (Get-FileHash $saved.FullName).Hash | Should -Be (Get-FileHash $file).Hash
            # The proxy relays plain-http requests by their absolute URL, and logs each.
            $relayed = @(& $proxy.Log | Select-Object -Skip $before | Where-Object method -in 'PUT', 'GET')
            $relayed.method | Should -Contain 'PUT'
            $relayed.method | Should -Contain 'GET'
        } finally {
            $session.Dispose()
        }
    }

    It 'the event hub of a server no CA vouches for is reached with the session''s -SkipCertificateCheck (wss)' {
        $topic = 'networks.skip.' + [guid]::NewGuid().ToString('N')
        $session = Connect-Ftrack -Server $otherCa -Credential $local.Credential -SkipCertificateCheck -PassThru -WarningAction SilentlyContinue
        try {
            Register-FtrackEvent -Session $session -Subscription "topic=$topic" -SourceIdentifier $topic
            Send-FtrackEvent -Session $session -Topic $topic -Data @{ through = 'skip' }
            (Wait-Event -SourceIdentifier $topic -Timeout 20).MessageData.data.through | Should -Be 'skip'
        } finally {
            Get-EventSubscriber -SourceIdentifier $topic -ErrorAction SilentlyContinue | Unregister-Event
            Get-Event -SourceIdentifier $topic -ErrorAction SilentlyContinue | Remove-Event
            $session.Dispose()
        }
    }

    It '-ProxyCredential authenticates to a proxy that requires it, and the session shows the user, not the password' {
        $before = (Get-Tunnel $lockedProxy).Count
        $session = Connect-Ftrack -Server $good -Credential $local.Credential -TrustedCertificate $certs.Ca -Proxy $lockedProxy.Url -ProxyCredential $proxyCredential -PassThru
        @(Invoke-FtrackQuery 'select name from Project').Count | Should -BeGreaterThan 0
        @(Get-Tunnel $lockedProxy | Select-Object -Skip $before | Where-Object authorized).Count | Should -BeGreaterThan 0
        $session.ProxyUser | Should -Be 'alice'
        $shown = (Get-FtrackSession | Format-List * | Out-String)
        $shown | Should -Match 'ProxyUser\s+: alice'
        $shown | Should -Match ([regex]::Escape($lockedProxy.Url))
        $shown | Should -Not -Match $proxyPassword
    }

    It 'fails with Ftrack.ProxyAuthenticationRequired when a proxy answers 407 to the tunnel: <Case>' -ForEach @(
        @{ Case = 'no credentials'; Arguments = { @{} }; Words = 'no proxy credentials were given' }
        @{ Case = 'a wrong password'; Arguments = { @{ ProxyCredential = [pscredential]::new('alice', (ConvertTo-SecureString 'wrong-password' -AsPlainText -Force)) } }; Words = "refused the proxy credentials of 'alice'" }
    ) {
        $arguments = & $Arguments
        { Connect-Ftrack -Server $good -Credential $local.Credential -TrustedCertificate $certs.Ca -Proxy $lockedProxy.Url @arguments } |
            Should -Throw -ErrorId 'Ftrack.ProxyAuthenticationRequired,Ftrack.Cmdlets.ConnectFtrackCommand'
        $record = $Error[0]
        $record.Exception.Message | Should -Match '407'
        $record.Exception.Message | Should -Match ([regex]::Escape($lockedProxy.Url))
        $record.Exception.Message | Should -Match $Words
        $record.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $record.ErrorDetails.RecommendedAction | Should -Match '-ProxyCredential'
        $record.ErrorDetails.RecommendedAction | Should -Match '-ProxyUseDefaultCredentials'
    }

    It 'fails the same way when a proxy answers 407 to a plain-http request' {
        $before = @(& $lockedProxy.Log).Count
        { Connect-Ftrack -Server $local.Url -Credential $local.Credential -Proxy $lockedProxy.Url } |
            Should -Throw -ErrorId 'Ftrack.ProxyAuthenticationRequired,Ftrack.Cmdlets.ConnectFtrackCommand'
        @(& $lockedProxy.Log | Select-Object -Skip $before | Where-Object method -eq 'POST').Count | Should -Be 1
    }

    It 'honours HTTPS_PROXY without -Proxy, and -NoProxy ignores it (in a child pwsh: .NET reads it once per process)' {
        $script = Join-Path $temp 'https-proxy.ps1'
        Set-Content -Path $script -Value @'
param($ModulePath, $Ca)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$session = Connect-Ftrack -TrustedCertificate $Ca -PassThru
"PROXY=$($session.Proxy)"
"PROJECTS=$(@(Invoke-FtrackQuery 'select name from Project').Count)"
$direct = Connect-Ftrack -TrustedCertificate $Ca -NoProxy -PassThru
"NOPROXY=$($direct.Proxy)"
"PROJECTS=$(@(Invoke-FtrackQuery 'select name from Project').Count)"
'@
        $before = (Get-Tunnel $proxy).Count
        $key = $local.Credential.GetNetworkCredential().Password
        # Only HTTPS_PROXY: any other proxy variable of this machine is removed (names differ in case, hence Ordinal).
        $environment = [hashtable]::new([StringComparer]::Ordinal)
        foreach ($name in 'HTTP_PROXY', 'http_proxy', 'https_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy') { $environment[$name] = $null }
        $environment['HTTPS_PROXY'] = $proxy.Url
        $environment['FTRACK_SERVER'] = $good
        $environment['FTRACK_API_USER'] = $local.ApiUser
        $environment['FTRACK_API_KEY'] = $key
        $environment['FTRACK_SCHEMA_CACHE'] = $env:FTRACK_SCHEMA_CACHE
        $run = Invoke-ChildPwsh -File $script -ArgumentList $env:FTRACK_MODULE_PATH, $certs.Ca -TimeoutSec 120 -Environment $environment
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match ('(?m)^PROXY=' + [regex]::Escape($proxy.Url) + '/?\s*$')
        $run.Output | Should -Match '(?m)^NOPROXY=\s*$'
        ([regex]::Matches($run.Output, '(?m)^PROJECTS=[1-9]')).Count | Should -Be 2 -Because $run.Output
        # The first session tunnelled through the proxy; the -NoProxy one did not.
        @(Get-Tunnel $proxy | Select-Object -Skip $before).target | Sort-Object -Unique | Should -Be "127.0.0.1:$($front.Ports.good)"
        @(Get-Tunnel $proxy | Select-Object -Skip $before).Count | Should -Be 1
    }

    It 'refuses proxy settings that cannot work with Ftrack.InvalidProxy, never echoing a password: <Case>' -ForEach @(
        @{ Case = 'a password in the proxy URL'; Arguments = { @{ Proxy = "http://alice:$proxyPassword@127.0.0.1:3128" } }; Words = 'must not contain a user name or password' }
        @{ Case = 'not a URL'; Arguments = { @{ Proxy = 'proxy.studio.local:3128' } }; Words = 'is not a proxy URL' }
        @{ Case = 'a credential and logon credentials'; Arguments = { @{ Proxy = $proxy.Url; ProxyCredential = $proxyCredential; ProxyUseDefaultCredentials = $true } }; Words = 'not both' }
        @{ Case = '-Proxy with -NoProxy'; Arguments = { @{ Proxy = $proxy.Url; NoProxy = $true } }; Words = '-NoProxy' }
    ) {
        $arguments = & $Arguments
        { Connect-Ftrack -Server $good -Credential $local.Credential @arguments } |
            Should -Throw -ErrorId 'Ftrack.InvalidProxy,Ftrack.Cmdlets.ConnectFtrackCommand'
        $Error[0].Exception.Message | Should -Match $Words
        $Error[0].Exception.Message | Should -Not -Match $proxyPassword
    }
}

Describe 'Secrets on studio networks' {
    It 'the proxy password and the API key appear in no verbose, debug, warning, error or transcript' {
        $key = $local.Credential.GetNetworkCredential().Password
        $wrongPassword = 'wrong-' + [guid]::NewGuid().ToString('N')
        $transcript = Join-Path $temp 'transcript.txt'
        $Error.Clear()
        $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
        Start-Transcript -Path $transcript | Out-Null
        try {
            $session = Connect-Ftrack -Server $good -Credential $local.Credential -TrustedCertificate $certs.Ca -Proxy $lockedProxy.Url -ProxyCredential $proxyCredential -PassThru -Verbose -Debug
            $session | Format-List * | Out-String | Write-Host
            Invoke-FtrackQuery 'select name from Project' -Verbose -Debug | Out-String | Write-Host
            $wrong = [pscredential]::new('alice', (ConvertTo-SecureString $wrongPassword -AsPlainText -Force))
            try { Connect-Ftrack -Server $good -Credential $local.Credential -TrustedCertificate $certs.Ca -Proxy $lockedProxy.Url -ProxyCredential $wrong -Verbose -Debug } catch { $_ | Format-List * -Force | Out-String | Write-Host }
            try { Connect-Ftrack -Server $local.Url -Credential $local.Credential -Proxy $lockedProxy.Url -ProxyCredential $wrong -Verbose -Debug } catch { $_ | Format-List * -Force | Out-String | Write-Host }
            try { Connect-Ftrack -Server $otherCa -Credential $local.Credential -Proxy $lockedProxy.Url -ProxyCredential $proxyCredential -Verbose -Debug } catch { $_ | Format-List * -Force | Out-String | Write-Host }
            # -Debug makes a binary cmdlet's warnings ask (Inquire): this test has no one to answer.
            Connect-Ftrack -Server $otherCa -Credential $local.Credential -SkipCertificateCheck -Proxy $proxy.Url -Verbose -Debug -WarningAction Continue
        }
        finally {
            Stop-Transcript | Out-Null
            $VerbosePreference = 'SilentlyContinue'; $DebugPreference = 'SilentlyContinue'
        }
        $text = Get-Content -Raw $transcript
        $text | Should -Match 'through the proxy'            # the transcript did record the verbose lines
        $text | Should -Match 'ProxyAuthenticationRequired'  # ...and the failures
        foreach ($secret in $key, $proxyPassword, $wrongPassword) {
            $text | Should -Not -Match ([regex]::Escape($secret))
            ($Error | ForEach-Object { $_ | Format-List * -Force | Out-String; $_.Exception | Format-List * -Force | Out-String }) -join "`n" |
                Should -Not -Match ([regex]::Escape($secret))
        }
    }
}

Describe 'Help on studio networks' {
    It 'about_Ftrack_Connecting is found by Get-Help, has the standard layout, and about_Ftrack points to it' {
        $text = Get-Help about_Ftrack_Connecting | Out-String
        foreach ($section in 'SHORT DESCRIPTION', 'LONG DESCRIPTION', 'EXAMPLES', 'SEE ALSO') { $text | Should -Match $section }
        foreach ($parameter in '-TrustedCertificate', '-SkipCertificateCheck', '-Proxy', '-ProxyCredential', '-ProxyUseDefaultCredentials', '-NoProxy', 'HTTPS_PROXY', 'Ftrack.ProxyAuthenticationRequired') {
            $text | Should -Match ([regex]::Escape($parameter))
        }
        (Get-Help about_Ftrack | Out-String) | Should -Match 'about_Ftrack_Connecting'
    }
}
