using KxCollector.Configuration;
using KxCollector.Feeds;
using KxCollector.Kalshi;
using KxCollector.Kalshi.Settlements;
using KxCollector.Pricing;
using KxCollector.Recording;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

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

        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(new SerilogLoggerProvider(logger, dispose: false));

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

        // The first series' file under the writer's own types, as before several series existed.
        services.AddSingleton(sp => sp.GetRequiredService<SeriesFiles>().For(options.Series[0]));
        services.AddSingleton<IRecordSink>(sp => sp.GetRequiredService<DailyJsonlWriter>());
        services.AddKalshi(options);

        services.AddExchangeFeeds(options);

        // One tick loop per series, each writing its own file: BRTI series every second with exchange prices, the
        // others every COLLECTION_INTERVAL_SECONDS with markets only. AddHostedService would keep only the first.
        for (var i = 0; i < options.Series.Count; i++)
        {
            var index = i;
            services.AddSingleton<IHostedService>(sp =>
            {
                var series = sp.GetRequiredService<IReadOnlyList<KalshiSeries>>()[index];
                return new TickService(
                    time,
                    sp.GetRequiredService<BrtiProxy>(),
                    series.Board,
                    series.Writer,
                    sp.GetRequiredService<TickStats>(),
                    sp.GetRequiredService<BrtiHistory>(),
                    sp.GetRequiredService<ILogger<TickService>>(),
                    series.TickPeriodSeconds,
                    series.SettlesOnBrti);
            });
        }

        return builder;
    }

    /// <summary>True when a service stopped the host by failing, so the process should exit non-zero.</summary>
    public static bool AnyServiceFaulted(IHost host) =>
        host.Services.GetServices<IHostedService>().OfType<BackgroundService>().Any(s => s.ExecuteTask?.IsFaulted == true);
}
