using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Signing;
using KxCollector.Kalshi.Stream;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KxCollector.Tests.Kalshi.Stream;

/// <summary>The stream follows the boards when their set of markets changes, not on a one-second poll.</summary>
public sealed class StreamFollowTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 7, 23, 3, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly StreamBoard _stream = new();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_board_signals_when_its_set_of_markets_changes_and_not_when_only_quotes_do()
    {
        var board = new MarketBoard(_stream, bookDepth: 0);

        board.Publish([Entry("KXBTC15M-A", 0.40m), Entry("KXBTC15M-B", 0.50m)]);
        await _stream.MarketsChanged.WaitAsync(TimeSpan.FromMinutes(1), _time, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        board.Publish([Entry("KXBTC15M-B", 0.55m), Entry("KXBTC15M-A", 0.41m)]);
        var same = _stream.MarketsChanged.WaitAsync(TimeSpan.FromMinutes(1), _time, CancellationToken.None);
        same.IsCompleted.Should().BeFalse("the same markets with new quotes are no change to follow");

        board.Publish([Entry("KXBTC15M-B", 0.55m)]);
        await same.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Without_a_change_the_wait_ends_at_its_timeout()
    {
        var wait = _stream.MarketsChanged.WaitAsync(TimeSpan.FromMinutes(1), _time, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(59));
        wait.IsCompleted.Should().BeFalse();

        _time.Advance(TimeSpan.FromSeconds(1));
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task The_stream_opens_connections_for_new_markets_as_they_are_published_without_the_clock_moving()
    {
        var options = new KxCollector.Configuration.KalshiOptions
        {
            Environment = "demo",
            ApiBaseUrl = new Uri("http://127.0.0.1:9/trade-api/v2"),
            ApiKeyId = TestKeys.KeyId,
            PrivateKeyPath = TestKeys.WriteKeyFile(_dir.Path, TestKeys.Pkcs8Pem),
            WebSocketUrl = new Uri("ws://127.0.0.1:9/trade-api/ws/v2"),
            WebSocketMaxMarketsPerConnection = 1,
        };
        using var credentials = KalshiCredentials.Load(options, NullLogger.Instance);
        var board = new MarketBoard(_stream, bookDepth: 0);
        var stats = new StreamStats();
        using var service = new KalshiStreamService(
            options, credentials, () => [board], _stream, new StreamRecorder([], new TradeDeduplicator(), stats), stats, _time, NullLoggerFactory.Instance);
        await service.StartAsync(CancellationToken.None);
        try
        {
            await Poll.UntilAsync(() => service.ConnectionCount == 1, TimeSpan.FromSeconds(10), () => $"{service.ConnectionCount} connections");

            board.Publish([Entry("KXBTC15M-A", 0.40m), Entry("KXBTC15M-B", 0.50m), Entry("KXBTC15M-C", 0.60m)]);

            await Poll.UntilAsync(() => service.ConnectionCount == 3, TimeSpan.FromSeconds(10), () => $"{service.ConnectionCount} connections");
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    private static TickMarketEntry Entry(string ticker, decimal bid) =>
        new(new KalshiMarket { Ticker = ticker, Status = "active", YesBid = bid, YesAsk = bid + 0.02m, CloseTime = T0.AddMinutes(15) }, T0);
}
