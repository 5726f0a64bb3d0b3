using System.Text.Json;
using KxCollector.Fakes.Kalshi;
using KxCollector.Status;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Kalshi;

/// <summary>
/// The real host against the Kalshi fakes in their many-market mode (<see cref="FakeScaleUniverse"/>, what
/// bench/compare.sh runs at 1,000 and 5,000 markets): 300 markets in 3 series spread over several stream connections
/// by a small KALSHI_WS_MAX_MARKETS. Every market is recorded in its series' ticks with a book, every trade the fake
/// delivered is written exactly once, and the stream counts no sequence gap.
/// </summary>
public sealed class KalshiScaleIntegrationTests : IAsyncLifetime
{
    private const int Markets = 300;
    private const int MaxMarketsPerConnection = 40;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _dir = new();
    private FakeKalshiServer _rest = null!;
    private FakeKalshiWebSocket _ws = null!;
    private FakeScaleUniverse _universe = null!;

    public async Task InitializeAsync()
    {
        _rest = await FakeKalshiServer.StartAsync();
        _ws = await FakeKalshiWebSocket.StartAsync();
        _ws.RequireSignatures(TestKeys.PublicPem, TestKeys.KeyId);
        _universe = new FakeScaleUniverse(_rest, _ws, Markets, series: 3, TimeProvider.System.GetUtcNow());
        await _universe.ListAsync();
    }

    public async Task DisposeAsync()
    {
        await _ws.DisposeAsync();
        await _rest.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Three_hundred_markets_over_several_connections_are_all_recorded_with_every_trade_once_and_no_gap()
    {
        var keyPath = TestKeys.WriteKeyFile(_dir.Path, TestKeys.Pkcs1Pem);
        var series = _universe.SeriesTickers;
        var kalshi = KalshiTestRig.Options(_rest, _ws, keyPath, maxMarketsPerConnection: MaxMarketsPerConnection);
        using var host = CollectorTestHost.Build(CollectorTestHost.Options(_dir.Path, kalshi, seriesTicker: series[0], series: series, bookDepth: 2));
        await host.StartAsync();
        try
        {
            await Poll.UntilAsync(() => _ws.SubscribedMarkets.Count == Markets, Timeout, () => $"subscribed: {_ws.SubscribedMarkets.Count}");

            // Traffic as fast as the fake sends it, while the collector ticks: a few trades, many deltas and tickers.
            for (var i = 0; i < 1500; i++)
            {
                await _universe.PublishOneAsync();
            }

            await Poll.UntilAsync(() => Trades().Count >= _universe.TradesDelivered, Timeout, () => $"trades written {Trades().Count} of {_universe.TradesDelivered}");
            var sent = TimeProvider.System.GetUtcNow();
            await Poll.UntilAsync(() => series.All(s => LastTickAfter(s, sent) is not null), Timeout, "a tick of every series after the traffic");
            await Poll.UntilAsync(() => StatusWrittenAfter(sent), Timeout, "status.json written after the traffic");
        }
        finally
        {
            await host.StopAsync();
        }

        _universe.Trades.Should().BeGreaterThan(50);
        _universe.TradesDelivered.Should().Be(_universe.Trades, "every market was subscribed before the traffic began");
        var tradeIds = Trades().Select(t => t.GetProperty("trade_id").GetString()).ToList();
        tradeIds.Should().OnlyHaveUniqueItems().And.HaveCount((int)_universe.Trades);

        var recorded = new List<string>();
        foreach (var s in series)
        {
            var last = LastTickAfter(s, DateTimeOffset.MinValue)!.Value;
            var entries = last.GetProperty("markets").EnumerateArray().ToList();
            entries.Should().HaveCount(Markets / series.Count).And.OnlyContain(m => m.GetProperty("src").GetString() == "ws");
            entries.Should().OnlyContain(m => m.GetProperty("yes_book").ValueKind == JsonValueKind.Array, "a book is written only while it is known to be right");
            recorded.AddRange(entries.Select(m => m.GetProperty("ticker").GetString()!));
        }

        recorded.Should().BeEquivalentTo(_universe.MarketTickers);
        _ws.Upgrades.Count(u => u.StatusCode == 101).Should().BeGreaterThanOrEqualTo((Markets + MaxMarketsPerConnection - 1) / MaxMarketsPerConnection);

        using var status = JsonDocument.Parse(await File.ReadAllBytesAsync(StatusFileService.PathIn(_dir.Path)));
        var stream = status.RootElement.GetProperty("kalshi").GetProperty("stream");
        stream.GetProperty("sequence_gaps").GetInt64().Should().Be(0);
        stream.GetProperty("sequence_repeats").GetInt64().Should().Be(0);
        stream.GetProperty("trades_written").GetInt64().Should().Be(_universe.Trades);
    }

    private List<JsonElement> Trades() =>
        _universe.SeriesTickers.SelectMany(s => RecordedLines.Read(_dir.Path, s.ToLowerInvariant(), "trade")).ToList();

    private JsonElement? LastTickAfter(string series, DateTimeOffset after) =>
        RecordedLines.Read(_dir.Path, series.ToLowerInvariant(), "tick") is { Count: > 0 } ticks && ticks[^1].GetProperty("ts").GetDateTimeOffset() > after ? ticks[^1] : null;

    private bool StatusWrittenAfter(DateTimeOffset after)
    {
        try
        {
            using var status = JsonDocument.Parse(File.ReadAllBytes(StatusFileService.PathIn(_dir.Path)));
            return status.RootElement.GetProperty("written_at").GetDateTimeOffset() > after;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
