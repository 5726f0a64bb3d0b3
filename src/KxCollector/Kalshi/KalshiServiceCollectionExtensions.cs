using KxCollector.Backfill;
using KxCollector.Configuration;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Rest;
using KxCollector.Kalshi.Settlements;
using KxCollector.Kalshi.Signing;
using KxCollector.Kalshi.Stream;
using KxCollector.Recording;
using KxCollector.Status;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi;

internal static class KalshiServiceCollectionExtensions
{
    /// <summary>
    /// Registers, for every configured series, market tracking, the tick's market entries and settlement recording,
    /// and once for all series the REST client and the stream (quotes, books, trades, lifecycle). The key file is
    /// loaded when the hosted services are first resolved, i.e. during host start, so a bad key fails start-up with
    /// exit 78. Needs <see cref="SeriesFiles"/> registered.
    /// </summary>
    public static IServiceCollection AddKalshi(this IServiceCollection services, CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<BrtiHistory>();
        services.AddSingleton<StreamBoard>();
        services.AddSingleton<StreamStats>();
        services.AddSingleton<KalshiActivity>();
        services.AddSingleton(_ => new TradeDeduplicator());
        services.AddSingleton(sp => KalshiCredentials.Load(options.Kalshi, sp.GetRequiredService<ILoggerFactory>().CreateLogger<KalshiCredentials>()));
        // One request budget for the process: the trackers' polls and gap filling draw from the same bucket. The
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

        // Each series' hole, from its own file's last tick. Read when the hosted services are built, i.e. before the
        // first new tick can hide it.
        services.AddSingleton(sp => DowntimeProbe.Detect(options, sp.GetRequiredService<TimeProvider>().GetUtcNow()));
        services.AddSingleton(sp => KalshiSeries.CreateAll(
            options,
            sp.GetRequiredService<SeriesFiles>(),
            sp.GetRequiredService<IKalshiMarketSource>(),
            sp.GetRequiredService<BrtiHistory>(),
            sp.GetRequiredService<StreamBoard>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<KalshiActivity>(),
            sp.GetRequiredService<DowntimeProbe>()));

        // The first series' pieces under their own types, as before several series existed.
        services.AddSingleton(sp => sp.GetRequiredService<IReadOnlyList<KalshiSeries>>()[0].Board);
        services.AddSingleton<ITickMarketsWriter>(sp => sp.GetRequiredService<MarketBoard>());
        services.AddSingleton(sp => sp.GetRequiredService<IReadOnlyList<KalshiSeries>>()[0].Tracker);

        for (var i = 0; i < options.Series.Count; i++)
        {
            var index = i;

            // AddHostedService would keep only one per type; each series needs its own poll loop.
            services.AddSingleton<IHostedService>(sp => new KalshiMarketService(
                sp.GetRequiredService<IReadOnlyList<KalshiSeries>>()[index].Tracker,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<KalshiMarketService>>()));
        }

        services.AddSingleton(sp => new StreamRecorder(
            sp.GetRequiredService<IReadOnlyList<KalshiSeries>>().Select(s => new StreamSeries(s.Series, s.Writer, s.Tracker)).ToList(),
            sp.GetRequiredService<TradeDeduplicator>(),
            sp.GetRequiredService<StreamStats>()));
        services.AddSingleton(sp => new KalshiStreamService(
            options.Kalshi,
            sp.GetRequiredService<KalshiCredentials>(),
            sp.GetRequiredService<IReadOnlyList<KalshiSeries>>().Select(s => s.Board).ToList(),
            sp.GetRequiredService<StreamBoard>(),
            sp.GetRequiredService<StreamRecorder>(),
            sp.GetRequiredService<StreamStats>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<KalshiStreamService>());
        services.AddSingleton<IStatusContributor>(sp => new KalshiStatusContributor(
            sp.GetRequiredService<IReadOnlyList<KalshiSeries>>(),
            sp.GetRequiredService<KalshiActivity>(),
            sp.GetRequiredService<StreamStats>(),
            streamConfigured: sp.GetRequiredService<KalshiCredentials>().Signer is not null));

        // One gap filler for all series: each series' hole goes to its own OUTPUT_DIR/backfill/<SERIES>/ folder.
        services.AddSingleton(sp => new GapFillService(
            sp.GetRequiredService<DowntimeProbe>(),
            sp.GetRequiredService<KalshiRestClient>(),
            options,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<GapFillService>>(),
            GapFillService.DefaultStartDelay));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<GapFillService>());
        return services;
    }
}
