using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Ftrack.LocalServer
{
    /// <summary>
    /// The module's server/ folder as a load context of its own. Ftrack.Server.dll and its
    /// dependencies (Microsoft.Data.Sqlite, SQLitePCLRaw) come from that folder even when another
    /// module has loaded other versions of them into pwsh, and SQLite's native library from
    /// runtimes/&lt;rid&gt;/native. Everything else (the framework) is pwsh's own, shared, so the
    /// framework types that cross to the server (strings, delegates, Task) are the same on both sides.
    /// Never unloaded: a running listener and a loaded native library cannot be.
    /// </summary>
    internal sealed class ServerLoadContext : AssemblyLoadContext
    {
        private readonly string _directory;

        public ServerLoadContext(string directory)
        {
            _directory = directory;
        }

        /// <inheritdoc />
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(_directory, assemblyName.Name + ".dll");
            // Not in the folder: a framework assembly, from pwsh's context.
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        /// <inheritdoc />
        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        {
            var path = Path.Combine(_directory, "runtimes", NativeRuntimeId(), "native", NativeFileName(unmanagedDllName));
            // Not shipped for this platform: the system's search, whose error names the library.
            return File.Exists(path) ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
        }

        /// <summary>
        /// The runtimes/ folder for this process: the portable RID NuGet packages ship natives for
        /// (win-x64, osx-arm64, linux-x64, linux-musl-x64, ...). musl (Alpine) is told by the
        /// runtime's own RID, which names it ("linux-musl-x64", or a distribution's "alpine.3.20-x64").
        /// </summary>
        private static string NativeRuntimeId()
        {
            var architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return "win-" + architecture;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) return "osx-" + architecture;
            var runtimeId = AppContext.GetData("RUNTIME_IDENTIFIER") as string ?? "";
            var musl = runtimeId.IndexOf("musl", StringComparison.OrdinalIgnoreCase) >= 0 || runtimeId.StartsWith("alpine", StringComparison.OrdinalIgnoreCase);
            return (musl ? "linux-musl-" : "linux-") + architecture;
        }

        /// <summary>The file a DllImport name stands for here: e_sqlite3 is e_sqlite3.dll, libe_sqlite3.dylib or libe_sqlite3.so.</summary>
        private static string NativeFileName(string name)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                return name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? name : name + ".dll";
            var extension = RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? ".dylib" : ".so";
            var file = name.StartsWith("lib", StringComparison.Ordinal) ? name : "lib" + name;
            return file.EndsWith(extension, StringComparison.Ordinal) ? file : file + extension;
        }
    }
}
