using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Ftrack.Server.Storage;

namespace Ftrack.Server;

/// <summary>
/// How to run the server. Command line:
/// <c>--port N --database PATH|:memory: --seed Demo|Empty [--api-user NAME] [--api-key KEY] [--parent-pid PID] [--bind ADDRESS]
/// [--storage PATH] [--max-upload-bytes N] [--storage-quota-bytes N] [--signed-url-seconds N]</c>.
/// </summary>
public sealed class ServerOptions
{
    /// <summary>TCP port; 0 picks a free one (the first stdout line tells which).</summary>
    public int Port { get; set; }

    /// <summary>SQLite file; null or ":memory:" keeps everything in memory for the life of the process.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>Data a new database starts with; an existing database is never re-seeded.</summary>
    public SeedKind Seed { get; set; } = SeedKind.Demo;

    public string ApiUser { get; set; } = AdminCredentials.DefaultUserName;

    /// <summary>
    /// The key to store (as a hash) and announce. Null: announce a random key; it is stored
    /// when the database holds no key for the user yet, else it works for this run beside the
    /// stored one (see AdminCredentials).
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Exit when this process ends (checked every second).</summary>
    public int? ParentProcessId { get; set; }

    /// <summary>Address to listen on; only loopback unless explicitly asked.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Largest accepted request body, in bytes.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// A request body slower than this on average, once <see cref="RequestBodyGracePeriod"/> has
    /// passed, is refused (bytes per second; Kestrel's default), so a stalled client cannot hold
    /// a worker forever.
    /// </summary>
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    public TimeSpan RequestBodyGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The event hub's heartbeats, timeouts and per-connection queue limits.</summary>
    public Events.EventHubOptions EventHub { get; set; } = new();

    /// <summary>
    /// Where the ftrack.server location keeps component files: by default a folder beside the
    /// database file (<c>&lt;database&gt;-files</c>), or a temporary folder deleted at stop for
    /// <c>:memory:</c>.
    /// </summary>
    public string? StoragePath { get; set; }

    /// <summary>The largest file get_upload_metadata accepts, in bytes (10 GiB).</summary>
    public long MaxUploadBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>At most this many bytes are stored in the ftrack.server location; uploads beyond are refused (HTTP 507). Unlimited by default.</summary>
    public long StorageQuotaBytes { get; set; } = long.MaxValue;

    /// <summary>How long a signed URL (uploads, downloads, thumbnails) works after it was made.</summary>
    public TimeSpan SignedUrlLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>An upload whose body stops arriving for this long is given up (nothing is stored).</summary>
    public TimeSpan UploadIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock of signed URLs (tests move it forward).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>
    /// Where diagnostic lines go (the details of an unexpected failure): standard error when the
    /// server runs standalone; the PowerShell module keeps them on the server object instead, as
    /// its console belongs to the user.
    /// </summary>
    public Action<string> Log { get; set; } = Console.Error.WriteLine;

    public static ServerOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ServerOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count)
                    throw new ArgumentException($"Option {name} needs a value.");
                return args[++i];
            }
            switch (name.ToLowerInvariant())
            {
                case "--port":
                    options.Port = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
                        ? port : throw new ArgumentException("--port needs a number from 0 to 65535.");
                    break;
                case "--database":
                    options.DatabasePath = Value();
                    break;
                case "--seed":
                    options.Seed = Enum.TryParse<SeedKind>(Value(), ignoreCase: true, out var seed)
                        ? seed : throw new ArgumentException("--seed must be Demo or Empty.");
                    break;
                case "--api-user":
                    options.ApiUser = Value();
                    // The listening line is split on spaces by the module: names and keys must not contain any.
                    if (options.ApiUser.Length == 0 || options.ApiUser.Any(char.IsWhiteSpace))
                        throw new ArgumentException("--api-user must be a non-empty name without spaces.");
                    break;
                case "--api-key":
                    options.ApiKey = Value();
                    if (options.ApiKey.Length == 0 || options.ApiKey.Any(char.IsWhiteSpace))
                        throw new ArgumentException("--api-key must be a non-empty key without spaces.");
                    break;
                case "--parent-pid":
                    options.ParentProcessId = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                        ? pid : throw new ArgumentException("--parent-pid needs a process id.");
                    break;
                case "--bind":
                    options.BindAddress = Value();
                    break;
                case "--storage":
                    options.StoragePath = Value();
                    break;
                case "--max-upload-bytes":
                    options.MaxUploadBytes = long.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var maxUpload)
                        ? maxUpload : throw new ArgumentException("--max-upload-bytes needs a number of bytes.");
                    break;
                case "--storage-quota-bytes":
                    options.StorageQuotaBytes = long.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var quota)
                        ? quota : throw new ArgumentException("--storage-quota-bytes needs a number of bytes.");
                    break;
                case "--signed-url-seconds":
                    options.SignedUrlLifetime = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                        ? TimeSpan.FromSeconds(seconds) : throw new ArgumentException("--signed-url-seconds needs a number of seconds above 0.");
                    break;
                default:
                    throw new ArgumentException($"Unknown option {name}.");
            }
        }
        return options;
    }

    public const string Usage =
        "Usage: Ftrack.Server --port <n|0> [--database <path>|:memory:] [--seed Demo|Empty] [--api-user <name>] [--api-key <key>] [--parent-pid <pid>] [--bind <address>]"
        + " [--storage <folder>] [--max-upload-bytes <n>] [--storage-quota-bytes <n>] [--signed-url-seconds <n>]";
}
