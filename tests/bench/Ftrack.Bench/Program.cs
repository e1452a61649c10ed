// Decoder benchmark for tests/bench/Run-Bench.ps1 (not part of Ftrack.sln).
//
//   dotnet Ftrack.Bench.dll decode  --payload <payload_N.json> --n <N> [--repeats 5]
//       Our decoder (ResponseReader + ValueDecoder) on the exact bytes the stub serves, beside
//       JsonDocument.Parse of the same bytes (the floor for any .NET JSON reader) and a bare
//       Utf8JsonReader token scan. Time, bytes allocated on this thread, bytes retained while the
//       result is held.
//   dotnet Ftrack.Bench.dll session --url <stub url> --n <N> [--repeats 5] [--page-sizes 1000,5000]
//       The whole query through FtrackSession.Call (HTTP + decode), no PowerShell: separates the
//       client's cost from the module's; with --page-sizes also QueryStream (the module's paging
//       path) at each page size and as one request.
//
// Each measurement prints one JSON line on stdout; anything wrong (row counts, unexpanded
// references) exits non-zero with a message on stderr.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Ftrack.Core.Entities;
using Ftrack.Core.Json;
using Ftrack.Core.Operations;
using Ftrack.Core.Transport;

namespace Ftrack.Bench;

internal static class Program
{
    internal const string Expression =
        "select id, name, description, bid, start_date, end_date, created_at, status.name, status.color, " +
        "type.name, priority.name, parent.name, parent.parent.name, project.name from Task";

    private static int Main(string[] args)
    {
        try
        {
            var options = ParseArgs(args.Skip(1));
            int Int(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v) : fallback;
            string Required(string name) => options.TryGetValue(name, out var v) ? v : throw new ArgumentException("--" + name + " is required");
            switch (args.FirstOrDefault())
            {
                case "decode":
                    Decode(Required("payload"), Int("n", -1), Int("repeats", 5));
                    return 0;
                case "session":
                    Session(Required("url"), Int("n", -1), Int("repeats", 5),
                        options.TryGetValue("page-sizes", out var sizes) ? sizes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray() : Array.Empty<int>());
                    return 0;
                default:
                    Console.Error.WriteLine("usage: Ftrack.Bench decode --payload <file> --n <N> [--repeats R] | session --url <url> --n <N> [--repeats R]");
                    return 2;
            }
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("Ftrack.Bench failed: " + e);
            return 1;
        }
    }

    private static Dictionary<string, string> ParseArgs(IEnumerable<string> args)
    {
        var result = new Dictionary<string, string>();
        string? name = null;
        foreach (var a in args)
        {
            if (a.StartsWith("--")) name = a[2..];
            else if (name != null) { result[name] = a; name = null; }
        }
        return result;
    }

    // ---- decode: our reader against the JsonDocument floor ------------------------------------

    private static void Decode(string payloadPath, int n, int repeats)
    {
        var bytes = File.ReadAllBytes(payloadPath);
        var operations = new FtrackOperation[] { new QueryOperation(Expression) };

        QueryResult DecodeOnce()
        {
            var context = new DecodeContext(DateTimeKind.Utc);
            using var reader = new ResponseReader(new MemoryStream(bytes, writable: false), new ValueDecoder(context));
            return (QueryResult)reader.Read(operations, null, 200)[0]!;
        }
        long StreamOnce()
        {
            // What the module's streaming path does: rows to a callback, nothing collected.
            var context = new DecodeContext(DateTimeKind.Utc);
            using var reader = new ResponseReader(new MemoryStream(bytes, writable: false), new ValueDecoder(context));
            long count = 0;
            reader.Read(operations, (_, _) => count++, 200);
            return count;
        }
        JsonDocument ParseOnce() => JsonDocument.Parse(bytes);
        long ScanOnce()
        {
            var reader = new Utf8JsonReader(bytes);
            long tokens = 0;
            while (reader.Read()) tokens++;
            return tokens;
        }

        // Verify once, and warm the JIT (tiered compilation: several passes).
        Verify(DecodeOnce().Data, n);
        if (StreamOnce() != n) throw new InvalidOperationException("streaming decode did not deliver " + n + " rows");
        using (var doc = ParseOnce())
        {
            var rows = doc.RootElement[0].GetProperty("data").GetArrayLength();
            if (rows != n) throw new InvalidOperationException($"JsonDocument sees {rows} rows, expected {n}");
        }
        for (var i = 0; i < 2; i++) { DecodeOnce(); StreamOnce(); ParseOnce().Dispose(); ScanOnce(); }

        Emit("Ftrack.Core ResponseReader (held)", n, bytes.Length, repeats, () => DecodeOnce(), r => ((QueryResult)r!).Data.Count);
        Emit("Ftrack.Core ResponseReader (streamed)", n, bytes.Length, repeats, () => StreamOnce(), r => (int)(long)r!);
        Emit("JsonDocument.Parse", n, bytes.Length, repeats, () => ParseOnce(), r => n, dispose: r => ((JsonDocument)r!).Dispose());
        Emit("Utf8JsonReader scan", n, bytes.Length, repeats, () => ScanOnce(), r => n, retained: false);
    }

