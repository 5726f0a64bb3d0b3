using System.Text.Json;
using KxCollector.Configuration;
using KxCollector.Fakes.Exchanges;
using KxCollector.Fakes.Kalshi;
using KxCollector.Hosting;
using KxCollector.Recording;
using KxCollector.Tests.Feeds;
using KxCollector.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KxCollector.Tests.Kalshi;

/// <summary>
/// The whole product in one run: the real host against the three exchange fakes and the fake Kalshi. The market
/// closes a few seconds after start, so the settlement line's brti_avg60 must be the mean of the brti our own ticks
/// recorded in its window — the figure a KXBTC15M backtester compares with Kalshi's expiration_value.
/// </summary>
public sealed class EndToEndSettlementTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private FakeCoinbase _coinbase = null!;
    private FakeKraken _kraken = null!;
    private FakeBitstamp _bitstamp = null!;
    private FakeKalshiServer _kalshi = null!;

    public async Task InitializeAsync()
    {
        _coinbase = await FakeCoinbase.StartAsync();
        _kraken = await FakeKraken.StartAsync();
        _bitstamp = await FakeBitstamp.StartAsync();
        _kalshi = await FakeKalshiServer.StartAsync();
        _coinbase.SetQuote(70000.10m, 70000.30m); // mid 70000.2
        _kraken.SetQuote(70010m, 70011m);         // mid 70010.5
        _bitstamp.SetQuote(69990m, 69991m);       // mid 69990.5 -> median 70000.2
    }

    public async Task DisposeAsync()
    {
        await _coinbase.DisposeAsync();
        await _kraken.DisposeAsync();
        await _bitstamp.DisposeAsync();
        await _kalshi.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Ticks_carry_prices_and_markets_and_the_settlement_averages_our_own_brti_over_its_window()
    {
        // Kalshi's close times are whole seconds.
        var closeAt = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() + 7);
        var market = new FakeMarket
        {
            Ticker = "KXBTC15M-26NOV211215-15",
            OpenTime = closeAt.AddMinutes(-15),
            CloseTime = closeAt,
            FinalizeAfterClose = TimeSpan.FromSeconds(1),
            FloorStrike = 69950.12m,
            ExpirationValue = "70000.31",
        };
        _kalshi.AddMarket(market);

        var feeds = FeedTestOptions.Create(_coinbase.Url, _kraken.Url, _bitstamp.Url, _dir.Path);
        var options = new CollectorOptions
        {
            OutputDirectory = feeds.OutputDirectory,
            SeriesTicker = feeds.SeriesTicker,
            FeedStaleAfter = feeds.FeedStaleAfter,
            FeedSilenceTimeout = feeds.FeedSilenceTimeout,
            CoinbaseWebSocketUrl = feeds.CoinbaseWebSocketUrl,
            KrakenWebSocketUrl = feeds.KrakenWebSocketUrl,
            BitstampWebSocketUrl = feeds.BitstampWebSocketUrl,
            Kalshi = new KalshiOptions
            {
                Environment = "demo",
                ApiBaseUrl = _kalshi.ApiBaseUrl,
                WebSocketUrl = new Uri("ws://127.0.0.1:9/trade-api/ws/v2"),
                PollInterval = TimeSpan.FromSeconds(1),
                FastPollInterval = TimeSpan.FromSeconds(0.25),
                HttpTimeout = TimeSpan.FromSeconds(5),
            },
        };
        var builder = CollectorHost.CreateBuilder(options, new Serilog.LoggerConfiguration().CreateLogger(), TimeProvider.System);
        builder.Services.AddSingleton(FeedTestOptions.FastTimings);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            await Poll.UntilAsync(() => Lines("settlement").Count > 0, TimeSpan.FromSeconds(20), "a settlement line");

            // What `botctl status` shows comes from the running host's status.json, rewritten every second.
            await Poll.UntilAsync(
                () => KalshiStatus() is { } k && k.GetProperty("last_settlement_ticker").GetString() == market.Ticker && k.GetProperty("state").GetString() == "polling",
                TimeSpan.FromSeconds(5),
                "status.json naming the settlement");
            var process = StatusSection("process");
            process.GetProperty("rss_bytes").GetInt64().Should().BeGreaterThan(10_000_000, "the process section shows memory as the OS sees it");
            process.GetProperty("gc_heap_bytes").GetInt64().Should().BeGreaterThan(0);
        }
        finally
        {
            await host.StopAsync();
        }

        var ticks = Lines("tick");
        ticks.Should().Contain(t => t.GetProperty("brti").ValueKind == JsonValueKind.Number && t.GetProperty("markets").GetArrayLength() == 1);
        var withMarket = ticks.First(t => t.GetProperty("markets").GetArrayLength() == 1 && t.GetProperty("brti").ValueKind == JsonValueKind.Number);
        withMarket.GetProperty("brti").GetDecimal().Should().Be(70000.2m);
        withMarket.GetProperty("markets")[0].GetProperty("ticker").GetString().Should().Be(market.Ticker);
        withMarket.GetProperty("markets")[0].GetProperty("strike").GetDecimal().Should().Be(69950.12m);

        // The window is the ticks stamped close-60 s ... close-1 s; count what our own file holds there.
        var closeSecond = TickSchedule.SecondOf(closeAt);
        var inWindow = ticks
            .Where(t => TickSchedule.SecondOf(t.GetProperty("ts").GetDateTimeOffset()) is var s && s >= closeSecond - 60 && s <= closeSecond - 1)
            .Where(t => t.GetProperty("brti").ValueKind == JsonValueKind.Number)
            .Select(t => t.GetProperty("brti").GetDecimal())
            .ToList();
        inWindow.Should().NotBeEmpty();

        var settlement = Lines("settlement").Should().ContainSingle().Subject;
        settlement.GetProperty("ticker").GetString().Should().Be(market.Ticker);
        settlement.GetProperty("result").GetString().Should().Be("yes");
        settlement.GetProperty("expiration_value").GetDecimal().Should().Be(70000.31m);
        settlement.GetProperty("strike").GetDecimal().Should().Be(69950.12m);
        settlement.GetProperty("brti_samples").GetInt32().Should().Be(inWindow.Count);
        settlement.GetProperty("brti_avg60").GetDecimal().Should().Be(Math.Round(inWindow.Average(), 2, MidpointRounding.AwayFromZero));
    }

    private JsonElement StatusSection(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_dir.Path, KxCollector.Status.StatusFileService.FileName)));
        return doc.RootElement.GetProperty(name).Clone();
    }

    private JsonElement? KalshiStatus()
    {
        var path = Path.Combine(_dir.Path, KxCollector.Status.StatusFileService.FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.GetProperty("kalshi").Clone();
    }

    private List<JsonElement> Lines(string type) =>
        Directory.GetFiles(_dir.Path, "kxbtc15m-*.jsonl").Order(StringComparer.Ordinal)
            .SelectMany(f =>
            {
                using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            })
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Where(e => e.GetProperty("type").GetString() == type)
            .ToList();
}
