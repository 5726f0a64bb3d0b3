using Microsoft.Extensions.DependencyInjection;

namespace KxCollector.Pricing;

internal static class PricingServiceCollectionExtensions
{
    /// <summary>
    /// The exchanges' latest quotes (fed by the feeds) and the proxy BRTI computed from them each tick, which writes
    /// a quote older than <paramref name="quoteStaleAfter"/> (FEED_STALE_SECONDS) as null. Pricing sits below
    /// Configuration, so it takes the one setting it needs rather than the options.
    /// </summary>
    public static IServiceCollection AddPricing(this IServiceCollection services, TimeSpan quoteStaleAfter)
    {
        services.AddSingleton<PriceBoard>();
        services.AddSingleton(sp => new BrtiProxy(sp.GetRequiredService<PriceBoard>(), quoteStaleAfter));
        return services;
    }
}
