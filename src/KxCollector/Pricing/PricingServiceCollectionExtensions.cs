using KxCollector.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KxCollector.Pricing;

internal static class PricingServiceCollectionExtensions
{
    /// <summary>The exchanges' latest quotes (fed by the feeds) and the proxy BRTI computed from them each tick.</summary>
    public static IServiceCollection AddPricing(this IServiceCollection services, CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<PriceBoard>();
        services.AddSingleton(sp => new BrtiProxy(sp.GetRequiredService<PriceBoard>(), options.FeedStaleAfter));
        return services;
    }
}
