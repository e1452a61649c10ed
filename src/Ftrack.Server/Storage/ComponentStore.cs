using System;
using System.Buffers;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace Ftrack.Server.Storage;

/// <summary>
/// The bytes of components in the <c>ftrack.server</c> location: one file per component, named by
/// its id, in a folder beside the database (<c>&lt;database&gt;-files/</c>), or in a private
/// temporary folder that is deleted when the server stops (for <c>:memory:</c>). An upload is
/// written to <c>incoming/</c> in chunks and renamed into place only when every byte arrived and
/// matched, so a reader never sees half a file and a failed upload leaves nothing behind.
/// </summary>
internal sealed class ComponentStore : IDisposable
{
    /// <summary>Bytes read from a request and written to disk per step: never the whole file in memory.</summary>
    public const int ChunkBytes = 1024 * 1024;

    private const string IncomingFolder = "incoming";
    private readonly bool _temporary;
    private long _usedBytes;
    private int _disposed;

    private ComponentStore(string root, bool temporary, long quotaBytes)
    {
        Root = root;
        _temporary = temporary;
        QuotaBytes = quotaBytes;
        if (Directory.Exists(root))
            foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", SearchOption.AllDirectories))
                _usedBytes += file.Length;
    }

    /// <summary>At most this many bytes are stored, uploads in progress included (--storage-quota-bytes; a studio's disk budget).</summary>
    public long QuotaBytes { get; }

    /// <summary>Bytes stored or reserved by uploads in progress.</summary>
    public long UsedBytes => Interlocked.Read(ref _usedBytes);

    /// <summary>The folder holding the components' files.</summary>
    public string Root { get; }

    /// <summary>Whether the folder goes when the server stops (a <c>:memory:</c> database's).</summary>
    public bool IsTemporary => _temporary;

    /// <summary>
    /// The store of a database: <paramref name="storagePath"/> when given; else beside a database
    /// file; else (<c>:memory:</c>) a new temporary folder, made by the first upload. Only the owner
    /// may read it, as the database file; uploads a stopped server left half-written are deleted.
    /// </summary>
    public static ComponentStore Open(string? databasePath, string? storagePath, long quotaBytes = long.MaxValue)
    {
        var inMemory = string.IsNullOrEmpty(databasePath) || databasePath == ":memory:";
        var temporary = storagePath == null && inMemory;
        var root = storagePath != null ? Path.GetFullPath(storagePath)
            : temporary ? Path.Combine(Path.GetTempPath(), "ftrack-local-files-" + Guid.NewGuid().ToString("N"))
            : Path.GetFullPath(databasePath!) + "-files";
        // The folders are made by the first upload: a database nobody publishes to gets no folder
        // beside it (so "Remove-Item studio.db*" stays a plain delete of files).
        var incoming = Path.Combine(root, IncomingFolder);
        if (Directory.Exists(incoming))
            Directory.Delete(incoming, recursive: true);
        return new ComponentStore(root, temporary, quotaBytes);
    }

