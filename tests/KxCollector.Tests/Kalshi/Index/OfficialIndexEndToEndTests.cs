using System.Text.Json;
using KxCollector.Fakes.Kalshi;
using KxCollector.Recording;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Hosting;
using Serilog.Events;

namespace KxCollector.Tests.Kalshi.Index;

/// <summary>
/// The real host with a key against the fake Kalshi REST server and WebSocket over real sockets, in real time:
/// the fake publishes a cfbenchmarks_value print a second (and Kalshi's windowed average, on a 10 s period here so a
/// close with an average comes within seconds). The index lines, the ticks and the settlement line must carry the
/// fake's exact values; a refused subscription must leave the rest of the stream working.
/// </summary>
public sealed class OfficialIndexEndToEndTests : IAsyncLifetime
{
    private const string Index = "BRTI";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(40);

    private readonly TempDirectory _dir = new();
    private readonly CapturingLogSink _log = new();
    private FakeKalshiServer _rest = null!;
    private FakeKalshiWebSocket _ws = null!;
    private string _keyPath = null!;

    public async Task InitializeAsync()
    {
        _rest = await FakeKalshiServer.StartAsync();
        _ws = await FakeKalshiWebSocket.StartAsync();
        _ws.RequireSignatures(TestKeys.PublicPem, TestKeys.KeyId);
        _ws.IndexAveragePeriodSeconds = 10;
        _keyPath = TestKeys.WriteKeyFile(_dir.Path, TestKeys.Pkcs1Pem);
    }

