using KxCollector.Store;
using KxCollector.Store.Health;
using KxCollector.Store.Logging;
using Microsoft.Extensions.Logging;
using KxCollector.Configuration;

namespace KxCollector.Tests.Store.Support;

/// <summary>
/// A <see cref="StoreService"/> running in this process against a folder and a database of the test server, with
/// its warnings and errors going to data_collection_logs as in the daemon.
/// </summary>
internal sealed class StoreRig : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private bool _stopped;

    private StoreRig(StoreService service, StoreStats stats, Outbox<HealthRow> health, ILoggerFactory loggers)
    {
        Service = service;
        Stats = stats;
        Health = health;
        _loggers = loggers;
    }

    public StoreService Service { get; }

    public StoreStats Stats { get; }

    public Outbox<HealthRow> Health { get; }

    public static async Task<StoreRig> StartAsync(
        PostgresServer server,
        string folder,
        string database,
        string collectorId = "test-collector",
        int batchSize = StoreOptions.DefaultBatchSize,
        TimeSpan? flushInterval = null,
        string? url = null)
    {
        var options = new StoreOptions
        {
            Target = DatabaseUrl.Parse(url ?? server.Url(database)),
            CollectorId = collectorId,
            BatchSize = batchSize,

            // Shorter than the 2 s default so the tests wait less; the rule is the same.
            FlushInterval = flushInterval ?? TimeSpan.FromMilliseconds(200),
        };
        var logs = new Outbox<LogRow>(1000);
        var health = new Outbox<HealthRow>(100);
        var loggers = LoggerFactory.Create(b => b.AddProvider(new StoreLoggerProvider(logs, TimeProvider.System)));
        var stats = new StoreStats();
        var service = new StoreService(options, folder, TimeProvider.System, stats, logs, health, loggers.CreateLogger<StoreService>());
        await service.StartAsync(CancellationToken.None);
        return new StoreRig(service, stats, health, loggers);
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await Service.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Service.Dispose();
        _loggers.Dispose();
    }
}
