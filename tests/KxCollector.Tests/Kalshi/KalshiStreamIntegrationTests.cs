using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using KxCollector.Fakes.Kalshi;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Hosting;
using Serilog.Core;
using Serilog.Events;

namespace KxCollector.Tests.Kalshi;

/// <summary>
/// The real host against the fake Kalshi REST server and the fake Kalshi WebSocket, in real time (a few seconds
/// each): two series at once, quotes switching between the stream and the poll as the stream comes and goes,
/// trades written once, books, sequence gaps and a silent link.
/// </summary>
public sealed class KalshiStreamIntegrationTests : IAsyncLifetime
{
    private const string BtcMarket = "KXBTC15M-26JUL222315-15";
    private const string NflMarket = "KXNFLGAME-26NOV22KCBUF-KC";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _dir = new();
    private readonly CapturingSink _log = new();
    private FakeKalshiServer _rest = null!;
    private FakeKalshiWebSocket _ws = null!;
    private string _keyPath = null!;

    public async Task InitializeAsync()
    {
        _rest = await FakeKalshiServer.StartAsync();
        _ws = await FakeKalshiWebSocket.StartAsync();
        var now = TimeProvider.System.GetUtcNow();
        _rest.AddMarket(new FakeMarket { Ticker = BtcMarket, OpenTime = now.AddMinutes(-5), CloseTime = now.AddMinutes(10), FloorStrike = 65744.55m });
        _rest.AddMarket(new FakeMarket
        {
            Ticker = NflMarket,
            OpenTime = now.AddHours(-1),
            CloseTime = now.AddHours(3),
            YesBid = "0.6000",
            YesAsk = "0.6100",
            NoBid = "0.3900",
            NoAsk = "0.4000",
            LastPrice = "0.6000",
        });
        _ws.RequireSignatures(TestKeys.PublicPem, TestKeys.KeyId);
        _ws.SetBook(BtcMarket, [("0.0500", "120.00"), ("0.0610", "4000.00"), ("0.0100", "2500.00")], [("0.9300", "800.00"), ("0.9380", "22.00")]);
        _ws.SetBook(NflMarket, [("0.6150", "10.50")], []);
        await _ws.PublishTickerAsync(BtcMarket, "0.0610", "0.0620", price: "0.0610");
        await _ws.PublishTickerAsync(NflMarket, "0.6150", "0.6250", price: "0.6200");
        _keyPath = TestKeys.WriteKeyFile(_dir.Path, TestKeys.Pkcs1Pem);
    }

