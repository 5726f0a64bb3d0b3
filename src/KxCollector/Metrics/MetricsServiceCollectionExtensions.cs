using KxCollector.Backfill;
using KxCollector.Configuration;
using KxCollector.Feeds;
using KxCollector.Kalshi;
using KxCollector.Kalshi.Stream;
using KxCollector.Pricing;
using KxCollector.Recording;
using KxCollector.Status;
using KxCollector.Store;
using Microsoft.Extensions.DependencyInjection;

namespace KxCollector.Metrics;

internal static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// GET /metrics on HEALTH_PORT. Built when the endpoint starts, so the tick offset histogram is fed from the first
    /// tick on. The store and the official index are optional: their series are absent when they are not there.
    /// Nothing without HEALTH_PORT.
    /// </summary>
    public static IServiceCollection AddCollectorMetrics(this IServiceCollection services, CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.HealthPort is null)
        {
            return services;
        }

        services.AddSingleton(sp => new CollectorMetrics(
            sp.GetRequiredService<StatusSnapshotBuilder>(),
            sp.GetRequiredService<TickStats>(),
            sp.GetRequiredService<FeedHealthRegistry>(),
            sp.GetRequiredService<PriceBoard>(),
            sp.GetRequiredService<BrtiProxy>(),
            () => sp.GetRequiredService<SeriesRegistry>().All,
            sp.GetRequiredService<StreamStats>(),
            sp.GetServices<IOfficialIndexStatus>(),
            sp.GetService<StoreStats>(),
            () => sp.GetService<GapFillService>()?.Current,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IHealthPortRoute, MetricsRoute>();
        return services;
    }
}