    public async Task DisposeAsync()
    {
        await _ws.DisposeAsync();
        await _rest.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Index_lines_ticks_and_the_settlement_carry_the_official_prints_and_Kalshi_s_average()
    {
        // A close on the fake's 10 s average period, at least 8 s away, so several window prints are recorded.
        var nowSecond = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var closeSecond = ((nowSecond + 8) / 10 * 10) + 10;
        var close = DateTimeOffset.FromUnixTimeSeconds(closeSecond);
        var market = new FakeMarket
        {
            Ticker = "KXBTC15M-26NOV211215-15",
            OpenTime = close.AddMinutes(-15),
            CloseTime = close,
            FinalizeAfterClose = TimeSpan.FromSeconds(2),
            FloorStrike = 65000m,
            ExpirationValue = Math.Round(FakeKalshiWebSocket.IndexMean(Index, closeSecond - 60, closeSecond - 1), 2, MidpointRounding.AwayFromZero).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        _rest.AddMarket(market);

        using var host = BuildHost();
        await host.StartAsync();
        try
        {
            await Poll.UntilAsync(() => Lines("settlement").Count > 0, Timeout + TimeSpan.FromSeconds(20), Describe);

            // A reconnect, then a print the collector has already written sent again (as Kalshi may replay the latest
            // print to a new subscription): seen, counted as a repeat, never written twice. The fake's own replay on
            // resubscribe is not relied on: when the reconnect takes over a second it is a print this session missed.
            var before = Lines("index").Count;
            _ws.DisconnectAll();
            await Poll.UntilAsync(() => Lines("index").Count >= before + 3, Timeout, Describe);
            var written = TickSchedule.SecondOf(Lines("index")[^1].GetProperty("ts").GetDateTimeOffset());
            await _ws.PublishIndexPrintsAsync(written);
            await Poll.UntilAsync(
                () => OfficialStatus() is { } s && s.GetProperty("state").GetString() == "subscribed" && s.GetProperty("print_repeats").GetInt64() > 0,
                Timeout,
                Describe);
            OfficialStatus()!.Value.GetProperty("indexes").GetProperty(Index).GetProperty("last_print_age_s").GetDouble().Should().BeLessThan(5);
        }
        finally
        {
            await host.StopAsync();
        }

        // One index line per second, each with the fake's value for its second, none twice.
        var prints = Lines("index");
        var seconds = prints.Select(p => TickSchedule.SecondOf(p.GetProperty("ts").GetDateTimeOffset())).ToList();
        seconds.Should().OnlyHaveUniqueItems().And.BeInAscendingOrder();
        prints.Should().HaveCountGreaterThan(8);
        foreach (var print in prints)
        {
            print.GetProperty("index_id").GetString().Should().Be(Index);
            var second = TickSchedule.SecondOf(print.GetProperty("ts").GetDateTimeOffset());
            print.GetProperty("ts").GetDateTimeOffset().ToUnixTimeMilliseconds().Should().Be(second * 1000, "ts is CF's whole-second stamp");
            print.GetProperty("value").GetDecimal().Should().Be(FakeKalshiWebSocket.IndexValueAt(Index, second));
            print.GetProperty("received_at").GetDateTimeOffset().Should().BeAfter(print.GetProperty("ts").GetDateTimeOffset());
        }

        // Ticks carry the latest print and its second: usually the second before the tick's, never older than 3 s.
        var ticks = Lines("tick").Where(t => TickSchedule.SecondOf(t.GetProperty("ts").GetDateTimeOffset()) > seconds[0] + 1).ToList();
        ticks.Should().NotBeEmpty();
        var previousSecond = 0;
        foreach (var tick in ticks)
        {
            var names = tick.EnumerateObject().Select(p => p.Name).ToList();
            names.IndexOf("official_index").Should().Be(names.IndexOf("brti") + 1, "official_index follows brti");
            names.IndexOf("official_index_ts").Should().Be(names.IndexOf("official_index") + 1);
            var tickSecond = TickSchedule.SecondOf(tick.GetProperty("ts").GetDateTimeOffset());
            if (tick.GetProperty("official_index").ValueKind == JsonValueKind.Null)
            {
                tick.GetProperty("official_index_ts").ValueKind.Should().Be(JsonValueKind.Null);
                continue;
            }

            var printSecond = TickSchedule.SecondOf(tick.GetProperty("official_index_ts").GetDateTimeOffset());
            tick.GetProperty("official_index").GetDecimal().Should().Be(FakeKalshiWebSocket.IndexValueAt(Index, printSecond));
            (tickSecond - printSecond).Should().BeInRange(0, 3);
            previousSecond += tickSecond - printSecond == 1 ? 1 : 0;
        }

        previousSecond.Should().BeGreaterThan(ticks.Count / 2, "a print arrives ~200 ms after its second, so the tick at S holds S-1");

        // The settlement: the mean of the recorded prints stamped close-60 s ... close-1 s, and Kalshi's own average.
        var inWindow = prints
            .Where(p => TickSchedule.SecondOf(p.GetProperty("ts").GetDateTimeOffset()) is var s && s >= closeSecond - 60 && s <= closeSecond - 1)
            .Select(p => p.GetProperty("value").GetDecimal())
            .ToList();
        inWindow.Should().HaveCountGreaterThan(4);
        var settlement = Lines("settlement").Should().ContainSingle().Subject;
        settlement.GetProperty("expiration_value").GetDecimal().Should().Be(decimal.Parse(market.ExpirationValue, System.Globalization.CultureInfo.InvariantCulture));
        settlement.GetProperty("official_samples").GetInt32().Should().Be(inWindow.Count);
        settlement.GetProperty("official_avg60").GetDecimal().Should().Be(Math.Round(inWindow.Average(), 2, MidpointRounding.AwayFromZero));
        settlement.GetProperty("kalshi_avg60").GetDecimal().Should().Be(Math.Round(FakeKalshiWebSocket.IndexMean(Index, closeSecond - 59, closeSecond), 8));
        settlement.GetProperty("kalshi_avg60_window_size").GetInt32().Should().Be(60);
        settlement.GetProperty("kalshi_avg60_window_start").GetDateTimeOffset().Should().Be(close.AddSeconds(-60).AddMilliseconds(1));
        settlement.GetProperty("kalshi_avg60_window_end").GetDateTimeOffset().Should().Be(close.AddMilliseconds(1));
        settlement.TryGetProperty("brti_avg60", out _).Should().BeTrue("the proxy's mean stays");

        var subscribes = _ws.Commands.Where(c => c.Contains("cfbenchmarks_value", StringComparison.Ordinal)).ToList();
        subscribes.Should().NotBeEmpty();
        using var first = JsonDocument.Parse(subscribes[0]);
        first.RootElement.GetProperty("params").GetProperty("index_ids").EnumerateArray().Select(e => e.GetString()).Should().Equal(Index);
    }

    [Fact]
    public async Task A_refused_subscription_costs_the_index_only_the_stream_keeps_its_quotes_and_does_not_reconnect()
    {
        const string ticker = "KXBTC15M-26JUL222315-15";
        var now = TimeProvider.System.GetUtcNow();
        _rest.AddMarket(new FakeMarket { Ticker = ticker, OpenTime = now.AddMinutes(-5), CloseTime = now.AddMinutes(10), FloorStrike = 65744.55m });
        _ws.RefuseIndexSubscription = (17, "Channel not available for this account");
        await _ws.PublishTickerAsync(ticker, "0.0610", "0.0620", price: "0.0610");

        var healthPort = FreePorts.Loopback();
        using var host = BuildHost(healthPort);
        await host.StartAsync();
        try
        {
            await Poll.UntilAsync(() => OfficialStatus()?.GetProperty("state").GetString() == "refused", Timeout, Describe);
            OfficialStatus()!.Value.GetProperty("error").GetString().Should().Contain("17").And.Contain("Channel not available");

            // /health answers the same section (503 here: no exchange fakes run, so there is no fresh price).
            using var http = new HttpClient();
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{healthPort}/health"));
            using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            health.RootElement.GetProperty("official_index").GetProperty("state").GetString().Should().Be("refused");
            await Poll.UntilAsync(() => LastTickSrc(ticker) == "ws", Timeout, Describe);

            // Three more seconds of quotes from the same connection.
            var ticksBefore = Lines("tick").Count;
            await Poll.UntilAsync(() => Lines("tick").Count >= ticksBefore + 3, Timeout, Describe);
        }
        finally
        {
            await host.StopAsync();
        }

        _ws.Upgrades.Should().ContainSingle("a refusal never costs the connection");
        Lines("index").Should().BeEmpty();
        Lines("tick").Should().OnlyContain(t => t.GetProperty("official_index").ValueKind == JsonValueKind.Null);
        LastTickSrc(ticker).Should().Be("ws");
        _log.Lines.Count(l => l.Contains("refused cfbenchmarks_value", StringComparison.Ordinal)).Should().Be(1, "one warning");
    }

    private IHost BuildHost(int? healthPort = null) =>
        CollectorTestHost.Build(CollectorTestHost.Options(_dir.Path, KalshiTestRig.Options(_rest, _ws, _keyPath), healthPort: healthPort), _log, LogEventLevel.Verbose);


    private JsonElement? OfficialStatus()
    {
        var path = Path.Combine(_dir.Path, KxCollector.Status.StatusFileService.FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            return doc.RootElement.TryGetProperty("official_index", out var section) ? section.Clone() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private string? LastTickSrc(string ticker)
    {
        var entries = Lines("tick").SelectMany(t => t.GetProperty("markets").EnumerateArray())
            .Where(m => m.GetProperty("ticker").GetString() == ticker)
            .ToList();
        return entries.Count > 0 && entries[^1].TryGetProperty("src", out var src) ? src.GetString() : null;
    }

    private string Describe() =>
        $"upgrades: {string.Join(",", _ws.Upgrades.Select(u => u.StatusCode))}; published: {_ws.PublishedPrints.Count}; index lines: {Lines("index").Count}; " +
        $"status: {OfficialStatus()}; log tail: {string.Join(" | ", _log.Lines.TakeLast(6))}";

    private List<JsonElement> Lines(string type) => RecordedLines.Read(_dir.Path, "kxbtc15m", type);
}
