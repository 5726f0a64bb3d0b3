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
    /// Registers the Coinbase, Kraken and Bitstamp feeds as hosted services. Needs the options, TimeProvider,
    /// PriceBoard and FeedHealthRegistry singletons the host registers; FeedTimings defaults unless one is already there.
    /// </summary>
    public static IServiceCollection AddExchangeFeeds(this IServiceCollection services, CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(FeedTimings.Default);
        services.AddHostedService<CoinbaseFeed>();
        services.AddHostedService<KrakenFeed>();
        services.AddHostedService<BitstampFeed>();
        return services;
    }
}
