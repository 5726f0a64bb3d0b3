using KxCollector.Backfill;
using KxCollector.Configuration;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Rest;
using KxCollector.Kalshi.Settlements;
using KxCollector.Kalshi.Signing;
using KxCollector.Recording;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi;

internal static class KalshiServiceCollectionExtensions
{
    /// <summary>
    /// Registers market tracking, the tick's market entries and settlement recording. The key file is loaded when the
    /// hosted service is first resolved, i.e. during host start, so a bad key fails start-up with exit 78.
    /// </summary>
    public static IServiceCollection AddKalshi(this IServiceCollection services, CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<BrtiHistory>();
        services.AddSingleton<MarketBoard>();
        services.AddSingleton<ITickMarketsWriter>(sp => sp.GetRequiredService<MarketBoard>());
        services.AddSingleton(sp => KalshiCredentials.Load(options.Kalshi, sp.GetRequiredService<ILoggerFactory>().CreateLogger<KalshiCredentials>()));
        // One request budget for the process: the tracker's polls and gap filling draw from the same bucket. The
        // policy's 200 ms spacing stays too, so the daemon's own pace is unchanged when KALSHI_REST_RPS is higher.
        services.AddSingleton(sp => new TokenBucket(options.Kalshi.RestRequestsPerSecond, 1, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => KalshiRestClient.Create(
            options.Kalshi,
            sp.GetRequiredService<KalshiCredentials>(),
            KalshiRetryPolicy.Default,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<KalshiRestClient>(),
            sp.GetRequiredService<TokenBucket>()));
        services.AddSingleton<IKalshiMarketSource>(sp => sp.GetRequiredService<KalshiRestClient>());

        // Read when the hosted services are built, i.e. before the first new tick can hide the hole.
        services.AddSingleton(sp => new DowntimeProbe(Downtime.Detect(options.OutputDirectory, options.FilePrefix, sp.GetRequiredService<TimeProvider>().GetUtcNow())));
        services.AddSingleton(sp => KalshiStateFile.Load(
            options.OutputDirectory, options.FilePrefix, sp.GetRequiredService<ILoggerFactory>().CreateLogger<KalshiStateFile>()));
        services.AddSingleton(sp => new SettlementRecorder(
            sp.GetRequiredService<IRecordSink>(),
            sp.GetRequiredService<BrtiHistory>(),
            sp.GetRequiredService<KalshiStateFile>(),
            options.OutputDirectory,
            options.FilePrefix,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<SettlementRecorder>(),
            sp.GetRequiredService<DowntimeProbe>().Downtime));
        services.AddSingleton(sp => new MarketTracker(
            sp.GetRequiredService<IKalshiMarketSource>(),
            sp.GetRequiredService<MarketBoard>(),
            sp.GetRequiredService<SettlementRecorder>(),
            sp.GetRequiredService<KalshiStateFile>(),
            options.SeriesTicker,
            options.Kalshi,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<MarketTracker>()));
        services.AddHostedService<KalshiMarketService>();
        services.AddSingleton(sp => new GapFillService(
            sp.GetRequiredService<DowntimeProbe>().Downtime,
            sp.GetRequiredService<KalshiRestClient>(),
            options,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<GapFillService>>(),
            GapFillService.DefaultStartDelay));
        services.AddHostedService(sp => sp.GetRequiredService<GapFillService>());
        return services;
    }
}