    public async Task DisposeAsync()
    {
        await _ws.DisposeAsync();
        await _rest.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Two_series_record_stream_quotes_books_and_trades_and_fall_back_to_the_poll_while_the_stream_is_down()
    {
        _rest.RequireSignatures(TestKeys.PublicPem, TestKeys.KeyId);
        using var host = BuildHost(["KXBTC15M", "KXNFLGAME"], bookDepth: 2);
        await host.StartAsync();
        try
        {
            await Poll.UntilAsync(() => LastEntry("kxbtc15m", BtcMarket)?.Src == "ws" && LastEntry("kxnflgame", NflMarket)?.Src == "ws", Timeout, Describe);

            await _ws.PublishTradeAsync(BtcMarket, "trade-1", "0.0610", "0.9390", "5.00", "yes");
            await _ws.PublishTradeAsync(BtcMarket, "trade-1", "0.0610", "0.9390", "5.00", "yes");
            await _ws.PublishTradeAsync(NflMarket, "trade-2", "0.6150", "0.3850", "2.50", "no");
            await _ws.PublishLifecycleAsync(NflMarket, "metadata_updated");
            await Poll.UntilAsync(() => Lines("kxnflgame", "lifecycle").Count == 1 && Lines("kxbtc15m", "trade").Count == 1, Timeout, Describe);

            // The stream goes down and stays down for a while: the poll fills in.
            _ws.RefuseConnections = true;
            _ws.DisconnectAll();
            var cut = TimeProvider.System.GetUtcNow();
            await Poll.UntilAsync(() => LastEntry("kxbtc15m", BtcMarket) is { Src: "rest" } e && e.Ts > cut && LastEntry("kxnflgame", NflMarket)?.Src == "rest", Timeout, Describe);

            _ws.RefuseConnections = false;
            var back = TimeProvider.System.GetUtcNow();
            await Poll.UntilAsync(() => LastEntry("kxbtc15m", BtcMarket) is { Src: "ws" } e && e.Ts > back, Timeout, Describe);
            await _ws.PublishTradeAsync(BtcMarket, "trade-1", "0.0610", "0.9390", "5.00", "yes");
            await _ws.PublishTradeAsync(BtcMarket, "trade-3", "0.0620", "0.9380", "1.00", "no");
            await Poll.UntilAsync(() => Lines("kxbtc15m", "trade").Count == 2, Timeout, Describe);
        }
        finally
        {
            await host.StopAsync();
        }

        var btcTicks = Lines("kxbtc15m", "tick");
        var nflTicks = Lines("kxnflgame", "tick");
        btcTicks.Select(Keys).Should().OnlyContain(k => k == "type,ts,brti,official_index,official_index_ts,coinbase,kraken,bitstamp,markets", "BTC series settle on BRTI, the official one beside the proxy");
        nflTicks.Select(Keys).Should().OnlyContain(k => k == "type,ts,markets", "sports ticks carry markets only");
        nflTicks.Should().OnlyContain(t => t.GetProperty("markets").EnumerateArray().All(m => m.GetProperty("ticker").GetString() == NflMarket));

        var ws = Entries("kxbtc15m", BtcMarket).First(e => e.Src == "ws").Json;
        ws.Should().MatchRegex("""^\{"ticker":"KXBTC15M-26JUL222315-15","status":"active","yes_bid":6.1,"yes_ask":6.2,"no_bid":93.8,"no_ask":93.9,"last_price":6.1,"volume":1552146.8,"open_interest":480556.08,"strike":65744.55,"secs_left":\d+,"age_ms":\d+,"src":"ws","yes_book":\[\[6.1,4000\],\[5,120\]\],"no_book":\[\[93.8,22\],\[93,800\]\]\}$""");
        var rest = Entries("kxbtc15m", BtcMarket).Last(e => e.Src == "rest").Json;
        rest.Should().Contain("\"yes_bid\":5.6").And.Contain("\"yes_book\":null,\"no_book\":null", "books exist only while the stream is up");
        Entries("kxnflgame", NflMarket).First(e => e.Src == "ws").Json.Should().Contain("\"yes_bid\":61.5").And.Contain("\"yes_book\":[[61.5,10.5]],\"no_book\":[]");

        Lines("kxbtc15m", "trade").Select(t => t.GetProperty("trade_id").GetString()).Should().Equal("trade-1", "trade-3");
        var trade = Lines("kxnflgame", "trade").Should().ContainSingle().Subject;
        trade.GetProperty("yes_price").GetRawText().Should().Be("61.5");
        trade.GetProperty("count").GetRawText().Should().Be("2.5");
        Lines("kxnflgame", "lifecycle").Single().GetProperty("event").GetString().Should().Be("metadata_updated");

        _ws.Upgrades.Where(u => u.StatusCode == 101).Should().HaveCountGreaterThanOrEqualTo(2).And.OnlyContain(u => u.SignatureValid == true);
        _rest.Requests.Should().OnlyContain(r => r.SignatureValid == true, "REST is signed too when a key is configured");
        _ws.Upgrades.Select(u => u.Timestamp).Should().OnlyHaveUniqueItems("every connect is signed afresh");
        _log.Text.Should().NotContain(TestKeys.KeyId).And.NotContain(_ws.Upgrades[0].Signature!);
    }

    [Fact]
    public async Task Markets_beyond_the_per_connection_limit_get_a_connection_of_their_own()
    {
        using var host = BuildHost(["KXBTC15M", "KXNFLGAME"], bookDepth: 0, maxMarketsPerConnection: 1);
        await host.StartAsync();
        try
        {
            await Poll.UntilAsync(() => LastEntry("kxbtc15m", BtcMarket)?.Src == "ws" && LastEntry("kxnflgame", NflMarket)?.Src == "ws", Timeout, Describe);
        }
        finally
        {
            await host.StopAsync();
        }

        _ws.Upgrades.Where(u => u.StatusCode == 101).Should().HaveCount(2);
        var subscribes = _ws.Commands.Where(c => c.Contains("\"subscribe\"", StringComparison.Ordinal)).ToList();
        subscribes.Should().ContainSingle(c => c.Contains("market_lifecycle_v2", StringComparison.Ordinal), "one connection carries the lifecycle channel");
        subscribes.Where(c => c.Contains("market_tickers", StringComparison.Ordinal)).Should().HaveCount(2)
            .And.OnlyContain(c => c.Contains(BtcMarket, StringComparison.Ordinal) != c.Contains(NflMarket, StringComparison.Ordinal), "one market per connection");
    }

    [Fact]
    public async Task A_market_opening_within_two_minutes_is_subscribed_before_its_open_and_its_first_trade_is_written()
    {
        // The open list would find it a poll (or a CDN copy's 15 s) after its open; its first trades must not fall in that gap.
        const string next = "KXBTC15M-26JUL222330-30";
        const string later = "KXBTC15M-26JUL222345-45";
        var now = TimeProvider.System.GetUtcNow();
        _rest.AddMarket(new FakeMarket { Ticker = next, OpenTime = now.AddSeconds(90), CloseTime = now.AddMinutes(16.5) });
        _rest.AddMarket(new FakeMarket { Ticker = later, OpenTime = now.AddMinutes(10), CloseTime = now.AddMinutes(25) });
        using var host = BuildHost(["KXBTC15M"], bookDepth: 0);
        await host.StartAsync();
        try
        {
            bool Subscribed(string ticker) => _ws.Commands.Any(c => c.Contains("market_tickers", StringComparison.Ordinal) && c.Contains(ticker, StringComparison.Ordinal));
            await Poll.UntilAsync(() => Subscribed(next) && LastEntry("kxbtc15m", BtcMarket)?.Src == "ws", Timeout, () => string.Join(" | ", _ws.Commands) + " " + Describe());
            await _ws.PublishTradeAsync(next, "first-of-next", "0.5000", "0.5000", "3.00", "yes");
            await Poll.UntilAsync(() => Lines("kxbtc15m", "trade").Count == 1, Timeout, Describe);
            TimeProvider.System.GetUtcNow().Should().BeBefore(now.AddSeconds(90), "all of this happened before the market opened");
            Subscribed(later).Should().BeFalse("a market opening in 10 minutes is beyond the lead");
        }
        finally
        {
            await host.StopAsync();
        }

        Lines("kxbtc15m", "trade").Single().GetProperty("ticker").GetString().Should().Be(next);
        Lines("kxbtc15m", "tick").Should().OnlyContain(t => t.GetProperty("markets").EnumerateArray().All(m => m.GetProperty("ticker").GetString() == BtcMarket), "a market not open yet is subscribed, not in the tick");
    }

    [Fact]
    public async Task A_refused_signature_leaves_the_poll_in_charge_and_says_why()
    {
        using var other = RSA.Create(2048);
        _ws.RequireSignatures(other.ExportSubjectPublicKeyInfoPem(), TestKeys.KeyId);
        using var host = BuildHost(["KXBTC15M"], bookDepth: 0);
        await host.StartAsync();
        try
        {
            await Poll.UntilAsync(() => _ws.Upgrades.Count(u => u.StatusCode == 401) >= 2 && Lines("kxbtc15m", "tick").Count >= 2, Timeout, Describe);
        }
        finally
        {
            await host.StopAsync();
        }

        Entries("kxbtc15m", BtcMarket).Should().NotBeEmpty().And.OnlyContain(e => e.Src == "rest");
        Entries("kxbtc15m", BtcMarket).Last().Json.Should().NotContain("yes_book", "BOOK_DEPTH=0 writes no book keys");
        _log.Text.Should().Contain("401");
    }

    [Fact]
    public async Task Without_a_key_there_is_no_stream_and_one_line_says_what_is_lost()
    {
        using var host = BuildHost(["KXBTC15M"], bookDepth: 0, withKey: false);
        await host.StartAsync();
        try
        {
            await Poll.UntilAsync(() => Entries("kxbtc15m", BtcMarket).Count >= 1, Timeout, Describe);
        }
        finally
        {
            await host.StopAsync();
        }

        _ws.Upgrades.Should().BeEmpty();
        _log.Lines.Where(l => l.Contains("Kalshi stream off", StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Should().Contain("trade lines").And.Contain("order books").And.Contain("REST poll");
    }

    [Fact]
    public async Task A_sequence_gap_brings_a_fresh_snapshot_and_a_silent_link_is_replaced()
    {
        using var host = BuildHost(["KXBTC15M"], bookDepth: 3);
        await host.StartAsync();
        try
        {
            await Poll.UntilAsync(() => LastEntry("kxbtc15m", BtcMarket)?.Src == "ws" && LastEntry("kxbtc15m", BtcMarket)?.Json.Contains("[[6.1,4000]") == true, Timeout, Describe);

            _ws.DropNextDeltas(1);
            await _ws.PublishDeltaAsync(BtcMarket, "yes", "0.0630", "7.00");
            await _ws.PublishDeltaAsync(BtcMarket, "yes", "0.0640", "1.50");
            await Poll.UntilAsync(() => _ws.Commands.Any(c => c.Contains("get_snapshot", StringComparison.Ordinal)), Timeout, Describe);
            await Poll.UntilAsync(() => LastEntry("kxbtc15m", BtcMarket)?.Json.Contains("\"yes_book\":[[6.4,1.5],[6.3,7],[6.1,4000]]", StringComparison.Ordinal) == true, Timeout, Describe);

            var connects = _ws.Upgrades.Count;
            _ws.Silent = true;
            await Poll.UntilAsync(() => _ws.Upgrades.Count > connects, Timeout, Describe);
            _ws.Silent = false;
            var back = TimeProvider.System.GetUtcNow();
            await Poll.UntilAsync(() => LastEntry("kxbtc15m", BtcMarket) is { Src: "ws" } e && e.Ts > back, Timeout, Describe);
        }
        finally
        {
            await host.StopAsync();
        }

        Entries("kxbtc15m", BtcMarket).Select(e => e.Json).Should().NotContain(j => j.Contains("[[6.4,1.5],[6.1,4000]", StringComparison.Ordinal), "a book that missed a delta is never written");
        _ws.Commands.Should().Contain(c => c.Contains("list_subscriptions", StringComparison.Ordinal), "a quiet link is probed before it is given up");
        _log.Text.Should().MatchRegex("silent for|unanswered", "the dead link is noticed by the silence timer or by the probe left unanswered, whichever fires first");
    }

    [Fact]
    public async Task A_sequence_gap_is_healed_by_exactly_one_get_snapshot_with_no_reconnect()
    {
        using var host = BuildHost(["KXBTC15M"], bookDepth: 3);
        await host.StartAsync();
        try
        {
            await Poll.UntilAsync(() => LastEntry("kxbtc15m", BtcMarket)?.Json.Contains("[[6.1,4000]", StringComparison.Ordinal) == true, Timeout, Describe);
            var connects = _ws.Upgrades.Count;

            _ws.DropNextDeltas(1);
            await _ws.PublishDeltaAsync(BtcMarket, "yes", "0.0630", "7.00");
            await _ws.PublishDeltaAsync(BtcMarket, "yes", "0.0640", "1.50");
            await Poll.UntilAsync(() => LastEntry("kxbtc15m", BtcMarket)?.Json.Contains("\"yes_book\":[[6.4,1.5],[6.3,7],[6.1,4000]]", StringComparison.Ordinal) == true, Timeout, Describe);

            // The fake answers get_snapshot as the spec says (snapshots with the command's id, no "ok"): well past
            // the silence timeout (1.5 s here, 20 s by default) the connection must still be the first one.
            var healed = TimeProvider.System.GetUtcNow();
            await Poll.UntilAsync(() => LastEntry("kxbtc15m", BtcMarket) is { } e && e.Ts > healed.AddSeconds(5), Timeout, Describe);
            _ws.Upgrades.Count.Should().Be(connects, "a gap costs one snapshot, not the connection");
        }
        finally
        {
            await host.StopAsync();
        }

        _ws.Commands.Count(c => c.Contains("get_snapshot", StringComparison.Ordinal)).Should().Be(1);
        _ws.Commands.Should().NotContain(c => c.Contains("\"cmd\":\"unsubscribe\"", StringComparison.Ordinal), "the snapshots answered the command: the books were not resubscribed either");
        _log.Text.Should().NotContain("unanswered");
    }

    [Fact]
    public async Task An_overflow_error_on_the_book_subscription_is_followed_by_a_resubscribe_and_fresh_books_with_no_reconnect()
    {
        using var host = BuildHost(["KXBTC15M"], bookDepth: 2);
        await host.StartAsync();
        try
        {
            await Poll.UntilAsync(() => LastEntry("kxbtc15m", BtcMarket)?.Json.Contains("\"yes_book\":[[6.1,4000],[5,120]]", StringComparison.Ordinal) == true, Timeout, Describe);
            var connects = _ws.Upgrades.Count;

            // The book moves on Kalshi's side while our subscription is being dropped: only a new snapshot tells.
            _ws.SetBook(BtcMarket, [("0.0700", "55.00"), ("0.0500", "120.00")], [("0.9200", "10.00")]);
            await _ws.EndSubscriptionsAsync("orderbook_delta");

            await Poll.UntilAsync(() => LastEntry("kxbtc15m", BtcMarket)?.Json.Contains("\"yes_book\":[[7,55],[5,120]],\"no_book\":[[92,10]]", StringComparison.Ordinal) == true, Timeout, Describe);
            _ws.Upgrades.Count.Should().Be(connects, "error 25 costs the book subscription, not the connection");
        }
        finally
        {
            await host.StopAsync();
        }

        _ws.Commands.Count(c => c.Contains("\"channels\":[\"orderbook_delta\"]", StringComparison.Ordinal)).Should().Be(1, "the book channel alone is subscribed again");
        var books = Entries("kxbtc15m", BtcMarket).Select(e => e.Json).SkipWhile(j => !j.Contains("[[6.1,4000]", StringComparison.Ordinal)).ToList();
        books.SkipWhile(j => j.Contains("[[6.1,4000]", StringComparison.Ordinal)).Should().NotContain(j => j.Contains("[[6.1,4000]", StringComparison.Ordinal), "the stale book is never written again");
        _log.Text.Should().MatchRegex("ended the \"?orderbook_delta\"? subscription");
        _ws.Commands.Should().Contain(c => c.Contains("\"use_yes_price\":false", StringComparison.Ordinal) && c.Contains("\"send_initial_snapshot\":true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_settlement_line_takes_REST_s_expiration_value_while_the_stream_s_determined_said_1_0000()
    {
        // Kalshi's close times are whole seconds; REST publishes the result 4 s after close, the stream says
        // "determined" (payout 1.0000) a second after close.
        var closeAt = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() + 3);
        const string Closing = "KXBTC15M-26JUL222300-00";
        _rest.AddMarket(new FakeMarket
        {
            Ticker = Closing,
            OpenTime = closeAt.AddMinutes(-15),
            CloseTime = closeAt,
            FinalizeAfterClose = TimeSpan.FromSeconds(4),
            FloorStrike = 65700m,
            Result = "yes",
            ExpirationValue = "65,801.23",
        });
        using var host = BuildHost(["KXBTC15M"], bookDepth: 0);
        await host.StartAsync();
        try
        {
            await Poll.UntilAsync(() => _ws.Commands.Any(c => c.Contains("market_lifecycle_v2", StringComparison.Ordinal)) && LastEntry("kxbtc15m", Closing) is not null, Timeout, Describe);
            await Poll.UntilAsync(() => TimeProvider.System.GetUtcNow() >= closeAt.AddSeconds(1), Timeout, Describe);
            await _ws.PublishDeterminedAsync(Closing, "yes");
            await Poll.UntilAsync(() => Lines("kxbtc15m", "settlement").Count == 1, Timeout, Describe);
        }
        finally
        {
            await host.StopAsync();
        }

        var settlement = Lines("kxbtc15m", "settlement").Single();
        settlement.GetProperty("ticker").GetString().Should().Be(Closing);
        settlement.GetProperty("expiration_value").GetRawText().Should().Be("65801.23", "expiration_value comes from REST only, never the stream's payout");
        settlement.GetProperty("ts").GetDateTimeOffset().Should().BeOnOrAfter(closeAt.AddSeconds(4), "it waits for REST's result");
        var lifecycle = Lines("kxbtc15m", "lifecycle").Single(l => l.GetProperty("ticker").GetString() == Closing);
        lifecycle.GetProperty("event").GetString().Should().Be("determined");
        lifecycle.GetProperty("yes_payout").GetRawText().Should().Be("100", "the payout per YES contract, in cents");
        lifecycle.TryGetProperty("settlement_value", out _).Should().BeFalse();
    }

    [Fact]
    public async Task After_a_restart_the_settlement_of_a_market_that_closed_while_down_is_recorded_against_a_fake_refusing_incompatible_filters()
    {
        var now = TimeProvider.System.GetUtcNow();
        var state = KxCollector.Kalshi.KalshiStateFile.Load(_dir.Path, "kxbtc15m", Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        state.Watermark = now.AddMinutes(-20);
        state.Save();
        const string Missed = "KXBTC15M-26JUL222245-45";
        _rest.AddMarket(new FakeMarket
        {
            Ticker = Missed,
            OpenTime = now.AddMinutes(-25),
            CloseTime = DateTimeOffset.FromUnixTimeSeconds(now.AddMinutes(-10).ToUnixTimeSeconds()),
            Result = "no",
            ExpirationValue = "65,123.45",
        });
        _rest.RequireSignatures(TestKeys.PublicPem, TestKeys.KeyId);
        _rest.RejectIncompatibleFilters.Should().BeTrue();

        using var host = BuildHost(["KXBTC15M"], bookDepth: 0);
        await host.StartAsync();
        try
        {
            await Poll.UntilAsync(() => Lines("kxbtc15m", "settlement").Count == 1, Timeout, Describe);
        }
        finally
        {
            await host.StopAsync();
        }

        var settlement = Lines("kxbtc15m", "settlement").Single();
        settlement.GetProperty("ticker").GetString().Should().Be(Missed);
        settlement.GetProperty("result").GetString().Should().Be("no");
        settlement.GetProperty("expiration_value").GetRawText().Should().Be("65123.45");
        _rest.Requests.Where(r => r.Path.EndsWith("/markets", StringComparison.Ordinal)).Should().OnlyContain(r => r.StatusCode == 200, "only documented filter pairs are asked");
        _rest.Requests.Should().Contain(r => r.Query.Contains("status=settled", StringComparison.Ordinal) && r.Query.Contains("min_settled_ts=", StringComparison.Ordinal));
    }

    private static string Keys(JsonElement line) => string.Join(',', line.EnumerateObject().Select(p => p.Name));

    private IHost BuildHost(string[] series, int bookDepth, bool withKey = true, int maxMarketsPerConnection = 200)
    {
        var kalshi = KalshiTestRig.Options(_rest, _ws, withKey ? _keyPath : null, silenceTimeout: TimeSpan.FromSeconds(1.5), maxMarketsPerConnection: maxMarketsPerConnection);
        return CollectorTestHost.Build(CollectorTestHost.Options(_dir.Path, kalshi, seriesTicker: series[0], series: series, bookDepth: bookDepth), _log, LogEventLevel.Verbose);
    }

    private string Describe() =>
        $"upgrades: {string.Join(",", _ws.Upgrades.Select(u => u.StatusCode))}; last btc entry: {LastEntry("kxbtc15m", BtcMarket)?.Json}; " +
        $"last nfl entry: {LastEntry("kxnflgame", NflMarket)?.Json}; log tail: {string.Join(" | ", _log.Lines.TakeLast(5))}";

    private List<string> RawLines(string prefix) =>
        Directory.GetFiles(_dir.Path, prefix + "-*.jsonl").OrderBy(f => f, StringComparer.Ordinal)
            .SelectMany(f =>
            {
                using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);

                // A line being appended right now may be read half; only whole lines count.
                var text = reader.ReadToEnd();
                return text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries);
            })
            .ToList();

    private List<JsonElement> Lines(string prefix, string type) =>
        RawLines(prefix).Select(l => JsonDocument.Parse(l).RootElement.Clone()).Where(e => e.GetProperty("type").GetString() == type).ToList();

    private List<(DateTimeOffset Ts, string Src, string Json)> Entries(string prefix, string ticker) =>
        Lines(prefix, "tick")
            .SelectMany(t => t.GetProperty("markets").EnumerateArray()
                .Where(m => m.GetProperty("ticker").GetString() == ticker)
                .Select(m => (t.GetProperty("ts").GetDateTimeOffset(), m.GetProperty("src").GetString()!, m.GetRawText())))
            .ToList();

    private (DateTimeOffset Ts, string Src, string Json)? LastEntry(string prefix, string ticker) =>
        Entries(prefix, ticker) is { Count: > 0 } list ? list[^1] : null;

    /// <summary>Keeps every rendered log line, so tests can assert what was said (and that no secret was).</summary>
    private sealed class CapturingSink : ILogEventSink
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => _lines.ToArray();

        public string Text => string.Join('\n', _lines);

        public void Emit(LogEvent logEvent)
        {
            ArgumentNullException.ThrowIfNull(logEvent);
            _lines.Enqueue(logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture) + (logEvent.Exception is { } ex ? " " + ex : string.Empty));
        }
    }
}
