using KxCollector.Records;
using System.Globalization;
using System.Text;
using KxCollector.Backfill;
using KxCollector.Fakes.Kalshi;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Stream;
using KxCollector.Store.Cli;
using KxCollector.Store.Records;
using KxCollector.Store.Schema;
using KxCollector.Tests.Backfill;
using KxCollector.Tests.Store.Support;
using KxCollector.Tests.Support;
using Npgsql;
using KxCollector.Kalshi.History;
using BackfillOhlc = KxCollector.Records.Ohlc;

namespace KxCollector.Tests.Store;

/// <summary>
/// The backfill's records reach the database: every input line here is made by the backfill's own formatter
/// (<see cref="BackfillRecords"/>) or the live recorder's, never written by hand, so a change to either shape that the
/// store does not follow fails here.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BackfillIngestTests(PostgresServer server) : IDisposable
{
    private const string Ticker = "KXBTC15M-26OCT010015-15";
    private static readonly DateTimeOffset Open = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Close = Open.AddMinutes(15);
    private static readonly DateTimeOffset Settled = Close.AddSeconds(11);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_parser_knows_every_key_the_backfill_writes()
    {
        var parser = new RecordParser();
        var batch = new StoreBatch();
        byte[][] lines =
        [
            BackfillRecords.Market(Market("finalized", "yes", Settled)),
            BackfillRecords.Trade(Trade("t-1")),
            .. CandleInterval.All.Select(i => BackfillRecords.Candle(Ticker, i, Candle(i))),
        ];

        foreach (var line in lines)
        {
            parser.Parse(line, "KXBTC15M", batch).Should().Be(LineOutcome.Stored, Encoding.UTF8.GetString(line));
        }

        parser.TakeNewUnknownNames().Should().BeEmpty("a store that drops part of a backfill record says so");
        (parser.UnknownFields, parser.BadValues).Should().Be((0, 0));
    }

    [Fact]
    public async Task Candles_of_each_interval_become_historical_prices_with_Kalshis_period_interval_end_and_prices()
    {
        var db = await server.CreateDatabaseAsync();
        var file = Write("kxbtc15m-candles-2026-10-01.jsonl", CandleInterval.All.Select(i => BackfillRecords.Candle(Ticker, i, Candle(i))));

        await ImportAsync(db, file);

        var rows = await server.QueryAsync(db, """
            SELECT market_ticker, period_interval, end_period_ts,
                   yes_bid_open, yes_bid_high, yes_bid_low, yes_bid_close, yes_ask_open, yes_ask_high, yes_ask_low, yes_ask_close,
                   price_open, price_high, price_low, price_close, price_mean, price_previous, volume, open_interest, src
            FROM historical_prices ORDER BY period_interval
            """);
        rows.Select(r => ((int)r[1]!, (DateTime)r[2]!)).Should().Equal(
            (1, Candle(CandleInterval.OneMinute).End.UtcDateTime),
            (60, Candle(CandleInterval.OneHour).End.UtcDateTime),
            (1440, Candle(CandleInterval.OneDay).End.UtcDateTime));
        rows.Should().OnlyContain(r => (string)r[0]! == Ticker && (string)r[19]! == "backfill");
        rows[0].Skip(3).Take(16).Should().Equal(55m, 56m, 54m, 55m, 57m, 58m, 56m, 57m, 5.6m, 6.1m, 5.2m, 5.9m, 5.75m, 5.5m, 10m, 4500m);
    }

    [Fact]
    public async Task A_market_record_is_inserted_then_updated_as_it_settles_and_live_records_are_not_rolled_back()
    {
        var db = await server.CreateDatabaseAsync();

        await ImportAsync(db, Write("kxbtc15m-markets-a.jsonl", [BackfillRecords.Market(Market("closed", string.Empty, null))]));
        (await MetadataAsync(db)).Should().Equal(
            Ticker, "KXBTC15M", "KXBTC15M-26OCT010015", "closed", Open.UtcDateTime, Close.UtcDateTime, 65000m, null, null, null, null);

        await ImportAsync(db, Write("kxbtc15m-markets-b.jsonl", [BackfillRecords.Market(Market("finalized", "yes", Settled))]));
        (await MetadataAsync(db)).Should().Equal(
            Ticker, "KXBTC15M", "KXBTC15M-26OCT010015", "finalized", Open.UtcDateTime, Close.UtcDateTime, 65000m, "yes", 65100.25m, Settled.UtcDateTime, null);

        // Read late (another collector's file, a follower catching up): the live "determined" event came before
        // settlement, so it names the event but does not take the market back from finalized.
        await ImportAsync(db, Write("kxbtc15m-live-a.jsonl", [Lifecycle("determined", Close.AddSeconds(5), "yes")]));
        (await MetadataAsync(db)).Should().Equal(
            Ticker, "KXBTC15M", "KXBTC15M-26OCT010015", "finalized", Open.UtcDateTime, Close.UtcDateTime, 65000m, "yes", 65100.25m, Settled.UtcDateTime, "determined");

        // A backfill file replayed after newer live facts: its older status and its empty result change nothing.
        await ImportAsync(db, Write("kxbtc15m-live-b.jsonl", [Lifecycle("settled", Settled.AddSeconds(1), "yes")]));
        await ImportAsync(db, Write("kxbtc15m-markets-a.jsonl", [BackfillRecords.Market(Market("closed", string.Empty, null))]));
        (await MetadataAsync(db)).Should().Equal(
            Ticker, "KXBTC15M", "KXBTC15M-26OCT010015", "finalized", Open.UtcDateTime, Close.UtcDateTime, 65000m, "yes", 65100.25m, Settled.UtcDateTime, "settled");
    }

    [Fact]
    public async Task A_backfilled_trade_and_the_same_trade_from_the_stream_are_one_row()
    {
        var db = await server.CreateDatabaseAsync();
        var backfill = Write("backfill/KXBTC15M/kxbtc15m-trades-2026-10-01.jsonl", [BackfillRecords.Trade(Trade("t-1")), BackfillRecords.Trade(Trade("t-2"))]);
        var frame = new TradeFrame
        {
            MarketTicker = Ticker,
            TradeId = "t-1",
            YesPriceDollars = 0.056m,
            NoPriceDollars = 0.944m,
            Count = 1.5m,
            TakerSide = "yes",
        };
        var live = Write("kxbtc15m-trades-2026-10-01.jsonl", [StreamRecorder.FormatTrade(frame, Open.AddMinutes(1))]);

        // Both in one batch, then each again on its own: the trade_id keeps one row whichever comes first.
        await ImportAsync(db, backfill, live);
        await ImportAsync(db, live);
        await ImportAsync(db, backfill);

        var rows = await server.QueryAsync(db, "SELECT trade_id, market_ticker, timestamp, yes_price, no_price, count, taker_side, src FROM trades ORDER BY trade_id");
        rows.Select(r => (string)r[0]!).Should().Equal("t-1", "t-2");
        rows[0].Should().Equal("t-1", Ticker, Open.AddMinutes(1).UtcDateTime, 5.6m, 94.4m, 1.5m, "yes", "backfill");
    }

    [Fact]
    public async Task A_real_backfill_run_against_the_fake_Kalshi_is_imported_whole()
    {
        var outputDirectory = _dir.Combine("data");
        await using (var fake = await FakeKalshiServer.StartAsync())
        {
            BackfillScenario.Populate(fake);
            await BackfillScenario.RunAsync(fake, outputDirectory, 400, CancellationToken.None);
            await BackfillScenario.RunAsync(fake, outputDirectory, 400, CancellationToken.None, BackfillScenario.Request() with { Interval = CandleInterval.OneHour, Markets = false, Trades = false });
        }

        var lines = Directory.GetFiles(Path.Combine(outputDirectory, "backfill"), "*.jsonl", SearchOption.AllDirectories)
            .SelectMany(File.ReadAllLines)
            .Where(l => l.Length > 0)
            .ToList();
        int Count(string start) => lines.Count(l => l.StartsWith(start, StringComparison.Ordinal));
        var markets = Count("{\"type\":\"market\"");
        var trades = Count("{\"type\":\"trade\"");
        var candles = Count("{\"type\":\"candle\"");
        var hourly = lines.Count(l => l.Contains("\"interval\":\"1h\"", StringComparison.Ordinal));
        (markets, trades, candles - hourly).Should().Be(
            (BackfillScenario.SettledMarkets, BackfillScenario.SettledMarkets * BackfillScenario.TradesPerMarket, BackfillScenario.SettledMarkets * BackfillScenario.CandlesPerMarket));
        hourly.Should().BeGreaterThan(0);
        lines.Should().HaveCount(markets + trades + candles);

        var db = await server.CreateDatabaseAsync();
        using (var import = CollectorProcess.Start(_dir.Path, new Dictionary<string, string> { ["DATABASE_URL"] = server.Url(db) }, "db", "import", Path.Combine(outputDirectory, "backfill")))
        {
            (await import.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(0, import.StandardError);
            import.StandardOutput.Should().Contain(string.Create(CultureInfo.InvariantCulture, $"{lines.Count:N0} lines, ")).And.Contain(" 0 lines skipped (");
        }

        (await server.CountAsync(db, "SELECT count(*) FROM market_metadata")).Should().Be(markets);
        (await server.CountAsync(db, "SELECT count(*) FROM market_metadata WHERE result IN ('yes', 'no') AND status = 'finalized' AND open_time IS NOT NULL AND settled_at IS NOT NULL AND strike IS NOT NULL AND expiration_value IS NOT NULL")).Should().Be(markets);
        (await server.CountAsync(db, "SELECT count(*) FROM trades WHERE src = 'backfill'")).Should().Be(trades);
        (await server.CountAsync(db, "SELECT count(*) FROM historical_prices WHERE src = 'backfill'")).Should().Be(candles);
        (await server.CountAsync(db, "SELECT count(*) FROM historical_prices WHERE period_interval = 60")).Should().Be(hourly);
        (await server.CountAsync(db, "SELECT count(*) FROM historical_prices WHERE period_interval = 1")).Should().Be(candles - hourly);
        (await server.CountAsync(db, "SELECT count(*) FROM market_snapshots")).Should().Be(0);
    }

    private static KalshiMarket Market(string status, string result, DateTimeOffset? settled) => new()
    {
        Ticker = Ticker,
        EventTicker = "KXBTC15M-26OCT010015",
        Status = status,
        OpenTime = Open,
        CloseTime = Close,
        SettlementTime = settled,
        Result = result,
        ExpirationValue = result.Length > 0 ? 65100.25m : null,
        FloorStrike = 65000m,
        LastPrice = 0.056m,
        Volume = 1200m,
        OpenInterest = 4500m,
    };

    private static KalshiTrade Trade(string id) => new()
    {
        TradeId = id,
        Ticker = Ticker,
        CreatedTime = Open.AddMinutes(1),
        YesPrice = 0.056m,
        NoPrice = 0.944m,
        Count = 1.5m,
        TakerSide = "yes",
    };

    private static KalshiCandle Candle(CandleInterval interval) => new()
    {
        End = Open + interval.Period,
        YesBid = new BackfillOhlc(0.55m, 0.54m, 0.56m, 0.55m),
        YesAsk = new BackfillOhlc(0.57m, 0.56m, 0.58m, 0.57m),
        Price = new BackfillOhlc(0.056m, 0.052m, 0.061m, 0.059m),
        PriceMean = 0.0575m,
        PricePrevious = 0.055m,
        Volume = 10m,
        OpenInterest = 4500m,
    };

    private static byte[] Lifecycle(string lifecycleEvent, DateTimeOffset ts, string result) => StreamRecorder.FormatLifecycle(
        new LifecycleFrame { MarketTicker = Ticker, EventType = lifecycleEvent, Result = result, SettlementValueText = result == "yes" ? "1.0000" : "0.0000" },
        ts);

    private string Write(string name, IEnumerable<byte[]> lines)
    {
        var path = _dir.Combine(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        foreach (var line in lines)
        {
            file.Write(line);
            file.WriteByte((byte)'\n');
        }

        return path;
    }

    private async Task ImportAsync(string db, params string[] files)
    {
        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString(db));
        await SchemaMigrator.MigrateAsync(dataSource, Migrations.All, CancellationToken.None);
        var importer = new Importer(files, Importer.DefaultBatchSize);
        await importer.RunAsync(dataSource, CancellationToken.None);
        importer.Failures.Should().BeEmpty();
        var summary = importer.Summary;
        (summary.Unparseable, summary.UnknownType, summary.Rejected, summary.IncompleteLines).Should().Be((0, 0, 0, 0));
    }

    private async Task<object?[]> MetadataAsync(string db)
    {
        var rows = await server.QueryAsync(db, """
            SELECT market_ticker, series_ticker, event_ticker, status, open_time, close_time, strike, result, expiration_value, settled_at, last_event
            FROM market_metadata
            """);
        return rows.Should().ContainSingle().Subject;
    }
}
