using KxCollector.Configuration;
using KxCollector.Kalshi;
using KxCollector.Kalshi.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Backfill;

internal static class GapFillServiceCollectionExtensions
{
    /// <summary>
    /// One gap filler for all series (each series' hole goes to its own <c>OUTPUT_DIR/backfill/&lt;SERIES&gt;/</c> folder),
    /// unless ENABLE_HISTORICAL_BACKFILL is off. Needs <see cref="KalshiServiceCollectionExtensions.AddKalshi"/>'s
    /// registry and REST client.
    /// </summary>
    public static IServiceCollection AddGapFilling(this IServiceCollection services, CollectorOptions options)
    {
        if (!options.Switches.HistoricalBackfill)
        {
            return services;
        }

        services.AddSingleton(sp => new GapFillService(
            sp.GetRequiredService<SeriesRegistry>(),
            sp.GetRequiredService<KalshiRestClient>(),
            options,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<GapFillService>>(),
            GapFillService.DefaultStartDelay));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<GapFillService>());
        return services;
    }
}
