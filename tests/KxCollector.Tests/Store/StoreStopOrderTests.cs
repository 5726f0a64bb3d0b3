using KxCollector.Configuration;
using KxCollector.Recording;
using KxCollector.Store;
using KxCollector.Tests.Kalshi;
using KxCollector.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KxCollector.Tests.Store;

/// <summary>
/// The store's final flush at a clean stop reads what the files hold then. The host stops its services in reverse
/// order of registration, so the store must come before every other hosted service: after it, a stop could reach it
/// while the records' writer still held the last tick line, and that line waited in the file for the next start
/// (StoreProcessTests saw it on CI as one row short after a SIGTERM).
/// </summary>
public sealed class StoreStopOrderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_store_is_the_first_hosted_service_so_it_stops_after_every_writer()
    {
        var store = new StoreOptions
        {
            Target = DatabaseUrl.Parse("postgres://kx:unused@127.0.0.1:9/kx"),
            CollectorId = "stop-order",
            BatchSize = StoreOptions.DefaultBatchSize,
            FlushInterval = StoreOptions.DefaultFlushInterval,
        };
        using var host = CollectorTestHost.Build(CollectorTestHost.Options(_dir.Path, KalshiTestRig.Options(), store: store));

        var hosted = host.Services.GetServices<IHostedService>().ToList();

        hosted.Should().Contain(s => s is RecordHandOff, "the check must see the records' writer");
        hosted.Count.Should().BeGreaterThan(5, "the check must see the whole daemon");
        hosted[0].Should().BeOfType<StoreService>("the host stops the first hosted service last");
    }
}
