using System.Runtime.InteropServices;
using KxCollector.Configuration;
using KxCollector.Recording;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Archive;

/// <summary>
/// Runs the <see cref="ArchiveSweep"/> every <see cref="SweepInterval"/> on a thread of its own at the lowest CPU
/// priority (nice 19 on Linux), throttled to <see cref="MaxBytesPerSecond"/> of disk reads, one file at a time: it
/// never competes with the 1 Hz tick, which has the thread pool and full priority to itself.
/// </summary>
internal sealed partial class ArchiveService(CollectorOptions options, TimeProvider time, ILogger<ArchiveService> logger) : BackgroundService
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(10);

    /// <summary>The first sweep waits this long after start, past the start-up work (connects, gap probe).</summary>
    public static readonly TimeSpan StartDelay = TimeSpan.FromMinutes(1);

    /// <summary>About a day of KXBTC15M with books every 15 s: ample, and a small share of any disk.</summary>
    public const long MaxBytesPerSecond = 32L * 1024 * 1024;

    private const int LowestPriority = 19;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        DedicatedThread.Run("kx-archive", Loop, stoppingToken, ThreadPriority.Lowest);

    private void Loop(CancellationToken ct)
    {
        LowerOwnPriority();
        var sweep = new ArchiveSweep(options.OutputDirectory, options.RetentionDays, new DayCompressor(time, MaxBytesPerSecond), time, logger);
        Task.Delay(StartDelay, time, ct).Wait(ct);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                sweep.Run(ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Recording never stops for the archive: a sweep that fails is logged and tried again.
                ArchiveLog.SweepFailed(logger, ex.Message, SweepInterval.TotalMinutes);
            }

            Task.Delay(SweepInterval, time, ct).Wait(ct);
        }
    }

    /// <summary>
    /// .NET ignores thread priorities on Linux; setpriority on the thread's own id makes it nice 19, so the scheduler
    /// runs it only on time the tick and the feeds leave idle. Best effort: without it the throttle still bounds it.
    /// </summary>
    private static void LowerOwnPriority()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = SetPriority(0, GetThreadId(), LowestPriority);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}

internal static class ArchiveServiceCollectionExtensions
{
    /// <summary>Compression of finished days and RETENTION_DAYS: on for every daemon.</summary>
    public static IServiceCollection AddDayArchive(this IServiceCollection services) => services.AddHostedService<ArchiveService>();
}
