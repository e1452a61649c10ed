using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Ftrack.Core.Tests.Support;

/// <summary>
/// An HTTPS server on 127.0.0.1 with a given certificate (and intermediates): completes the TLS
/// handshake, then answers every request 200 with an empty body. Counts the requests that got past
/// the handshake.
/// </summary>
internal sealed class TlsServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly SslStreamCertificateContext _context;
    private int _requests;

    public TlsServer(X509Certificate2 certificate, params X509Certificate2[] intermediates)
    {
        _context = SslStreamCertificateContext.Create(certificate, new X509Certificate2Collection(intermediates), offline: true);
        _listener.Start();
        _ = AcceptAsync();
    }

    public Uri Url => new("https://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port + "/");

    public int Requests => Volatile.Read(ref _requests);

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { return; }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        using (var tls = new SslStream(client.GetStream()))
        {
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = _context });
                // With TLS 1.3 the server's side of the handshake completes before the client has
                // judged the certificate: only a request proves the client accepted it.
                if ((await LoopbackHttp.ReadHeadAsync(tls)).Length == 0) return;
                Interlocked.Increment(ref _requests);
                await tls.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException) { }
        }
    }

    public void Dispose() => _listener.Stop();
}

/// <summary>A proxy on 127.0.0.1 that answers every request, CONNECT included, with 407 and a Basic challenge; records the request lines.</summary>
internal sealed class ProxyDemandingAuthentication : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<string> _requests = new();

    public ProxyDemandingAuthentication()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public Uri Url => new("http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port + "/");

    public IReadOnlyList<string> Requests { get { lock (_requests) return _requests.ToArray(); } }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { return; }
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var head = await LoopbackHttp.ReadHeadAsync(stream);
                    lock (_requests) _requests.Add(head.Split("\r\n")[0]);
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(
                        "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"tests\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                }
                catch (IOException) { }
            }
        }
    }

    public void Dispose() => _listener.Stop();
}

internal static class LoopbackHttp
{
    /// <summary>Reads a request's head (up to the blank line); the tests' requests have no body worth reading.</summary>
    public static async Task<string> ReadHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer) == 0) break;
            head.Append((char)buffer[0]);
        }
        return head.ToString();
    }
}