    private static void CreateOwnerOnly(string folder)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(folder);
        else
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>
    /// Whether a component id can name a file here: letters, digits, '-' and '_' (UUIDs are), so
    /// no id reaches outside the folder.
    /// </summary>
    public static bool IsValidId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 100)
            return false;
        foreach (var c in id)
            if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_'))
                return false;
        return true;
    }

    /// <summary>Where a component's bytes are: <c>&lt;root&gt;/&lt;first two characters of the id&gt;/&lt;id&gt;</c>.</summary>
    public string PathOf(string id)
    {
        if (!IsValidId(id))
            throw new ArgumentException("Not a component id: " + id);
        return Path.Combine(Root, id.Length >= 2 ? id[..2].ToLowerInvariant() : "_", id);
    }

    public bool Exists(string id) => IsValidId(id) && File.Exists(PathOf(id));

    /// <summary>The stored file, opened for a streamed read; null when none is stored.</summary>
    public FileStream? OpenRead(string id)
    {
        if (!IsValidId(id))
            return null;
        try
        {
            return new FileStream(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Bytes free on the store's disk (or long.MaxValue when the system cannot tell).</summary>
    public long FreeBytes()
    {
        try
        {
            return new DriveInfo(Root).AvailableFreeSpace;
        }
        catch (Exception error) when (error is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return long.MaxValue;
        }
    }

    /// <summary>Why a receive failed, for the HTTP answer.</summary>
    public enum ReceiveFailure
    {
        None,
        /// <summary>The body ended before the expected length.</summary>
        Short,
        /// <summary>The body went on beyond the expected length.</summary>
        Long,
        /// <summary>The bytes do not match the Content-MD5 the upload was signed with.</summary>
        ChecksumMismatch,
        /// <summary>No byte arrived for the idle timeout.</summary>
        Stalled,
        /// <summary>The disk is full.</summary>
        DiskFull,
        /// <summary>The bytes would take the store beyond its quota.</summary>
        QuotaExceeded,
    }

    /// <summary>Sets <paramref name="bytes"/> of the quota aside for an upload; false when they do not fit.</summary>
    private bool Reserve(long bytes)
    {
        if (Interlocked.Add(ref _usedBytes, bytes) <= QuotaBytes || bytes <= 0)
            return true;
        Interlocked.Add(ref _usedBytes, -bytes);
        return false;
    }

    /// <summary>
    /// Streams <paramref name="body"/> into the component's file: chunk by chunk into a temporary
    /// file in <c>incoming/</c>, which replaces the stored file only once exactly
    /// <paramref name="length"/> bytes arrived (and matched <paramref name="md5"/> when given). On
    /// any failure the temporary file is deleted and the stored file, if any, is left as it was.
    /// </summary>
    public async Task<(ReceiveFailure Failure, long Received, byte[]? Md5)> ReceiveAsync(
        string id, Stream body, long length, byte[]? md5, TimeSpan idleTimeout, CancellationToken cancellation)
    {
        var target = PathOf(id);
        if (!Reserve(length))
            return (ReceiveFailure.QuotaExceeded, 0, null);
        CreateOwnerOnly(Root);
        CreateOwnerOnly(Path.Combine(Root, IncomingFolder));
        var temporary = Path.Combine(Root, IncomingFolder, id + "." + Guid.NewGuid().ToString("N") + ".part");
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        using var hash = md5 != null ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
        long received = 0;
        var kept = false;
        try
        {
            FileStream file;
            try
            {
                var options = new FileStreamOptions
                {
                    Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0,
                    Options = FileOptions.Asynchronous, PreallocationSize = length,
                };
                // Only the owner may read stored files, as the database file.
                if (!OperatingSystem.IsWindows())
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                file = new FileStream(temporary, options);
            }
            catch (IOException error) when (IsDiskFull(error))
            {
                return (ReceiveFailure.DiskFull, 0, null);
            }
            await using (file)
            {
                while (true)
                {
                    int read;
                    try
                    {
                        read = await body.ReadAsync(buffer.AsMemory(0, ChunkBytes), cancellation).AsTask().WaitAsync(idleTimeout, cancellation);
                    }
                    catch (TimeoutException)
                    {
                        return (ReceiveFailure.Stalled, received, null);
                    }
                    catch (Exception error) when (error is IOException or System.Net.HttpListenerException && !cancellation.IsCancellationRequested)
                    {
                        // The client closed the connection before the end of the body.
                        return (ReceiveFailure.Short, received, null);
                    }
                    if (read == 0)
                        break;
                    received += read;
                    if (received > length)
                        return (ReceiveFailure.Long, received, null);
                    hash?.AppendData(buffer, 0, read);
                    try
                    {
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellation);
                    }
                    catch (IOException error) when (IsDiskFull(error))
                    {
                        return (ReceiveFailure.DiskFull, received, null);
                    }
                }
                if (received != length)
                    return (ReceiveFailure.Short, received, null);
                try
                {
                    await file.FlushAsync(cancellation);
                }
                catch (IOException error) when (IsDiskFull(error))
                {
                    return (ReceiveFailure.DiskFull, received, null);
                }
            }
            var digest = hash?.GetHashAndReset();
            if (md5 != null && !CryptographicOperations.FixedTimeEquals(digest, md5))
                return (ReceiveFailure.ChecksumMismatch, received, digest);
            CreateOwnerOnly(Path.GetDirectoryName(target)!);
            var replaced = LengthOf(target);
            File.Move(temporary, target, overwrite: true);
            Interlocked.Add(ref _usedBytes, -replaced);
            kept = true;
            return (ReceiveFailure.None, received, digest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!kept)
            {
                TryDelete(temporary);
                Interlocked.Add(ref _usedBytes, -length);
            }
        }
    }

    private static bool IsDiskFull(IOException error) =>
        // ENOSPC on Unix (28), ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.
        (error.HResult & 0xFFFF) is 28 or 112 or 39;

    private static long LengthOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Copies one stored component's bytes to another id (encode_media's review components),
    /// through a temporary file; false when the copy would exceed the quota.
    /// </summary>
    public bool Copy(string fromId, string toId)
    {
        var target = PathOf(toId);
        var length = LengthOf(PathOf(fromId));
        if (!Reserve(length))
            return false;
        CreateOwnerOnly(Path.Combine(Root, IncomingFolder));
        var temporary = Path.Combine(Root, IncomingFolder, toId + "." + Guid.NewGuid().ToString("N") + ".part");
        var kept = false;
        try
        {
            File.Copy(PathOf(fromId), temporary);
            CreateOwnerOnly(Path.GetDirectoryName(target)!);
            var replaced = LengthOf(target);
            File.Move(temporary, target, overwrite: true);
            Interlocked.Add(ref _usedBytes, -replaced);
            kept = true;
            return true;
        }
        finally
        {
            if (!kept)
            {
                TryDelete(temporary);
                Interlocked.Add(ref _usedBytes, -length);
            }
        }
    }

    /// <summary>Deletes a component's bytes; true when there were any.</summary>
    public bool Remove(string id)
    {
        if (!IsValidId(id))
            return false;
        var path = PathOf(id);
        var length = LengthOf(path);
        var existed = File.Exists(path);
        TryDelete(path);
        if (existed && !File.Exists(path))
            Interlocked.Add(ref _usedBytes, -length);
        return existed;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A temporary store (the <c>:memory:</c> database's) is deleted with everything in it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || !_temporary)
            return;
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
        }
    }
}
