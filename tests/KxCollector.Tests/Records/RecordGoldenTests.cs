using KxCollector.Records;
using System.Buffers;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using KxCollector.Backfill;
using KxCollector.Kalshi.Games;
using KxCollector.Kalshi.History;
using KxCollector.Kalshi.Index;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Settlements;
using KxCollector.Kalshi.Stream;
using KxCollector.Pricing;
using KxCollector.Recording;
using KxCollector.Tests.Support;
using Xunit;

namespace KxCollector.Tests.Records;

/// <summary>
/// The bytes of every record type, from fixed inputs, against tests/fixtures/records/&lt;type&gt;.jsonl. The files were
/// written by the writers as they were before the record types got one home; they must never change unless a record
/// changes on purpose (then regenerate with KX_WRITE_GOLDEN=1 and review the diff: users' files are compared to them).
/// </summary>
public sealed class RecordGoldenTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 14, 12, 14, 59, 1, TimeSpan.Zero);

    [Fact]
    public void Tick_lines_are_byte_identical() => Check("tick", TickLines());

    [Fact]
    public void Trade_lines_are_byte_identical() => Check("trade", TradeLines());

    [Fact]
    public void Lifecycle_lines_are_byte_identical() => Check("lifecycle", LifecycleLines());

    [Fact]
    public void Settlement_lines_are_byte_identical() => Check("settlement", SettlementLines());

    [Fact]
    public void Index_lines_are_byte_identical() => Check("index", IndexLines());

    [Fact]
    public void Game_lines_are_byte_identical() => Check("game", GameLines());

    [Fact]
    public void Market_lines_are_byte_identical() => Check("market", MarketLines());

    [Fact]
    public void Candle_lines_are_byte_identical() => Check("candle", CandleLines());

    internal static string GoldenPath(string type) => Fixtures.Path("records", type + ".jsonl");

    private static void Check(string type, IEnumerable<byte[]> lines)
    {
        var produced = new MemoryStream();
        foreach (var line in lines)
        {
            produced.Write(line);
            produced.WriteByte((byte)'\n');
        }

        var path = GoldenPath(type);
        if (Environment.GetEnvironmentVariable("KX_WRITE_GOLDEN") == "1")
        {
            File.WriteAllBytes(path, produced.ToArray());
        }

        Encoding.UTF8.GetString(produced.ToArray()).Should().Be(File.ReadAllText(path, Encoding.UTF8), $"{type} records must stay byte for byte as users' files have them");
    }

    private static KalshiMarket Market(string ticker, decimal? bid, DateTimeOffset? close, string status = "active") => new()
    {
        Ticker = ticker,
        EventTicker = ticker[..ticker.LastIndexOf('-')],
        Status = status,
        OpenTime = close?.AddMinutes(-15),
        CloseTime = close,
        FloorStrike = 68000.12m,
        CapStrike = null,
        YesBid = bid,
        YesAsk = bid is { } b ? b + 0.02m : null,
        NoBid = bid is { } nb ? 0.98m - nb : null,
        NoAsk = bid is { } na ? 1m - na : null,
        LastPrice = 0.0560m,
        Volume = 1234.00m,
        OpenInterest = 987m,
    };

    private sealed class Markets(Action<Utf8JsonWriter, DateTimeOffset> write) : ITickMarketsWriter
    {
        public void WriteMarkets(Utf8JsonWriter writer, DateTimeOffset now) => write(writer, now);
    }

    private static IEnumerable<byte[]> TickLines()
    {
        var close = new DateTimeOffset(2026, 3, 14, 12, 15, 0, TimeSpan.Zero);
        var rest = new TickMarketEntry(Market("KXBTC15M-26MAR141215-15", 0.4100m, close), T0.AddMilliseconds(-750));
        var ws = new TickMarketEntry(Market("KXBTC15M-26MAR141215-30", 0.12m, close), T0.AddSeconds(-3));
        var noClose = new TickMarketEntry(Market("KXBTC15M-26MAR141230-45", null, null, "initialized"), T0.AddSeconds(1));
        var booked = new StreamMarket();
        booked.SetQuote(new StreamQuote(12.5m, 14m, 13m, 50m, 40m, T0.AddMilliseconds(-120)));
        booked.Book.ApplySnapshot([new BookLevel(0.12m, 100m), new BookLevel(0.11m, 5.5m), new BookLevel(0.10m, 7m)], [new BookLevel(0.86m, 3m)]);
        var bookless = new StreamMarket();
        bookless.SetQuote(new StreamQuote(null, 99m, null, null, null, T0.AddSeconds(5)));

        var brti = new TickFormatter();
        yield return brti.Format(T0, new IndexSample(68001.5m, 68002.25m, null, 68001.875m), new Markets((w, now) =>
        {
            rest.Write(w, now);
            ws.Write(w, now, booked, bookDepth: 0);
            noClose.Write(w, now);
        })).ToArray();
        yield return brti.Format(T0.AddSeconds(1), new IndexSample(null, null, null, null), new Markets((w, now) =>
        {
            rest.Write(w, now, null, bookDepth: 2);
            ws.Write(w, now, booked, bookDepth: 2);
            noClose.Write(w, now, bookless, bookDepth: 2);
        })).ToArray();

        var official = new TickFormatter(officialIndex: true);
        yield return official.Format(T0.AddSeconds(2), new IndexSample(1m, 2m, 3m, 2m), new Markets((_, _) => { }), official: null).ToArray();
        yield return official.Format(T0.AddSeconds(3), new IndexSample(1m, 2m, 3m, 2m), new Markets((w, now) => rest.Write(w, now)),
            new IndexPrint("BRTI", T0.AddSeconds(2).ToUnixTimeMilliseconds(), 68000.10m, 0)).ToArray();

        var sports = new TickFormatter(exchangePrices: false);
        yield return sports.Format(T0.AddSeconds(4), default, new Markets((w, now) => noClose.Write(w, now))).ToArray();
        var sportsOfficial = new TickFormatter(exchangePrices: false, officialIndex: true);
        yield return sportsOfficial.Format(T0.AddSeconds(5), default, new Markets((_, _) => { }), new IndexPrint("ETHUSD_RTI", T0.ToUnixTimeMilliseconds(), 3500.5m, 1)).ToArray();
    }

    private static IEnumerable<byte[]> TradeLines()
    {
        yield return StreamRecorder.FormatTrade(new TradeFrame
        {
            MarketTicker = "KXBTC15M-26MAR141215-15", TradeId = "d91bc706-ee49-470d-82d8-11418bda6fed",
            YesPriceDollars = 0.0560m, NoPriceDollars = 0.9440m, Count = 10.00m,
            TakerSide = "yes", TakerOutcomeSide = null, TakerBookSide = "ask", IsBlockTrade = false,
        }, T0);
        yield return StreamRecorder.FormatTrade(new TradeFrame
        {
            MarketTicker = "KXBTC15M-26MAR141215-15", TradeId = "t-2",
            YesPriceDollars = null, NoPriceDollars = null, Count = null,
            TakerSide = null, TakerOutcomeSide = "no", TakerBookSide = null, IsBlockTrade = null,
        }, T0.AddMilliseconds(3));
        yield return StreamRecorder.FormatTrade(new TradeFrame
        {
            MarketTicker = "KXBTC15M-26MAR141215-15", TradeId = "t-3",
            YesPriceDollars = 1m, NoPriceDollars = 0m, Count = 2.5m,
            TakerSide = null, TakerOutcomeSide = null, TakerBookSide = "bid", IsBlockTrade = true,
        }, T0.AddSeconds(1));
        yield return BackfillRecords.Trade(new KalshiTrade
        {
            TradeId = "d91bc706-ee49-470d-82d8-11418bda6fed", Ticker = "KXBTC15M-26MAR141215-15", CreatedTime = T0,
            YesPrice = 0.0560m, NoPrice = 0.9440m, Count = 10.00m, TakerSide = "yes", TakerBookSide = "ask", IsBlockTrade = false,
        });
        yield return BackfillRecords.Trade(new KalshiTrade
        {
            TradeId = "t-5", Ticker = "KXBTC15M-26MAR141215-30", CreatedTime = T0.AddMinutes(1),
            TakerOutcomeSide = "no",
        });
    }

    private static IEnumerable<byte[]> LifecycleLines()
    {
        const string ticker = "KXBTC15M-26MAR141215-15";
        yield return StreamRecorder.FormatLifecycle(new LifecycleFrame
        {
            MarketTicker = ticker, EventType = "created", OpenTs = 1773489600, CloseTs = 1773490500,
        }, T0);
        yield return StreamRecorder.FormatLifecycle(new LifecycleFrame { MarketTicker = ticker, EventType = "deactivated" }, T0.AddSeconds(1));
        yield return StreamRecorder.FormatLifecycle(new LifecycleFrame
        {
            MarketTicker = ticker, EventType = "determined", Result = "yes", SettlementValueText = "1.0000", DeterminationTs = 1773490530,
        }, T0.AddSeconds(2));
        yield return StreamRecorder.FormatLifecycle(new LifecycleFrame
        {
            MarketTicker = ticker, EventType = "settled", Result = "no", SettlementValueText = "", SettledTs = 1773490600,
        }, T0.AddSeconds(3));
        yield return StreamRecorder.FormatLifecycle(new LifecycleFrame
        {
            MarketTicker = ticker, EventType = "close_date_updated", Result = "", CloseTs = 1773490800,
        }, T0.AddSeconds(4));
    }

    private static IEnumerable<byte[]> SettlementLines()
    {
        var close = new DateTimeOffset(2026, 3, 14, 12, 15, 0, TimeSpan.Zero);
        var settled = Market("KXBTC15M-26MAR141215-15", 0.99m, close, "finalized") with { Result = "yes", ExpirationValue = 68010.55m };
        yield return SettlementRecorder.Format(settled, T0, new BrtiSum(68010.5m * 60, 60));
        yield return SettlementRecorder.Format(settled with { ExpirationValue = null, FloorStrike = null }, T0, new BrtiSum(0, 0));
        yield return SettlementRecorder.Format(settled with { CloseTime = null, Result = "no" }, T0, default, includeBrti: false);
        yield return SettlementRecorder.Format(settled, T0, new BrtiSum(68000m * 3, 3), closedWhileDown: true);
        yield return SettlementRecorder.Format(settled, T0, new BrtiSum(68000m * 60, 60), official: new OfficialSettlementFigures(
            new BrtiSum(68005.25m * 59, 59), new KalshiWindowAverage(68005.2500m, 60, close.AddSeconds(-60).ToUnixTimeMilliseconds(), close.ToUnixTimeMilliseconds())));
        yield return SettlementRecorder.Format(settled, T0, new BrtiSum(68000m, 1), includeBrti: false, closedWhileDown: true,
            official: new OfficialSettlementFigures(new BrtiSum(0, 0), null));
    }

    private static IEnumerable<byte[]> IndexLines()
    {
        yield return IndexRecorder.Format(new IndexPrint("BRTI", T0.ToUnixTimeMilliseconds(), 68000.12m, T0.AddMilliseconds(250).ToUnixTimeMilliseconds()), T0.AddSeconds(1));
        yield return IndexRecorder.Format(new IndexPrint("BRTI", T0.AddSeconds(1).ToUnixTimeMilliseconds(), 68000.1000m, 0), T0.AddSeconds(2));
        yield return IndexRecorder.Format(new IndexPrint("ETHUSD_RTI", T0.ToUnixTimeMilliseconds(), 3500m, 0), T0.AddMilliseconds(7));
    }

    private static IEnumerable<byte[]> GameLines()
    {
        var milestone = new GameMilestone("ms-1", "football_game", T0, null, ["KXNFLGAME-26MAR14KCBUF", "KXNFLSPREAD-26MAR14KCBUF"]);
        yield return GameLine.Format(T0, milestone, new LiveData("ms-1", "football", """{"home":{"score":7},"away":{"score":3},"clock":"12:01","status":"in_progress"}"""));
        yield return GameLine.Format(T0.AddSeconds(1), milestone with { Type = null, EventTickers = [] }, new LiveData("ms-1", null, "{\n  \"home\": 7,\r\n  \"note\": \"a\\u00e9\"\n}"));
        yield return GameLine.Format(T0.AddSeconds(2), milestone with { Type = null }, new LiveData("ms-1", "basketball", "null"));
    }

    private static IEnumerable<byte[]> MarketLines()
    {
        var close = new DateTimeOffset(2026, 3, 14, 12, 15, 0, TimeSpan.Zero);
        var settled = Market("KXBTC15M-26MAR141215-15", 0.99m, close, "finalized") with
        {
            Result = "yes", ExpirationValue = 68010.5500m, SettlementTime = close.AddSeconds(90), CapStrike = 68999.99m,
        };
        yield return BackfillRecords.Market(settled);
        yield return BackfillRecords.Market(settled with
        {
            EventTicker = null, OpenTime = null, SettlementTime = null, Result = "", ExpirationValue = null, FloorStrike = null,
            CapStrike = null, LastPrice = null, Volume = null, OpenInterest = null, Status = "determined",
        });
    }

    private static IEnumerable<byte[]> CandleLines()
    {
        var end = new DateTimeOffset(2026, 3, 14, 12, 15, 0, TimeSpan.Zero);
        yield return BackfillRecords.Candle("KXBTC15M-26MAR141215-15", new CandleInterval("1m", 1), new KalshiCandle
        {
            End = end,
            YesBid = new Ohlc(0.41m, 0.40m, 0.45m, 0.4400m),
            YesAsk = new Ohlc(0.43m, 0.42m, 0.47m, 0.46m),
            Price = new Ohlc(0.42m, 0.0560m, 0.46m, 0.45m),
            PriceMean = 0.4321m,
            PricePrevious = 0.41m,
            Volume = 120.00m,
            OpenInterest = 3400m,
        });
        yield return BackfillRecords.Candle("KXBTC15M-26MAR141215-15", new CandleInterval("1h", 60), new KalshiCandle { End = end.AddHours(1) });
    }
}
