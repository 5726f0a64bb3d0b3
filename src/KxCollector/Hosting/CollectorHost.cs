using KxCollector.Backfill;
using KxCollector.Archive;
using KxCollector.Configuration;
using KxCollector.Feeds;
using KxCollector.Kalshi;
using KxCollector.Kalshi.Index;
using KxCollector.Hosting.Debug;
using KxCollector.Hosting.NativeHeap;
using KxCollector.Hosting.Systemd;
using KxCollector.Kalshi.Settlements;
using KxCollector.Metrics;
using KxCollector.Pricing;
using KxCollector.Recording;
using KxCollector.Store;
using KxCollector.Status;
using KxCollector.StatusPage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;

namespace KxCollector.Hosting;

/// <summary>Wires the collector's services into a generic host. Program.cs and the integration tests both use it.</summary>
internal static class CollectorHost
{
    /// <summary>Below systemd's TimeoutStopSec, so a stop always ends with our own flush, never a SIGKILL.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(15);

    public static HostApplicationBuilder CreateBuilder(CollectorOptions options, Serilog.ILogger logger, TimeProvider time)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Serilog as one provider of Microsoft's logger factory, not services.AddSerilog's replacement factory: the
        // store's provider (data_collection_logs) must keep receiving each event as Microsoft.Extensions.Logging
        // formats it; behind Serilog's factory it would get Serilog's rendering (quoted strings) or nothing.
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddSerilog(logger, dispose: false);

        var services = builder.Services;
        services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = ShutdownTimeout;
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);

        services.AddSingleton(options);
        services.AddSingleton(time);

        // One Add… per feature, beside it; the order only matters where a later one replaces an earlier default, and
        // for the store: the host stops its services in reverse order, so the store, added first, stops last, after
        // the tick loops, the stream and the records' writer (RecordHandOff) have put their last lines in the files,
        // and its final flush stores them. Added after those, it could stop while a last line was still queued.
        builder.AddCollectorStore(options, time);
        services.AddPricing(options.FeedStaleAfter);
        services.AddRecording(options);
        services.AddKalshi(options);
        services.AddGapFilling(options);
        services.AddExchangeFeeds(options);
        services.AddSeriesLoops(options);
        services.AddDayArchive();
        services.AddNativeHeapTrim();
        services.AddStatusReporting(options);
        services.AddSystemdNotify();
        services.AddCollectorMetrics(options);
        services.AddStatusPage(options);
        return builder;
    }

    /// <summary>True when a service stopped the host by failing, so the process should exit non-zero.</summary>
    public static bool AnyServiceFaulted(IHost host) =>
        host.Services.GetServices<IHostedService>().OfType<BackgroundService>().Any(s => s.ExecuteTask?.IsFaulted == true) ||
        host.Services.GetRequiredService<SeriesLoops>().AnyFaulted();
}
