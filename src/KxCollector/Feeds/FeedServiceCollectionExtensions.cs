using KxCollector.Configuration;
using KxCollector.Feeds.Bitstamp;
using KxCollector.Feeds.Coinbase;
using KxCollector.Feeds.Kraken;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KxCollector.Feeds;

internal static class FeedServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Coinbase, Kraken and Bitstamp feeds as hosted services and their health registry. Needs the
    /// options, TimeProvider and PriceBoard singletons; FeedTimings are the test-only shortened ones when
    /// DEBUG_FEED_BACKOFF_MS is set, else the defaults (unless one is already there).
    /// </summary>
    public static IServiceCollection AddExchangeFeeds(this IServiceCollection services, CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<FeedHealthRegistry>();
        services.TryAddSingleton(options.DebugFeedTimings ?? FeedTimings.Default);
        services.AddHostedService<CoinbaseFeed>();
        services.AddHostedService<KrakenFeed>();
        services.AddHostedService<BitstampFeed>();
        return services;
    }
}
