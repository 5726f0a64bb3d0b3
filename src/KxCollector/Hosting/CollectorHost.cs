using KxCollector.Configuration;
using KxCollector.Feeds;
using KxCollector.Pricing;
using KxCollector.Recording;
using KxCollector.Store;
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
        services.AddSingleton(sp => new DailyJsonlWriter(
            options.OutputDirectory,
            options.FilePrefix,
            time,
            sp.GetRequiredService<IAppendFileOpener>(),
            sp.GetRequiredService<ILogger<DailyJsonlWriter>>()));
        services.AddSingleton<IRecordSink>(sp => sp.GetRequiredService<DailyJsonlWriter>());
        services.AddSingleton<ITickMarketsWriter, NoMarkets>();

        services.AddExchangeFeeds(options);
        builder.AddCollectorStore(options, time);
        services.AddHostedService<TickService>();
        return builder;
    }

    /// <summary>True when a service stopped the host by failing, so the process should exit non-zero.</summary>
    public static bool AnyServiceFaulted(IHost host) =>
        host.Services.GetServices<IHostedService>().OfType<BackgroundService>().Any(s => s.ExecuteTask?.IsFaulted == true);
}
