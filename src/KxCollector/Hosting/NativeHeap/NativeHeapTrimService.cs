using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Hosting.NativeHeap;

/// <summary>The C library's heap, as far as the collector needs it: giving its free memory back to the system.</summary>
internal interface INativeHeap
{
    /// <summary>Returns free heap pages to the system; false when this C library cannot (not glibc).</summary>
    bool TryTrim();
}

/// <summary>
/// glibc keeps memory that native code freed (the runtime, its JIT, OpenSSL's signing) in per-thread arenas and
/// does not give free pages in the middle of an arena back on its own. With thread-pool threads coming and going, a
/// 24/7 process grew 8–19 MB an hour that way, every byte of it free (malloc_trim on a 45-minute-old daemon gave
/// back 9.4 MB: docs/BENCHMARKS.md). malloc_trim(0) walks every arena and releases the free pages.
/// </summary>
internal sealed partial class GlibcHeap : INativeHeap
{
    public bool TryTrim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            _ = MallocTrim(0);
            return true;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            // musl and other C libraries have no malloc_trim.
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}

/// <summary>
/// Trims the native heap once every <see cref="Interval"/> on a timer (0.05–0.22 ms a call in the soaks, measured with
/// a uprobe; nothing the tick waits on, since the tick path allocates no native memory), so memory freed by native code
/// goes back to the system instead of adding to RSS hour after hour. Stops, saying so once, where the C library
/// cannot trim.
/// </summary>
internal sealed partial class NativeHeapTrimService(INativeHeap heap, TimeProvider time, ILogger<NativeHeapTrimService> logger)
    : IHostedService, IDisposable
{
    /// <summary>Often enough that a minute's frees (about 0.3 MB when it grew fastest) never build up.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _timer ??= time.CreateTimer(static state => ((NativeHeapTrimService)state!).Trim(), this, Interval, Interval);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void Trim()
    {
        if (heap.TryTrim())
        {
            return;
        }

        Dispose();
        LogCannotTrim(logger);
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Information, Message = "This C library cannot trim its heap (no glibc malloc_trim): memory that native code frees may stay in the process's RSS")]
    private static partial void LogCannotTrim(ILogger logger);
}

internal static class NativeHeapTrimServiceCollectionExtensions
{
    /// <summary>The native heap trim: on for every daemon (a no-op, said once, off glibc).</summary>
    public static IServiceCollection AddNativeHeapTrim(this IServiceCollection services)
    {
        services.AddSingleton<INativeHeap, GlibcHeap>();
        services.AddHostedService<NativeHeapTrimService>();
        return services;
    }
}
