using KxCollector.Configuration;
using KxCollector.Hosting.Debug;
using KxCollector.Kalshi;
using KxCollector.Kalshi.Index;
using KxCollector.Pricing;
using KxCollector.Recording;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Hosting;

internal static class SeriesLoopsServiceCollectionExtensions
{
    /// <summary>Each series' tick loop and market poll, for the series there at start and each one that joins later.</summary>
    public static IServiceCollection AddSeriesLoops(this IServiceCollection services, CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(sp => new SeriesLoops(
            sp.GetRequiredService<SeriesRegistry>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<BrtiProxy>(),
            sp.GetRequiredService<BrtiHistory>(),
            sp.GetRequiredService<TickStats>(),
            writer => PrimarySink(sp, writer, options),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<OfficialIndexBoard>(),
            sp.GetRequiredService<RecordHandOff>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SeriesLoops>());
        return services;
    }

    /// <summary>
    /// The primary series' sink: its daily writer, wrapped by the test-only stall switch when that is on (the systemd
    /// watchdog test needs a tick loop that stops writing while the process stays up).
    /// </summary>
    private static IRecordSink PrimarySink(IServiceProvider sp, DailyJsonlWriter writer, CollectorOptions options)
    {
        return options.DebugStallTicksAfter is { } stallAfter
            ? new StallingRecordSink(
                writer,
                stallAfter,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping,
                sp.GetRequiredService<ILogger<StallingRecordSink>>())
            : writer;
    }
}