    private static void Emit(string what, int n, int bytes, int repeats, Func<object?> run, Func<object?, int> rows,
        Action<object?>? dispose = null, bool retained = true)
    {
        var times = new List<double>();
        long allocated = 0;
        for (var i = 0; i < repeats; i++)
        {
            FullGc();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            var result = run();
            watch.Stop();
            var after = GC.GetAllocatedBytesForCurrentThread();
            if (rows(result) != n) throw new InvalidOperationException(what + ": " + rows(result) + " rows, expected " + n);
            times.Add(watch.Elapsed.TotalMilliseconds);
            allocated = i == 0 ? after - before : Math.Min(allocated, after - before);
            dispose?.Invoke(result);
        }

        long? retainedBytes = null;
        if (retained)
        {
            FullGc();
            var baseline = GC.GetTotalMemory(true);
            var held = run();
            FullGc();
            var holding = GC.GetTotalMemory(true);
            GC.KeepAlive(held);
            retainedBytes = holding - baseline;
            dispose?.Invoke(held);
        }

        WriteJson(new Dictionary<string, object?>
        {
            ["kind"] = "decoder",
            ["what"] = what,
            ["n"] = n,
            ["bytes"] = bytes,
            ["ms_first"] = Round(times[0]),
            ["ms_best"] = Round(times.Min()),
            ["ms_median"] = Round(Median(times)),
            ["alloc_bytes"] = allocated,
            ["alloc_per_task"] = n > 0 ? Round((double)allocated / n) : null,
            ["retained_bytes"] = retainedBytes,
            ["retained_per_task"] = retainedBytes is { } r && n > 0 ? Round((double)r / n) : null,
            ["repeats"] = repeats,
            ["runtime"] = ".NET " + Environment.Version,
        });
    }

    /// <summary>N rows, every reference expanded, shared entities one object, dates decoded.</summary>
    private static void Verify(List<object?> rows, int n)
    {
        void Fail(string why) => throw new InvalidOperationException("verification failed: " + why);
        if (rows.Count != n) Fail($"expected {n} rows, got {rows.Count}");
        var statuses = new Dictionary<string, FtrackEntity>();
        FtrackEntity? project = null;
        foreach (var row in rows)
        {
            if (row is not FtrackEntity task) { Fail("row is " + row?.GetType().Name); return; }
            if (task["status"] is not FtrackEntity status || status["name"] is not string || status["color"] is not string) { Fail("status not expanded"); return; }
            if (task["parent"] is not FtrackEntity shot || shot["parent"] is not FtrackEntity sequence || sequence["name"] is not string) { Fail("parent chain not expanded"); return; }
            if (task["type"] is not FtrackEntity { } type || type["name"] is not string) Fail("type not expanded");
            if (task["created_at"] is not DateTime created || created.Kind != DateTimeKind.Utc) Fail("created_at not a UTC DateTime");
            var p = task["project"] as FtrackEntity;
            project ??= p;
            if (p is null || !ReferenceEquals(p, project) || !ReferenceEquals(sequence["project"], project)) Fail("project not one object");
            var id = (string)status["id"]!;
            if (statuses.TryGetValue(id, out var seen) && !ReferenceEquals(seen, status)) Fail("Status " + id + " is not one object");
            statuses[id] = status;
        }
        if (n >= 1000 && statuses.Count != 10) Fail($"expected 10 distinct Statuses, got {statuses.Count}");
    }

