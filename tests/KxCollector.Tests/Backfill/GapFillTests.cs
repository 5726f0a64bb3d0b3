using KxCollector.Records;
using System.Globalization;
using System.Text;
using System.Text.Json;
using KxCollector.Backfill;
using KxCollector.Configuration;
using KxCollector.Fakes.Kalshi;
using KxCollector.Kalshi;
using KxCollector.Recording;
using KxCollector.Tests.Kalshi;
using KxCollector.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace KxCollector.Tests.Backfill;

/// <summary>The real host restarted after a 10-minute outage, against the fake Kalshi, in real time.</summary>
public sealed class GapFillTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private FakeKalshiServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeKalshiServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task After_a_10_minute_outage_the_missed_trades_candles_and_settlements_are_written_once_as_backfill()
    {
        var now = TimeProvider.System.GetUtcNow();
        var lastTick = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddMinutes(-10).AddMilliseconds(1);
        WriteTicks(lastTick);
        var state = KalshiStateFile.Load(_dir.Path, "kxbtc15m", NullLogger.Instance);
        state.Watermark = lastTick;
        state.Save();

        // Closed and settled during the outage; traded before and during it.
        var settled = new FakeMarket
        {
            Ticker = "KXBTC15M-26NOV211200-00",
            OpenTime = lastTick.AddMinutes(-12),
            CloseTime = lastTick.AddMinutes(3),
            FinalizeAfterClose = TimeSpan.FromSeconds(11),
            FloorStrike = 98000m,
            Result = "no",
            ExpirationValue = "97,950.12",
        };
        settled.Trades.Add(new FakeTrade { TradeId = "before-the-outage", CreatedTime = lastTick.AddMinutes(-2) });
        settled.Trades.Add(new FakeTrade { TradeId = "missed-1", CreatedTime = lastTick.AddMinutes(1) });
        settled.Trades.Add(new FakeTrade { TradeId = "missed-2", CreatedTime = lastTick.AddMinutes(2.5), YesPrice = "0.0120", NoPrice = "0.9880" });
        for (var m = -11; m <= 3; m++)
        {
            settled.Candles.Add(new FakeCandle { End = settled.OpenTime.AddMinutes(m + 12) });
        }

        // Opened during the outage and still trading.
        var open = new FakeMarket { Ticker = "KXBTC15M-26NOV211215-15", OpenTime = settled.CloseTime, CloseTime = settled.CloseTime.AddMinutes(15), FloorStrike = 97950.12m };
        open.Trades.Add(new FakeTrade { TradeId = "missed-3", CreatedTime = lastTick.AddMinutes(5) });
        open.Trades.Add(new FakeTrade { TradeId = "after-the-restart", CreatedTime = now.AddSeconds(30) });
        _fake.AddMarket(settled);
        _fake.AddMarket(open);

        using var host = BuildHost();
        await host.StartAsync();
        var filler = host.Services.GetRequiredService<GapFillService>();
        try
        {
            await Poll.UntilAsync(() => filler.Completed is not null && SettlementLines().Count > 0, TimeSpan.FromSeconds(20), () => $"filled: {filler.Completed is not null}, settlements: {SettlementLines().Count}");
        }
        finally
        {
            await host.StopAsync();
        }

        var trades = Backfilled("trades");
        trades.Select(t => t.GetProperty("trade_id").GetString()).Should().BeEquivalentTo(["missed-1", "missed-2", "missed-3"], "only trades inside the hole are reconstructed");
        trades.Single(t => t.GetProperty("trade_id").GetString() == "missed-2").GetProperty("yes_price").GetRawText().Should().Be("1.2");
        trades.Should().OnlyContain(t => t.GetProperty("src").GetString() == "backfill");

        var candles = Backfilled("candles-1m");
        candles.Should().NotBeEmpty().And.OnlyContain(c => c.GetProperty("ticker").GetString() == settled.Ticker && c.GetProperty("interval").GetString() == "1m");
        candles.Select(c => DateTimeOffset.Parse(c.GetProperty("end").GetString()!, CultureInfo.InvariantCulture))
            .Should().OnlyContain(end => end > lastTick && end <= settled.CloseTime, "only the candles of the hole");

        var market = Backfilled("markets").Should().ContainSingle().Subject;
        market.GetProperty("ticker").GetString().Should().Be(settled.Ticker);
        market.GetProperty("result").GetString().Should().Be("no");
        market.GetProperty("expiration_value").GetRawText().Should().Be("97950.12");

        var settlement = SettlementLines().Should().ContainSingle("the settlement recorder writes the one line; gap filling adds none").Subject;
        settlement.GetProperty("ticker").GetString().Should().Be(settled.Ticker);
        settlement.GetProperty("src").GetString().Should().Be("backfill", "the market closed while the collector was down");
        settlement.GetProperty("brti_samples").GetInt32().Should().Be(0);
        PendingGaps.Load(_dir.Path, "kxbtc15m", NullLogger.Instance).Gaps.Should().BeEmpty();
    }

    [Fact]
    public async Task The_real_host_with_two_series_fills_each_series_own_hole_and_settles_its_markets_as_backfill()
    {
        var now = TimeProvider.System.GetUtcNow();
        var second = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

        // The BTC file stopped 10 minutes ago, the NFL file 6 minutes ago: two holes of different lengths.
        var btcLast = second.AddMinutes(-10).AddMilliseconds(1);
        var nflLast = second.AddMinutes(-6).AddMilliseconds(1);
        WriteTicks(btcLast);
        WriteTicks(nflLast, "kxnflgame");
        foreach (var (prefix, last) in new[] { ("kxbtc15m", btcLast), ("kxnflgame", nflLast) })
        {
            var state = KalshiStateFile.Load(_dir.Path, prefix, NullLogger.Instance);
            state.Watermark = last;
            state.Save();
        }

        var btc = new FakeMarket
        {
            Ticker = "KXBTC15M-26NOV211200-00", OpenTime = btcLast.AddMinutes(-12), CloseTime = btcLast.AddMinutes(3),
            FinalizeAfterClose = TimeSpan.FromSeconds(11), FloorStrike = 98000m, Result = "yes", ExpirationValue = "98,010.5",
        };
        btc.Trades.Add(new FakeTrade { TradeId = "btc-in-hole", CreatedTime = btcLast.AddMinutes(2) });

        // This trade is inside the BTC hole's span but before the NFL file stopped: recorded live, not reconstructed.
        var nfl = new FakeMarket
        {
            Ticker = "KXNFLGAME-26NOV21KCBUF-KC", OpenTime = btcLast.AddHours(-2), CloseTime = nflLast.AddMinutes(2),
            FinalizeAfterClose = TimeSpan.FromSeconds(30), Result = "no", ExpirationValue = "0",
        };
        nfl.Trades.Add(new FakeTrade { TradeId = "nfl-recorded-live", CreatedTime = nflLast.AddMinutes(-2) });
        nfl.Trades.Add(new FakeTrade { TradeId = "nfl-in-hole", CreatedTime = nflLast.AddMinutes(1) });
        _fake.AddMarket(btc);
        _fake.AddMarket(nfl);

        using var host = CollectorTestHost.Build(Options("KXBTC15M", "KXNFLGAME"));
        await host.StartAsync();
        var filler = host.Services.GetRequiredService<GapFillService>();
        try
        {
            await Poll.UntilAsync(
                () => filler.Completed is not null && SettlementLines().Count > 0 && SettlementLines("kxnflgame").Count > 0,
                TimeSpan.FromSeconds(30),
                () => $"filled: {filler.Completed is not null}, settlements: {SettlementLines().Count} btc, {SettlementLines("kxnflgame").Count} nfl");
        }
        finally
        {
            await host.StopAsync();
        }

        Backfilled("trades").Select(t => t.GetProperty("trade_id").GetString()).Should().Equal("btc-in-hole");
        Backfilled("trades", "KXNFLGAME").Select(t => t.GetProperty("trade_id").GetString()).Should().Equal(["nfl-in-hole"], "the NFL hole starts where its own file stopped");

        var btcSettlement = SettlementLines().Should().ContainSingle().Subject;
        btcSettlement.GetProperty("ticker").GetString().Should().Be(btc.Ticker);
        btcSettlement.GetProperty("src").GetString().Should().Be("backfill");
        btcSettlement.TryGetProperty("brti_avg60", out _).Should().BeTrue();

        var nflSettlement = SettlementLines("kxnflgame").Should().ContainSingle().Subject;
        nflSettlement.GetProperty("ticker").GetString().Should().Be(nfl.Ticker);
        nflSettlement.GetProperty("result").GetString().Should().Be("no");
        nflSettlement.GetProperty("src").GetString().Should().Be("backfill");
        nflSettlement.TryGetProperty("brti_avg60", out _).Should().BeFalse("sports markets do not settle on the BRTI");
        PendingGaps.Load(_dir.Path, "kxbtc15m", NullLogger.Instance).Gaps.Should().BeEmpty();
        PendingGaps.Load(_dir.Path, "kxnflgame", NullLogger.Instance).Gaps.Should().BeEmpty();
    }

    [Fact]
    public async Task A_hole_left_unfilled_by_an_earlier_run_is_filled_on_the_next_start_and_forgotten()
    {
        var from = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);
        var to = from.AddMinutes(10);
        var market = new FakeMarket { Ticker = "KXBTC15M-26NOV210415-15", OpenTime = from.AddMinutes(-5), CloseTime = from.AddMinutes(10) };
        market.Trades.Add(new FakeTrade { TradeId = "in-the-hole", CreatedTime = from.AddMinutes(4) });
        market.Trades.Add(new FakeTrade { TradeId = "recorded-live", CreatedTime = from.AddMinutes(-1) });
        _fake.AddMarket(market);
        var log = new ListLogger();
        var pending = PendingGaps.Load(_dir.Path, "kxbtc15m", log);
        pending.Add(from, to);
        pending.Save().Should().BeTrue();
        using var bucket = new KxCollector.Kalshi.Rest.TokenBucket(50, 1, TimeProvider.System);
        using var rest = BackfillScenario.Client(_fake, bucket, log);
        using var service = new GapFillService(DowntimeProbe.None, rest, Options(), TimeProvider.System, new ListLogger<GapFillService>(log), TimeSpan.Zero);

        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(20));

        service.Completed.Should().NotBeNull(log.AllText);
        Backfilled("trades").Select(t => t.GetProperty("trade_id").GetString()).Should().Equal("in-the-hole");
        PendingGaps.Load(_dir.Path, "kxbtc15m", log).Gaps.Should().BeEmpty("a filled hole is not filled again");
    }

    [Fact]
    public async Task The_candle_spanning_the_restart_is_not_written_because_it_had_not_ended()
    {
        var from = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);
        var restart = from.AddMinutes(3.5);
        var market = new FakeMarket { Ticker = "KXBTC15M-26NOV210415-15", OpenTime = from.AddMinutes(-5), CloseTime = from.AddMinutes(10) };
        for (var m = 1; m <= 5; m++)
        {
            market.Candles.Add(new FakeCandle { End = from.AddMinutes(m) });
        }

        _fake.AddMarket(market);
        var log = new ListLogger();
        var holes = new Dictionary<string, Downtime?> { ["KXBTC15M"] = new Downtime(from, restart) };
        using var bucket = new KxCollector.Kalshi.Rest.TokenBucket(50, 1, TimeProvider.System);
        using var rest = BackfillScenario.Client(_fake, bucket, log);
        using var service = new GapFillService(new DowntimeProbe(holes), rest, Options(), TimeProvider.System, new ListLogger<GapFillService>(log), TimeSpan.Zero);

        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(20));

        service.Completed.Should().NotBeNull(log.AllText);
        Backfilled("candles-1m").Select(c => c.GetProperty("end").GetDateTimeOffset()).Should().Equal(
            [from.AddMinutes(1), from.AddMinutes(2), from.AddMinutes(3)],
            "the 09:04 candle was still open at the 09:03:30 restart");
    }

    [Fact]
    public async Task With_several_series_each_series_hole_is_filled_into_its_own_folder()
    {
        var from = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);
        var btc = new FakeMarket { Ticker = "KXBTC15M-26NOV210415-15", OpenTime = from.AddMinutes(-5), CloseTime = from.AddMinutes(10) };
        btc.Trades.Add(new FakeTrade { TradeId = "btc-in-its-hole", CreatedTime = from.AddMinutes(4) });
        btc.Trades.Add(new FakeTrade { TradeId = "btc-in-the-other-hole-only", CreatedTime = from.AddMinutes(-4) });
        var eth = new FakeMarket { Ticker = "KXETH15M-26NOV210415-15", OpenTime = from.AddMinutes(-5), CloseTime = from.AddMinutes(10) };
        eth.Trades.Add(new FakeTrade { TradeId = "eth-in-its-hole", CreatedTime = from.AddMinutes(-4) });
        eth.Trades.Add(new FakeTrade { TradeId = "eth-recorded-live", CreatedTime = from.AddMinutes(4) });
        _fake.AddMarket(btc);
        _fake.AddMarket(eth);
        var log = new ListLogger();

        // The ETH file stopped earlier than the BTC file: each series has its own hole.
        var holes = new Dictionary<string, Downtime?>
        {
            ["KXBTC15M"] = new Downtime(from, from.AddMinutes(10)),
            ["KXETH15M"] = new Downtime(from.AddMinutes(-5), from),
        };
        using var bucket = new KxCollector.Kalshi.Rest.TokenBucket(50, 1, TimeProvider.System);
        using var rest = BackfillScenario.Client(_fake, bucket, log);
        var options = Options("KXBTC15M", "KXETH15M");
        using var service = new GapFillService(new DowntimeProbe(holes), rest, options, TimeProvider.System, new ListLogger<GapFillService>(log), TimeSpan.Zero);

        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(20));

        service.Completed.Should().NotBeNull(log.AllText);
        Backfilled("trades").Select(t => t.GetProperty("trade_id").GetString()).Should().Equal("btc-in-its-hole");
        Backfilled("trades", "KXETH15M").Select(t => t.GetProperty("trade_id").GetString()).Should().Equal("eth-in-its-hole");
        PendingGaps.Load(_dir.Path, "kxbtc15m", log).Gaps.Should().BeEmpty();
        PendingGaps.Load(_dir.Path, "kxeth15m", log).Gaps.Should().BeEmpty();
    }

    [Fact]
    public void Each_series_downtime_is_read_from_its_own_data_file()
    {
        var now = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        WriteTicks(now.AddMinutes(-10));
        WriteTicks(now.AddMinutes(-30), "kxeth15m");
        var options = Options("KXBTC15M", "KXETH15M", "KXNFLGAME");

        var probe = DowntimeProbe.Detect(options, now);

        probe.For("KXBTC15M").Should().Be(new Downtime(now.AddMinutes(-10), now));
        probe.For("KXETH15M").Should().Be(new Downtime(now.AddMinutes(-30), now));
        probe.For("KXNFLGAME").Should().BeNull("a series with no file yet has no hole");
    }

    [Fact]
    public void A_first_start_or_a_quick_restart_is_no_downtime()
    {
        var now = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        Downtime.Detect(_dir.Path, "kxbtc15m", now).Should().BeNull("there are no data files");

        WriteTicks(now.AddSeconds(-3));
        Downtime.Detect(_dir.Path, "kxbtc15m", now).Should().BeNull("3 s is a restart, not an outage");

        var later = now.AddMinutes(10);
        Downtime.Detect(_dir.Path, "kxbtc15m", later).Should().Be(new Downtime(now.AddSeconds(-3), later));
    }

    /// <summary>Three ticks ending at <paramref name="last"/>, then a settlement line and a torn fragment, as a crash leaves them.</summary>
    private void WriteTicks(DateTimeOffset last, string prefix = "kxbtc15m")
    {
        var text = new StringBuilder();
        for (var i = 2; i >= 0; i--)
        {
            text.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"tick\",\"ts\":\"{JsonTimestamps.ToText(last.AddSeconds(-i))}\",\"brti\":null,\"coinbase\":null,\"kraken\":null,\"bitstamp\":null,\"markets\":[]}}\n");
        }

        text.Append("{\"type\":\"settlement\",\"ts\":\"" + JsonTimestamps.ToText(last) + "\",\"ticker\":\"KXBTC15M-OLD\"}\n{\"type\":\"tick\",\"ts\":\"20");
        var path = Path.Combine(_dir.Path, DayFileName.Of(prefix, DateOnly.FromDateTime(last.UtcDateTime)));
        File.AppendAllText(path, text.ToString());
    }

    private List<JsonElement> Backfilled(string kind, string series = "KXBTC15M")
    {
        var folder = DayFileName.BackfillDirectoryOf(_dir.Path, series);
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder, $"{series.ToLowerInvariant()}-{kind}-*.jsonl").SelectMany(File.ReadAllLines).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList()
            : [];
    }

    private List<JsonElement> SettlementLines(string prefix = "kxbtc15m") =>
        Directory.GetFiles(_dir.Path, prefix + "-*.jsonl")
            .SelectMany(f =>
            {
                using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            })
            .Where(l => l.StartsWith("{\"type\":\"settlement\"", StringComparison.Ordinal) && !l.Contains("KXBTC15M-OLD", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToList();

    private IHost BuildHost() => CollectorTestHost.Build(Options());

    private CollectorOptions Options(params string[] series) =>
        CollectorTestHost.Options(_dir.Path, KalshiTestRig.Options(_fake), series: series);
}
