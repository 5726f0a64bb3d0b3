using KxCollector.Configuration;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Configuration;

/// <summary>
/// A blank environment yields exactly the options types' own defaults: the loader reads the types' constants, so the
/// default of a key has one home and the loader cannot drift from the initialisers (or the initialisers from it).
/// </summary>
public sealed class OptionsDefaultsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_blank_environment_gives_the_collector_options_defaults()
    {
        var loaded = CollectorOptionsLoader.Load(new Dictionary<string, string>(), _dir.Path);
        var fresh = new CollectorOptions
        {
            OutputDirectory = "unused",
            SeriesTicker = "UNUSED",
            FeedStaleAfter = TimeSpan.Zero,
            FeedSilenceTimeout = TimeSpan.Zero,
            CoinbaseWebSocketUrl = new Uri("ws://unused"),
            KrakenWebSocketUrl = new Uri("ws://unused"),
            BitstampWebSocketUrl = new Uri("ws://unused"),
            Kalshi = FreshKalshi(),
        };

        loaded.BookDepth.Should().Be(fresh.BookDepth);
        loaded.CollectionIntervalSeconds.Should().Be(fresh.CollectionIntervalSeconds);
        loaded.LogFormat.Should().Be(fresh.LogFormat);
        loaded.RetentionDays.Should().Be(fresh.RetentionDays);
        loaded.HealthPort.Should().Be(fresh.HealthPort);
        loaded.Switches.Should().Be(fresh.Switches);
        loaded.Store.Should().Be(fresh.Store);
        loaded.Sports.GamePollInterval.Should().Be(fresh.Sports.GamePollInterval);
        loaded.Sports.DiscoveryInterval.Should().Be(fresh.Sports.DiscoveryInterval);

        // Required members have no initialiser: their defaults are the type's constants.
        loaded.OutputDirectory.Should().Be(Path.GetFullPath(CollectorOptions.DefaultOutputDir, _dir.Path));
        loaded.SeriesTicker.Should().Be(CollectorOptions.DefaultSeries);
        loaded.FeedStaleAfter.Should().Be(TimeSpan.FromSeconds(CollectorOptions.DefaultFeedStaleSeconds));
        loaded.FeedSilenceTimeout.Should().Be(TimeSpan.FromSeconds(CollectorOptions.DefaultFeedSilenceSeconds));
        loaded.CoinbaseWebSocketUrl.Should().Be(new Uri(CollectorOptions.DefaultCoinbaseWebSocketUrl));
        loaded.KrakenWebSocketUrl.Should().Be(new Uri(CollectorOptions.DefaultKrakenWebSocketUrl));
        loaded.BitstampWebSocketUrl.Should().Be(new Uri(CollectorOptions.DefaultBitstampWebSocketUrl));
    }

    [Fact]
    public void A_blank_environment_gives_the_kalshi_options_defaults()
    {
        var loaded = CollectorOptionsLoader.Load(new Dictionary<string, string>(), _dir.Path).Kalshi;
        var fresh = FreshKalshi();

        loaded.Environment.Should().Be(KalshiOptions.DefaultEnvironment);
        loaded.ApiBaseUrl.Should().Be(new Uri(KalshiOptions.ProdApiUrl));
        loaded.WebSocketUrl.Should().Be(new Uri(KalshiOptions.ProdWebSocketUrl));
        loaded.PollInterval.Should().Be(fresh.PollInterval);
        loaded.FastPollInterval.Should().Be(fresh.FastPollInterval);
        loaded.DiscoveryInterval.Should().Be(fresh.DiscoveryInterval);
        loaded.HttpTimeout.Should().Be(fresh.HttpTimeout);
        loaded.RestRequestsPerSecond.Should().Be(fresh.RestRequestsPerSecond);
        loaded.WebSocketSilenceTimeout.Should().Be(fresh.WebSocketSilenceTimeout);
        loaded.WebSocketMaxMarketsPerConnection.Should().Be(fresh.WebSocketMaxMarketsPerConnection);
        loaded.WebSocketReconnectBaseDelay.Should().Be(fresh.WebSocketReconnectBaseDelay);
        loaded.WebSocketReconnectMaxDelay.Should().Be(fresh.WebSocketReconnectMaxDelay);
    }

    [Fact]
    public void A_database_url_alone_gives_the_store_options_defaults()
    {
        var settings = new Dictionary<string, string> { ["DATABASE_URL"] = "postgres://kx:pw@h/db" };

        var loaded = StoreOptionsLoader.Load(new SettingsReader(settings), strictUrl: false)!;

        loaded.BatchSize.Should().Be(StoreOptions.DefaultBatchSize);
        loaded.FlushInterval.Should().Be(StoreOptions.DefaultFlushInterval);
        StoreOptions.DefaultFlushInterval.Should().Be(TimeSpan.FromSeconds(StoreOptions.DefaultFlushSeconds));
    }

    private static KalshiOptions FreshKalshi() => new()
    {
        Environment = "unused",
        ApiBaseUrl = new Uri("http://unused"),
        WebSocketUrl = new Uri("ws://unused"),
    };
}