    // ---- session: the client without PowerShell ------------------------------------------------

    private static void Session(string url, int n, int repeats, int[] pageSizes)
    {
        var cache = Path.Combine(Path.GetTempPath(), "ftrack-bench-cache-" + Environment.ProcessId);
        using var session = new FtrackSession(new FtrackSessionOptions(new Uri(url), "bench-user", "bench-api-key") { SchemaCacheDirectory = cache });
        var watch = Stopwatch.StartNew();
        session.Connect();
        var connectMs = watch.Elapsed.TotalMilliseconds;
        var operations = new FtrackOperation[] { new QueryOperation(Expression) };
        List<object?> Query() => ((QueryResult)session.Call(operations)[0]!).Data;

        FullGc();
        watch.Restart();
        var first = Query();
        var firstMs = watch.Elapsed.TotalMilliseconds;
        Verify(first, n);
        first = null;
        var times = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            FullGc();
            watch.Restart();
            var rows = Query();
            times.Add(watch.Elapsed.TotalMilliseconds);
            if (rows.Count != n) throw new InvalidOperationException($"expected {n} rows, got {rows.Count}");
        }
        var heldMs = times;

        // The module's paging path (QueryStream: a producer thread, a bounded queue) without
        // PowerShell: is a page's cost in the client and the stub, or in the pipeline?
        if (pageSizes.Length > 0)
        {
            foreach (var size in new[] { 0 }.Concat(pageSizes))
            {
                long Stream()
                {
                    using var stream = new Ftrack.Core.Query.QueryStream(session, Expression, new Ftrack.Core.Query.QueryPaging { PageSize = size }, verbose: false);
                    long count = 0;
                    foreach (var item in stream.Read()) if (item.Kind == Ftrack.Core.Query.QueryStream.ItemKind.Row) count++;
                    return count;
                }
                var before = session.RequestCount;
                if (Stream() != n) throw new InvalidOperationException($"QueryStream -PageSize {size}: wrong row count");
                var requests = session.RequestCount - before;
                var pageTimes = new List<double>();
                for (var i = 0; i < repeats; i++)
                {
                    FullGc();
                    watch.Restart();
                    var count = Stream();
                    pageTimes.Add(watch.Elapsed.TotalMilliseconds);
                    if (count != n) throw new InvalidOperationException($"QueryStream -PageSize {size}: {count} rows, expected {n}");
                }
                WriteJson(new Dictionary<string, object?>
                {
                    ["kind"] = "session-paging",
                    ["what"] = "QueryStream (C#, no PowerShell)",
                    ["n"] = n,
                    ["page_size"] = size,
                    ["requests"] = requests,
                    ["ms_best"] = Round(pageTimes.Min()),
                    ["ms_median"] = Round(Median(pageTimes)),
                    ["repeats"] = repeats,
                });
            }
        }

        try { Directory.Delete(cache, true); } catch (IOException) { }
        WriteJson(new Dictionary<string, object?>
        {
            ["kind"] = "session",
            ["what"] = "FtrackSession.Call (C#, no PowerShell)",
            ["n"] = n,
            ["connect_ms"] = Round(connectMs),
            ["ms_first"] = Round(firstMs),
            ["ms_best"] = Round(heldMs.Min()),
            ["ms_median"] = Round(Median(heldMs)),
            ["repeats"] = repeats,
            ["runtime"] = ".NET " + Environment.Version,
        });
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static void FullGc()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double Round(double value) => Math.Round(value, 1);

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        var m = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static void WriteJson(Dictionary<string, object?> values) => Console.WriteLine(JsonSerializer.Serialize(values));
}
