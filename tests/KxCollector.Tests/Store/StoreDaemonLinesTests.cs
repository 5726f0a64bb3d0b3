using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KxCollector.Configuration;
using KxCollector.Fakes.Kalshi;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Settlements;
using KxCollector.Store;
using KxCollector.Tests.Kalshi;
using KxCollector.Tests.Store.Support;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Hosting;
using KxCollector.Pricing;

namespace KxCollector.Tests.Store;

/// <summary>
/// The store against the lines the daemon itself writes, not hand-made ones: the real host with DATABASE_URL set,
/// recording two series (one file each) from the fake Kalshi REST server and WebSocket — stream quotes with books,
/// trades (one repeated on the wire), a lifecycle event with a result — then settlement lines from the recorder's
/// own formatter. Every line must land in its table once, and nothing may be skipped.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreDaemonLinesTests(PostgresServer server) : IAsyncLifetime
{
    private const string BtcMarket = "KXBTC15M-26JUL222315-15";
    private const string NflMarket = "KXNFLGAME-26NOV22KCBUF-KC";
    private const string CollectorId = "daemon-lines";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _dir = new();
    private FakeKalshiServer _rest = null!;
    private FakeKalshiWebSocket _ws = null!;
    private string _keyPath = null!;

    public async Task InitializeAsync()
    {
        _rest = await FakeKalshiServer.StartAsync();
        _ws = await FakeKalshiWebSocket.StartAsync();
        var now = TimeProvider.System.GetUtcNow();
        _rest.AddMarket(new FakeMarket { Ticker = BtcMarket, OpenTime = now.AddMinutes(-5), CloseTime = now.AddMinutes(10), FloorStrike = 65744.55m });
        _rest.AddMarket(new FakeMarket { Ticker = NflMarket, OpenTime = now.AddHours(-1), CloseTime = now.AddHours(3), YesBid = "0.6000", YesAsk = "0.6100", NoBid = "0.3900", NoAsk = "0.4000", LastPrice = "0.6000" });
        _ws.SetBook(BtcMarket, [("0.0500", "120.00"), ("0.0610", "4000.00")], [("0.9300", "800.00"), ("0.9380", "22.00")]);
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
    public async Task Every_line_the_daemon_writes_for_two_series_lands_in_its_table_once()
    {
        var db = await server.CreateDatabaseAsync();
        using (var host = BuildHost(db))
        {
            await host.StartAsync();
            try
            {
                await Poll.UntilAsync(() => Lines("kxbtc15m", "tick").Any(t => t.ToString().Contains("\"yes_book\":[[6.1,4000]", StringComparison.Ordinal)) && Lines("kxnflgame", "tick").Any(t => t.ToString().Contains("\"src\":\"ws\"", StringComparison.Ordinal)), Timeout, "stream quotes with books in both files");
                await _ws.PublishTradeAsync(BtcMarket, "trade-1", "0.0610", "0.9390", "5.00", "yes");
                await _ws.PublishTradeAsync(BtcMarket, "trade-1", "0.0610", "0.9390", "5.00", "yes");
                await _ws.PublishTradeAsync(NflMarket, "trade-2", "0.6150", "0.3850", "2.50", "no");
                await _ws.PublishDeterminedAsync(NflMarket, "yes", DateTimeOffset.FromUnixTimeSeconds(1795000000));
                await Poll.UntilAsync(() => Lines("kxnflgame", "lifecycle").Count == 1 && Lines("kxbtc15m", "trade").Count == 1 && Lines("kxnflgame", "trade").Count == 1, Timeout, "the trade and lifecycle lines");

                // A few more ticks after the events, and the store has had them all in the database at least once.
                var seen = Lines("kxbtc15m", "tick").Count;
                await Poll.UntilAsync(() => Lines("kxbtc15m", "tick").Count >= seen + 2, Timeout, "two more ticks");
            }
            finally
            {
                await host.StopAsync();
            }
        }

        // Settlement lines as the recorder formats them: a BRTI series with its 60 s average, a sports one without.
        // Written after every tick, as in the daemon: the market is finalized after its last quote.
        var close = TimeProvider.System.GetUtcNow().AddSeconds(-20);
        var btc = new KalshiMarket { Ticker = BtcMarket, Status = "finalized", CloseTime = close, FloorStrike = 65744.55m, Result = "no", ExpirationValue = 65701.2m };
        var nfl = new KalshiMarket { Ticker = NflMarket, Status = "finalized", CloseTime = close, Result = "yes", ExpirationValue = 1m };
        AppendLine("kxbtc15m", SettlementRecorder.Format(btc, TimeProvider.System.GetUtcNow(), new BrtiSum(65771.2m * 60, 60)));
        AppendLine("kxnflgame", SettlementRecorder.Format(nfl, TimeProvider.System.GetUtcNow(), default, includeBrti: false));

        // The same collector again picks up from its saved positions: only the settlement lines are new.
        await using (var store = await StoreRig.StartAsync(server, _dir.Path, db, CollectorId))
        {
            await Poll.UntilAsync(() => server.CountSoFar(db, "SELECT count(*) FROM settlements") == 2, Timeout, "both settlements in the database");
            await store.StopAsync();
        }

        var files = Directory.GetFiles(_dir.Path, "*.jsonl").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        files.Should().Contain(f => f!.StartsWith("kxbtc15m-", StringComparison.Ordinal)).And.Contain(f => f!.StartsWith("kxnflgame-", StringComparison.Ordinal));
        var positions = await server.QueryAsync(db, "SELECT file_name, byte_offset FROM ingest_positions WHERE collector_id = $1 ORDER BY 1", CollectorId);
        positions.Select(p => ((string)p[0]!, (long)p[1]!)).Should().Equal(files.Select(f => (f!, new FileInfo(Path.Combine(_dir.Path, f!)).Length)), "every file is read to its end");
        (await server.QueryAsync(db, "SELECT lines_skipped FROM collectors WHERE collector_id = $1", CollectorId)).Single()[0].Should().Be(0L, "the store understands every line the daemon writes");

        var ticks = Lines("kxbtc15m", "tick").Concat(Lines("kxnflgame", "tick")).ToList();
        var entries = ticks.SelectMany(t => t.GetProperty("markets").EnumerateArray().Select(m => (Ts: t.GetProperty("ts").GetDateTime(), Market: m))).ToList();
        var snapshots = await server.QueryAsync(db, "SELECT market_ticker, timestamp, yes_bid, src FROM market_snapshots ORDER BY 1, 2");
        snapshots.Select(r => ((string)r[0]!, (DateTime)r[1]!, (decimal?)r[2], (string?)r[3]))
            .Should().BeEquivalentTo(entries.Select(e => (e.Market.GetProperty("ticker").GetString()!, e.Ts, Decimal(e.Market.GetProperty("yes_bid")), e.Market.GetProperty("src").GetString())));
        (await server.CountAsync(db, "SELECT count(*) FROM index_ticks WHERE series_ticker = 'KXBTC15M'")).Should().Be(Lines("kxbtc15m", "tick").Count, "one index row per BRTI tick line");
        (await server.CountAsync(db, "SELECT count(*) FROM index_ticks WHERE series_ticker <> 'KXBTC15M'")).Should().Be(0, "a sports tick carries no index prices");

        var withBooks = entries.Where(e => e.Market.GetProperty("yes_book").ValueKind == JsonValueKind.Array || e.Market.GetProperty("no_book").ValueKind == JsonValueKind.Array).ToList();
        withBooks.Should().NotBeEmpty();
        var depth = await server.QueryAsync(db, "SELECT market_ticker, timestamp, yes_book::text, no_book::text FROM orderbook_depth");
        depth.Select(r => ((string)r[0]!, (DateTime)r[1]!, Compact(r[2]), Compact(r[3])))
            .Should().BeEquivalentTo(withBooks.Select(e => (e.Market.GetProperty("ticker").GetString()!, e.Ts, Book(e.Market, "yes_book"), Book(e.Market, "no_book"))));
        depth.Should().Contain(r => (string)r[0]! == NflMarket && Compact(r[3]) == "[]", "an empty side is kept as an empty book, not dropped");

        var trades = await server.QueryAsync(db, "SELECT trade_id, market_ticker, yes_price, no_price, count, taker_side FROM trades ORDER BY 1");
        trades.Select(r => ((string)r[0]!, (string)r[1]!, (decimal)r[2]!, (decimal)r[3]!, (decimal)r[4]!, (string)r[5]!))
            .Should().Equal(("trade-1", BtcMarket, 6.1m, 93.9m, 5m, "yes"), ("trade-2", NflMarket, 61.5m, 38.5m, 2.5m, "no"));

        var lifecycle = await server.QueryAsync(db, "SELECT market_ticker, event, details->>'result' FROM market_lifecycle");
        lifecycle.Single().Should().Equal(NflMarket, "determined", "yes");
        var meta = await server.QueryAsync(db, "SELECT market_ticker, series_ticker, status, result, expiration_value, last_event FROM market_metadata ORDER BY 1");
        meta.Select(r => ((string)r[0]!, (string?)r[1], (string?)r[2], (string?)r[3], (decimal?)r[4], (string?)r[5]))
            .Should().Equal(
                (BtcMarket, "KXBTC15M", "finalized", "no", 65701.2m, null),
                (NflMarket, "KXNFLGAME", "finalized", "yes", 1m, "determined"));

        var settlements = await server.QueryAsync(db, "SELECT market_ticker, result, brti_avg60, brti_samples FROM settlements ORDER BY 1");
        settlements.Select(r => ((string)r[0]!, (string)r[1]!, r[2] as decimal?, r[3] as int?))
            .Should().Equal((BtcMarket, "no", 65771.2m, 60), (NflMarket, "yes", null, null));
    }

    private static decimal? Decimal(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDecimal() : null;

    private static string? Book(JsonElement market, string side) =>
        market.GetProperty(side) is { ValueKind: JsonValueKind.Array } book ? Compact(book.GetRawText()) : null;

    private static string? Compact(object? json) => json as string is { } s ? s.Replace(" ", string.Empty, StringComparison.Ordinal) : null;

    private IHost BuildHost(string database)
    {
        var store = new StoreOptions
        {
            Target = DatabaseUrl.Parse(server.Url(database)),
            CollectorId = CollectorId,
            BatchSize = StoreOptions.DefaultBatchSize,
            FlushInterval = TimeSpan.FromMilliseconds(200),
        };
        return CollectorTestHost.Build(CollectorTestHost.Options(_dir.Path, KalshiTestRig.Options(_rest, _ws, _keyPath), series: ["KXBTC15M", "KXNFLGAME"], bookDepth: 2, store: store));
    }

    private void AppendLine(string prefix, byte[] line)
    {
        var file = Directory.GetFiles(_dir.Path, prefix + "-*.jsonl").Order(StringComparer.Ordinal).Last();
        File.AppendAllText(file, Encoding.UTF8.GetString(line) + "\n");
    }

    private List<JsonElement> Lines(string prefix, string type) =>
        Directory.GetFiles(_dir.Path, prefix + "-*.jsonl").Order(StringComparer.Ordinal)
            .SelectMany(f =>
            {
                using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                var text = reader.ReadToEnd();
                return text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries);
            })
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Where(e => e.GetProperty("type").GetString() == type)
            .ToList();
}
