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
        writer.WriteNumber("rss_bytes", Environment.WorkingSet);
        writer.WriteNumber("gc_heap_bytes", GC.GetTotalMemory(forceFullCollection: false));
        writer.WriteNumber("gc_heap_after_last_gc_bytes", info.HeapSizeBytes);
        writer.WriteNumber("gc_committed_bytes", info.TotalCommittedBytes);
        writer.WriteNumber("gc_fragmented_bytes", info.FragmentedBytes);
        writer.WriteNumber("gc_gen0_collections", GC.CollectionCount(0));
        writer.WriteNumber("gc_gen1_collections", GC.CollectionCount(1));
        writer.WriteNumber("gc_gen2_collections", GC.CollectionCount(2));
        writer.WriteNumber("thread_pool_threads", ThreadPool.ThreadCount);
    }
}
