using KxCollector.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KxCollector.Status;

internal static class StatusServiceCollectionExtensions
{
    /// <summary>
    /// status.json and the optional GET /health endpoint (HEALTH_PORT). Services that have status of their own (the
    /// Kalshi tracker, the store) register an <see cref="IStatusContributor"/> singleton; no change is needed here.
    /// </summary>
    public static IServiceCollection AddStatusReporting(this IServiceCollection services, CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<StatusSnapshotBuilder>();
        services.AddSingleton<IStatusContributor, ProcessStatusContributor>();
        services.AddHostedService<StatusFileService>();
        if (options.HealthPort is not null)
        {
            services.AddHostedService<HealthEndpointService>();
        }

        return services;
    }
}
