using KxCollector.Configuration;
using KxCollector.Kalshi.Games;
using KxCollector.Kalshi.Index;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Rest;
using KxCollector.Kalshi.Settlements;
using KxCollector.Kalshi.Signing;
using KxCollector.Kalshi.Sports;
using KxCollector.Kalshi.Stream;
using KxCollector.Recording;
using KxCollector.Status;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using KxCollector.Pricing;

namespace KxCollector.Kalshi;

internal static class KalshiServiceCollectionExtensions
{
    /// <summary>
    /// Registers the recorded series (<see cref="SeriesRegistry"/>: SERIES_TICKER from the start, TARGET_SPORTS' series
    /// as they are found), and once for all series the REST client, the stream (quotes, books, trades, lifecycle),
    /// the sports discovery and the game poll; each follows the registry as it grows. The key file is
    /// loaded when the hosted services are first resolved, i.e. during host start, so a bad key fails start-up with
    /// exit 78. Needs <see cref="SeriesFiles"/> and <see cref="PrimaryFile"/> registered; the per-series loops are
    /// <see cref="Hosting.SeriesLoops"/>.
    /// </summary>
    public static IServiceCollection AddKalshi(this IServiceCollection services, CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<BrtiHistory>();
        services.AddSingleton<StreamBoard>();
        services.AddSingleton<StreamStats>();
        services.AddSingleton<KalshiActivity>();
        services.AddOfficialIndex(options);
        services.AddSingleton<SportsStatus>();
        services.AddSingleton<GameStats>();
        services.AddSingleton(_ => new TradeDeduplicator());
        services.AddSingleton(sp => KalshiCredentials.Load(options.Kalshi, sp.GetRequiredService<ILoggerFactory>().CreateLogger<KalshiCredentials>()));
        // One request budget for the process: the trackers' polls, the sports and game reads and gap filling draw from
        // the same bucket. The policy's 200 ms spacing stays too, so the daemon's own pace is unchanged when
        // KALSHI_REST_RPS is higher.
        services.AddSingleton(sp => new TokenBucket(options.Kalshi.RestRequestsPerSecond, 1, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => KalshiRestClient.Create(
            options.Kalshi,
            sp.GetRequiredService<KalshiCredentials>(),
            KalshiRetryPolicy.Default,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<KalshiRestClient>(),
            sp.GetRequiredService<TokenBucket>()));
        services.AddSingleton<IKalshiMarketSource>(sp => sp.GetRequiredService<KalshiRestClient>());

        // Built when the hosted services are, i.e. before the first new tick can hide a series' hole.
        services.AddSingleton(sp => new SeriesRegistry(
            options,
            sp.GetRequiredService<SeriesFiles>(),
            sp.GetRequiredService<IKalshiMarketSource>(),
            sp.GetRequiredService<BrtiHistory>(),
            sp.GetRequiredService<StreamBoard>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<KalshiActivity>(),
            sp.GetRequiredService<PrimaryFile>(),
            sp.GetRequiredService<OfficialIndexBoard>()));

        services.AddSingleton<IHostedService>(sp => new SwitchesReport(options, sp.GetRequiredService<ILogger<SwitchesReport>>()));
        services.AddSingleton(sp => new StreamRecorder(
            () => sp.GetRequiredService<SeriesRegistry>().StreamView,
            sp.GetRequiredService<TradeDeduplicator>(),
            sp.GetRequiredService<StreamStats>(),
            sp.GetRequiredService<RecordHandOff>()));
        if (options.Switches.LiveStreaming)
        {
            services.AddSingleton(sp => new KalshiStreamService(
                options.Kalshi,
                sp.GetRequiredService<KalshiCredentials>(),
                () => sp.GetRequiredService<SeriesRegistry>().All.Select(s => s.Board),
                sp.GetRequiredService<StreamBoard>(),
                sp.GetRequiredService<StreamRecorder>(),
                sp.GetRequiredService<StreamStats>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>())
            {
                OfficialIndex = sp.GetRequiredService<OfficialIndexBoard>().IndexIds.Count > 0 ? sp.GetRequiredService<OfficialIndexFeed>() : null,
            });
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<KalshiStreamService>());
        }
        else
        {
            // Resolving the credentials still checks the key file at start-up, stream or not.
            services.AddSingleton<IHostedService>(sp => new CredentialsCheck(sp.GetRequiredService<KalshiCredentials>()));
        }

        services.AddSingleton<IStatusContributor>(sp => new KalshiStatusContributor(
            () => sp.GetRequiredService<SeriesRegistry>().All,
            sp.GetRequiredService<KalshiActivity>(),
            sp.GetRequiredService<StreamStats>(),
            streamConfigured: sp.GetRequiredService<KalshiCredentials>().Signer is not null,
            options.Switches));

        services.AddSingleton(sp => new SportsDiscoveryService(
            options.Sports,
            sp.GetRequiredService<KalshiRestClient>(),
            sp.GetRequiredService<SeriesRegistry>(),
            sp.GetRequiredService<SportsStatus>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SportsDiscoveryService>>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SportsDiscoveryService>());
        services.AddSingleton(sp => new GameService(
            options.Sports,
            sp.GetRequiredService<KalshiRestClient>(),
            sp.GetRequiredService<SeriesRegistry>(),
            sp.GetRequiredService<GameStats>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<GameService>>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<GameService>());
        if (options.Sports.Sports.Count > 0)
        {
            services.AddSingleton<IStatusContributor>(sp => new SportsStatusContributor(sp.GetRequiredService<SportsStatus>(), sp.GetRequiredService<GameStats>()));
        }

        return services;
    }

    /// <summary>Loads the key file at host start even when nothing else needs it yet (a bad key is exit 78 either way).</summary>
    private sealed class CredentialsCheck(KalshiCredentials credentials) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(credentials);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
