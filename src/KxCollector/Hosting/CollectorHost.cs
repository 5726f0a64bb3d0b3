using KxCollector.Backfill;
using KxCollector.Archive;
using KxCollector.Configuration;
using KxCollector.Feeds;
using KxCollector.Kalshi;
using KxCollector.Kalshi.Index;
using KxCollector.Hosting.Debug;
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
        services.AddSingleton<PriceBoard>();
        services.AddSingleton<FeedHealthRegistry>();
        services.AddSingleton(sp => new BrtiProxy(sp.GetRequiredService<PriceBoard>(), options.FeedStaleAfter));
        services.AddSingleton<TickStats>();
        services.AddSingleton<IAppendFileOpener, AppendOnlyFileOpener>();
        services.AddSingleton(sp => new SeriesFiles(options, time, sp.GetRequiredService<IAppendFileOpener>(), sp.GetRequiredService<ILoggerFactory>()));

        services.AddSingleton<PrimaryFile>();
        services.AddKalshi(options);
        services.AddGapFilling(options);

        if (options.DebugFeedTimings is { } feedTimings)
        {
            services.AddSingleton(feedTimings);
        }

        services.AddExchangeFeeds(options);
        builder.AddCollectorStore(options, time);

        // Each series' tick loop and market poll, for the series there at start and each one that joins later.
        services.AddSingleton(sp => new SeriesLoops(
            sp.GetRequiredService<SeriesRegistry>(),
            time,
            sp.GetRequiredService<BrtiProxy>(),
            sp.GetRequiredService<BrtiHistory>(),
            sp.GetRequiredService<TickStats>(),
            writer => PrimarySink(sp, writer, options, time),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<OfficialIndexBoard>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SeriesLoops>());

        services.AddDayArchive();
        AddStatusReporting(services, options);
        return builder;
    }

    /// <summary>
    /// The primary series' sink: its daily writer, wrapped by the test-only stall switch when that is on (the systemd
    /// watchdog test needs a tick loop that stops writing while the process stays up).
    /// </summary>
    private static IRecordSink PrimarySink(IServiceProvider sp, DailyJsonlWriter writer, CollectorOptions options, TimeProvider time)
    {
        return options.DebugStallTicksAfter is { } stallAfter
            ? new StallingRecordSink(
                writer,
                stallAfter,
                time,
                sp.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping,
                sp.GetRequiredService<ILogger<StallingRecordSink>>())
            : writer;
    }

    /// <summary>
    /// status.json, systemd notify/watchdog and the optional /health endpoint. Services that have status of their own
    /// (the Kalshi tracker) register an <see cref="IStatusContributor"/> singleton; no change is needed here.
    /// </summary>
    private static void AddStatusReporting(IServiceCollection services, CollectorOptions options)
    {
        services.AddSingleton<StatusSnapshotBuilder>();
        services.AddSingleton<IStatusContributor, ProcessStatusContributor>();
        services.AddHostedService<StatusFileService>();
        services.AddSystemdNotify();
        if (options.HealthPort is not null)
        {
            services.AddHostedService<HealthEndpointService>();
            services.AddCollectorMetrics();
            services.AddStatusPage();
        }
    }

    /// <summary>True when a service stopped the host by failing, so the process should exit non-zero.</summary>
    public static bool AnyServiceFaulted(IHost host) =>
        host.Services.GetServices<IHostedService>().OfType<BackgroundService>().Any(s => s.ExecuteTask?.IsFaulted == true) ||
        host.Services.GetRequiredService<SeriesLoops>().AnyFaulted();
}
