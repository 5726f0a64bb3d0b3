using KxCollector.Configuration;
using KxCollector.Recording;
using KxCollector.Status;
using Microsoft.Extensions.DependencyInjection;

namespace KxCollector.StatusPage;

internal static class StatusPageServiceCollectionExtensions
{
    /// <summary>GET / (the page) and GET /recent.json (its data) on HEALTH_PORT, from the primary series' files; nothing without HEALTH_PORT.</summary>
    public static IServiceCollection AddStatusPage(this IServiceCollection services, CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.HealthPort is null)
        {
            return services;
        }

        services.AddSingleton(sp => new RecentTicks(day => sp.GetRequiredService<PrimaryFile>().Writer?.PathFor(day)));
        services.AddSingleton<IHealthPortRoute, RecentDataRoute>();
        services.AddSingleton<IHealthPortRoute, StatusPageRoute>();
        return services;
    }
}
