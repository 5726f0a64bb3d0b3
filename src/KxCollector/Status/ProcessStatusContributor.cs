using System.Text.Json;

namespace KxCollector.Status;

/// <summary>
/// The "process" section of status.json: memory as the OS and the GC see it, GC counts and thread counts. A daemon
/// meant to run for months must show a leak as a rising line before it becomes an outage; `botctl status` prints it.
/// </summary>
internal sealed class ProcessStatusContributor : IStatusContributor
{
    public string Section => "process";

    public void WriteStatus(Utf8JsonWriter writer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var info = GC.GetGCMemoryInfo();
        writer.WriteNumber("rss_bytes", ResidentBytes());
        writer.WriteNumber("gc_heap_bytes", GC.GetTotalMemory(forceFullCollection: false));
        writer.WriteNumber("gc_heap_after_last_gc_bytes", info.HeapSizeBytes);
        writer.WriteNumber("gc_committed_bytes", info.TotalCommittedBytes);
        writer.WriteNumber("gc_fragmented_bytes", info.FragmentedBytes);
        // Every byte allocated since start, so two samples give the allocation rate without a trace attached: what
        // feeds the GC and, through promotions, the older generations' growth.
        writer.WriteNumber("gc_allocated_bytes", GC.GetTotalAllocatedBytes(precise: false));
        writer.WriteNumber("gc_gen0_collections", GC.CollectionCount(0));
        writer.WriteNumber("gc_gen1_collections", GC.CollectionCount(1));
        writer.WriteNumber("gc_gen2_collections", GC.CollectionCount(2));
        writer.WriteNumber("thread_pool_threads", ThreadPool.ThreadCount);
    }

    /// <summary>
    /// The resident set, in bytes. On Linux from /proc/self/statm into a stack buffer: Environment.WorkingSet builds a
    /// Process object and reads /proc/self/stat into strings, ~4 KB of garbage a second here, a tenth of what the whole
    /// daemon allocated with the Kalshi stream at 10 msg/s (docs/BENCHMARKS.md). Elsewhere, Environment.WorkingSet.
    /// </summary>
    internal static long ResidentBytes()
    {
        if (OperatingSystem.IsLinux() && TryReadStatmResidentPages(out var pages))
        {
            return pages * Environment.SystemPageSize;
        }

        return Environment.WorkingSet;
    }

    // statm is "size resident shared text lib data dt", in pages, on one line of well under 128 bytes.
    private static bool TryReadStatmResidentPages(out long pages)
    {
        pages = 0;
        Span<byte> buffer = stackalloc byte[128];
        int read;
        try
        {
            using var handle = File.OpenHandle("/proc/self/statm");
            read = RandomAccess.Read(handle, buffer, 0);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        return TryParseStatmResidentPages(buffer[..read], out pages);
    }

    /// <summary>The second field of a statm line: the resident pages.</summary>
    internal static bool TryParseStatmResidentPages(ReadOnlySpan<byte> statm, out long pages)
    {
        pages = 0;
        var space = statm.IndexOf((byte)' ');
        if (space < 0)
        {
            return false;
        }

        var rest = statm[(space + 1)..];
        var end = rest.IndexOfAny((byte)' ', (byte)'\n');
        var field = end < 0 ? rest : rest[..end];
        return System.Buffers.Text.Utf8Parser.TryParse(field, out pages, out var consumed) && consumed == field.Length;
    }
}
