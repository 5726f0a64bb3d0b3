using KxCollector.Configuration;
using KxCollector.Feeds;
using KxCollector.Recording;
using KxCollector.Store.Health;
using KxCollector.Store.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Store;

internal static class StoreServiceCollectionExtensions
{
    /// <summary>Warnings and errors kept while the database is away; past that the oldest go (and are counted).</summary>
    public const int LogOutboxCapacity = 2000;

    /// <summary>A day of health rows.</summary>
    public const int HealthOutboxCapacity = 1440;

    /// <summary>
    /// Adds the database store when DATABASE_URL is set. Call before the tick loop is added: hosted services stop in
    /// reverse order, so the store stops after the tick loop and its final batch includes the last tick.
    /// </summary>
    public static void AddCollectorStore(this HostApplicationBuilder builder, CollectorOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Store is not { } store)
        {
            return;
        }

        var services = builder.Services;
        var logs = new Outbox<LogRow>(LogOutboxCapacity);
        var health = new Outbox<HealthRow>(HealthOutboxCapacity);
        services.AddSingleton(store);
        services.AddSingleton<StoreStats>();
        services.AddHostedService(sp => new StoreService(
            store,
            options.OutputDirectory,
            time,
            sp.GetRequiredService<StoreStats>(),
            logs,
            health,
            sp.GetRequiredService<ILogger<StoreService>>()));

        if (store.Target is null)
        {
            // Only the error report runs: there is nowhere to send logs or health rows.
            return;
        }

        builder.Logging.AddProvider(new StoreLoggerProvider(logs, time));
        services.AddHostedService(sp => new HealthSampler(
            time,
            sp.GetRequiredService<TickStats>(),
            sp.GetRequiredService<FeedHealthRegistry>(),
            sp.GetRequiredService<PrimaryFile>(),
            sp.GetRequiredService<StoreStats>(),
            health));
    }
}
