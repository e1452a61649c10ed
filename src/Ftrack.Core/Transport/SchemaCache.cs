using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace Ftrack.Core.Transport
{
    /// <summary>
    /// query_schemas results on disk, one folder per server, one file per schema_hash, so a second
    /// Connect-Ftrack to the same server costs one small request instead of ~200 KB of schemas.
    /// Failures to read or write the cache are never fatal: the server is the source of truth.
    /// </summary>
    public sealed class SchemaCache
    {
        /// <summary>A cache under <paramref name="rootDirectory"/> (null: no cache).</summary>
        public SchemaCache(string? rootDirectory) { RootDirectory = rootDirectory; }

        /// <summary>Null disables the cache.</summary>
        public string? RootDirectory { get; }

        /// <summary>$FTRACK_SCHEMA_CACHE, else the user's cache folder (XDG_CACHE_HOME, ~/.cache, or LocalAppData).</summary>
        public static string? DefaultRoot()
        {
            var fromEnv = Environment.GetEnvironmentVariable("FTRACK_SCHEMA_CACHE");
            if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string? baseDir = !string.IsNullOrEmpty(xdg) ? xdg
                : Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData) is { Length: > 0 } local && Path.DirectorySeparatorChar == '\\' ? local
                : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? Path.Combine(home, ".cache")
                : null;
            return baseDir is null ? null : Path.Combine(baseDir, "ftrack-powershell", "schemas");
        }

        private string? ServerDirectory(Uri server)
        {
            if (RootDirectory is null) return null;
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(server.GetLeftPart(UriPartial.Path).TrimEnd('/').ToLowerInvariant()));
            return Path.Combine(RootDirectory, string.Concat(hash.Take(10).Select(b => b.ToString("x2"))));
        }

        /// <summary>True when some schemas of this server are cached (whatever their hash).</summary>
        public bool HasAny(Uri server)
        {
            try
            {
                var dir = ServerDirectory(server);
                return dir != null && Directory.Exists(dir) && Directory.EnumerateFiles(dir, "*.json").Any();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        }

        /// <summary>The cached schemas of this server and hash, or null.</summary>
        public byte[]? TryLoad(Uri server, string schemaHash)
        {
            try
            {
                var dir = ServerDirectory(server);
                if (dir is null || !IsSafeName(schemaHash)) return null;
                var file = Path.Combine(dir, schemaHash + ".json");
                return File.Exists(file) ? File.ReadAllBytes(file) : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        }

        /// <summary>Caches the schemas (written then renamed, so readers never see half a file).</summary>
        public void Store(Uri server, string schemaHash, byte[] json)
        {
            try
            {
                var dir = ServerDirectory(server);
                if (dir is null || !IsSafeName(schemaHash)) return;
                Directory.CreateDirectory(dir);
                // Write then rename, so a concurrent reader never sees half a file.
                var temp = Path.Combine(dir, schemaHash + "." + Guid.NewGuid().ToString("N") + ".tmp");
                File.WriteAllBytes(temp, json);
                var target = Path.Combine(dir, schemaHash + ".json");
                if (File.Exists(target)) File.Delete(target);
                File.Move(temp, target);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }

        private static bool IsSafeName(string name) => name.Length is > 0 and < 128 && name.All(c => char.IsLetterOrDigit(c) || c == '-' || c == '_');
    }
}
