using System.Net;
using Ftrack.Core.Publishing;
using Ftrack.Core.Tests.Support;
using Ftrack.Core.Transport;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>
/// Faults of a transfer that the local server cannot produce on demand — a storage that redirects,
/// one that stops sending, a body cut short — through a fake handler. The happy paths run over
/// real HTTP in Components.Tests.ps1 and ComponentStorageTests.
/// </summary>
public sealed class ByteTransferTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ftrack-transfer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Answers each request with what the test says, and records what it was asked.</summary>
    private sealed class FakeStorage : HttpMessageHandler
    {
        private readonly Func<HttpRequestMessage, HttpResponseMessage> _answer;
        public List<HttpRequestMessage> Requests { get; } = new();
        public List<byte[]> Bodies { get; } = new();

        public FakeStorage(Func<HttpRequestMessage, HttpResponseMessage> answer) => _answer = answer;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            if (request.Content != null) Bodies.Add(await request.Content.ReadAsByteArrayAsync(cancellationToken));
            return _answer(request);
        }
    }

    /// <summary>A body that sends its first bytes, then nothing, until cancelled.</summary>
    private sealed class StallingStream : Stream
    {
        private bool _sent;
        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (!_sent)
            {
                _sent = true;
                buffer[offset] = 42;
                return 1;
            }
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static FtrackSession Session() => new(new FtrackSessionOptions(TestSessions.Server, TestSessions.ApiUser, TestSessions.ApiKey) { SchemaCacheDirectory = null });

    private static HttpResponseMessage Bytes(byte[] body) => new(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };

    [Fact]
    public async Task A_download_follows_a_redirect_to_the_storage_without_credentials()
    {
        var data = new byte[] { 1, 2, 3, 4, 5 };
        var storage = new FakeStorage(request => request.RequestUri!.Host == "storage.test"
            ? Bytes(data)
            : new HttpResponseMessage(HttpStatusCode.Found) { Headers = { Location = new Uri("https://storage.test/bucket/abc?X-Sig=1") } });
        using var session = Session();
        using var transfer = new ByteTransfer(session, storage);
        var target = Path.Combine(_folder, "plate.mov");
        var written = await transfer.DownloadAsync(new Uri("https://studio.test/component/get?id=abc&signature=s"), target, false, new TransferProgress(5), CancellationToken.None);
        Assert.Equal(5, written);
        Assert.Equal(data, File.ReadAllBytes(target));
        Assert.Equal(2, storage.Requests.Count);
        Assert.All(storage.Requests, r => Assert.False(r.Headers.Contains("ftrack-api-key")));
    }

    [Fact]
    public async Task A_redirect_from_https_to_http_is_refused_and_nothing_is_written()
    {
        var storage = new FakeStorage(_ => new HttpResponseMessage(HttpStatusCode.TemporaryRedirect) { Headers = { Location = new Uri("http://storage.test/plain") } });
        using var session = Session();
        using var transfer = new ByteTransfer(session, storage);
        var target = Path.Combine(_folder, "plate.mov");
        var error = await Assert.ThrowsAsync<FtrackTransferException>(() => transfer.DownloadAsync(new Uri("https://studio.test/component/get?id=abc"), target, false, new TransferProgress(5), CancellationToken.None));
        Assert.Contains("not encrypted", error.Message);
        Assert.Equal(FtrackErrorIds.TransferFailed, error.ErrorId);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task A_body_cut_short_fails_and_leaves_no_partial_file()
    {
        var storage = new FakeStorage(_ =>
        {
            var answer = Bytes(new byte[3]);
            answer.Content.Headers.ContentLength = 10;
            return answer;
        });
        using var session = Session();
        using var transfer = new ByteTransfer(session, storage);
        var target = Path.Combine(_folder, "plate.mov");
        var progress = new TransferProgress(10);
        await Assert.ThrowsAnyAsync<FtrackException>(() => transfer.DownloadAsync(new Uri("https://studio.test/x"), target, false, progress, CancellationToken.None));
        Assert.Empty(Directory.GetFiles(_folder));
        Assert.Equal(0, progress.DoneBytes);
    }

    [Fact]
    public async Task A_download_in_which_no_byte_moves_for_the_idle_timeout_is_given_up()
    {
        var storage = new FakeStorage(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new StallingStream()) });
        using var session = Session();
        using var transfer = new ByteTransfer(session, storage) { IdleTimeout = TimeSpan.FromMilliseconds(400) };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<FtrackTransferException>(() => transfer.DownloadAsync(new Uri("https://studio.test/x"), Path.Combine(_folder, "f"), false, new TransferProgress(100), CancellationToken.None));
        Assert.Contains("stalled", error.Message);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(10));
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task An_upload_sends_the_file_with_the_servers_headers_and_reports_its_refusal_in_its_words()
    {
        var path = Path.Combine(_folder, "plate.mov");
        File.WriteAllBytes(path, new byte[] { 9, 8, 7 });
        var storage = new FakeStorage(_ => new HttpResponseMessage(HttpStatusCode.Forbidden)
        {
            Content = new StringContent("{\"exception\":\"PermissionError\",\"content\":\"This upload URL expired at 2026-12-01 10:00:00 UTC\"}"),
        });
        using var session = Session();
        using var transfer = new ByteTransfer(session, storage);
        var headers = new Dictionary<string, string> { ["Content-Type"] = "video/quicktime", ["Content-Length"] = "3", ["x-amz-acl"] = "private" };
        var progress = new TransferProgress(3);
        var error = await Assert.ThrowsAsync<FtrackTransferException>(() => transfer.UploadAsync(new Uri("https://storage.test/put"), headers, new SourceFile(path, 3, null), progress, CancellationToken.None));
        Assert.Equal(403, error.StatusCode);
        Assert.Contains("HTTP 403", error.Message);
        Assert.Contains("This upload URL expired", error.Message);
        var request = Assert.Single(storage.Requests);
        Assert.Equal(HttpMethod.Put, request.Method);
        Assert.Equal(new byte[] { 9, 8, 7 }, storage.Bodies.Single());
        Assert.Equal("video/quicktime", request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal(3, request.Content.Headers.ContentLength);
        Assert.Equal("private", request.Headers.GetValues("x-amz-acl").Single());
        Assert.False(request.Headers.Contains("ftrack-api-key"));
        Assert.Equal(0, progress.DoneBytes);
    }
}
