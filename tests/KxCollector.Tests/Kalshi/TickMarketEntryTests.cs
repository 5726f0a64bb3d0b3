using System.Buffers;
using System.Text;
using System.Text.Json;
using KxCollector.Kalshi.Markets;

namespace KxCollector.Tests.Kalshi;

public sealed class TickMarketEntryTests
{
    private static readonly DateTimeOffset Close = new(2026, 7, 23, 3, 15, 0, TimeSpan.Zero);

    [Fact]
    public void Fixture_market_is_written_exactly_in_the_documented_shape()
    {
        var market = KalshiMarketParser.ParseMarketDetail(KalshiMarketParserTests.FixtureBody("04-market-detail.json"))!;
        var now = Close.AddSeconds(-411.83);

        var json = Write(new TickMarketEntry(market, now.AddMilliseconds(-830)), now);

        json.Should().Be("""{"ticker":"KXBTC15M-26JUL222315-15","status":"active","yes_bid":5.6,"yes_ask":5.7,"no_bid":94.3,"no_ask":94.4,"last_price":5.6,"volume":1552141.8,"open_interest":480551.08,"strike":65776.62,"secs_left":412,"age_ms":830,"src":"rest"}""");
    }

    [Theory]
    [InlineData("0.0560", "5.6")]
    [InlineData("0.0010", "0.1")]
    [InlineData("0.0005", "0.05")]
    [InlineData("0.000001", "0.0001")]
    [InlineData("0.9990", "99.9")]
    [InlineData("1.0000", "100")]
    [InlineData("0.0000", "0")]
    [InlineData("0.5", "50")]
    public void Dollars_become_exact_cents_without_trailing_zeros(string dollars, string cents)
    {
        var value = TickMarketEntry.Cents(decimal.Parse(dollars, System.Globalization.CultureInfo.InvariantCulture));

        value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(cents);
    }

    [Fact]
    public void Missing_prices_and_strike_are_null_and_volume_keeps_fractional_contracts()
    {
        var market = new KalshiMarket { Ticker = "T", Status = "initialized", CloseTime = Close, Volume = 12.50m };

        var json = Write(new TickMarketEntry(market, Close.AddSeconds(-100)), Close.AddSeconds(-100));

        json.Should().Be("""{"ticker":"T","status":"initialized","yes_bid":null,"yes_ask":null,"no_bid":null,"no_ask":null,"last_price":null,"volume":12.5,"open_interest":null,"strike":null,"secs_left":100,"age_ms":0,"src":"rest"}""");
    }

    [Theory]
    [InlineData(-60_000, 60)]
    [InlineData(-1_000, 1)]
    [InlineData(-999, 1)]
    [InlineData(-1, 1)]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(300_000, 0)]
    public void Secs_left_counts_whole_seconds_to_close_rounded_up_and_is_zero_from_close_on(int msAfterClose, long expected)
    {
        TickMarketEntry.SecondsLeft(Close, Close.AddMilliseconds(msAfterClose)).Should().Be(expected);
    }

    [Fact]
    public void Secs_left_is_null_without_a_close_time()
    {
        TickMarketEntry.SecondsLeft(null, Close).Should().BeNull();
    }

    [Fact]
    public void Board_writes_entries_sorted_by_ticker_and_a_new_snapshot_replaces_the_old_whole()
    {
        var board = new MarketBoard();
        board.Publish([Entry("KXBTC15M-B"), Entry("KXBTC15M-A"), Entry("KXBTC15M-C")]);

        Tickers(board).Should().Equal("KXBTC15M-A", "KXBTC15M-B", "KXBTC15M-C");

        board.Publish([Entry("KXBTC15M-D")]);
        Tickers(board).Should().Equal("KXBTC15M-D");
    }

    [Fact]
    public void A_stream_quote_replaces_the_polled_quote_and_says_src_ws_with_its_own_age()
    {
        var entry = new TickMarketEntry(
            new KalshiMarket { Ticker = "KXBTC15M-26JUL222315-15", Status = "active", CloseTime = Close, YesBid = 0.05m, YesAsk = 0.06m, FloorStrike = 65776.62m },
            Close.AddSeconds(-30));
        var stream = new KxCollector.Kalshi.Stream.StreamMarket();
        stream.SetQuote(new KxCollector.Kalshi.Stream.StreamQuote(5.6m, 5.7m, 5.6m, 1552146.8m, 480556.08m, Close.AddMilliseconds(-10200)));
        stream.Book.ApplySnapshot([new(0.0500m, 120m), new(0.0560m, 4000m), new(0.0100m, 1m)], null);

        var json = Write(entry, Close.AddSeconds(-10), stream, bookDepth: 2);

        json.Should().Be("""{"ticker":"KXBTC15M-26JUL222315-15","status":"active","yes_bid":5.6,"yes_ask":5.7,"no_bid":94.3,"no_ask":94.4,"last_price":5.6,"volume":1552146.8,"open_interest":480556.08,"strike":65776.62,"secs_left":10,"age_ms":200,"src":"ws","yes_book":[[5.6,4000],[5,120]],"no_book":[]}""");
    }

    [Fact]
    public void Without_a_stream_quote_the_entry_says_src_rest_and_an_unknown_book_is_null()
    {
        var entry = new TickMarketEntry(new KalshiMarket { Ticker = "T", Status = "active", CloseTime = Close, YesBid = 0.05m }, Close.AddSeconds(-30));
        var stream = new KxCollector.Kalshi.Stream.StreamMarket();

        Write(entry, Close.AddSeconds(-10), stream, bookDepth: 1).Should().EndWith("""
"age_ms":20000,"src":"rest","yes_book":null,"no_book":null}
""".Trim());
        Write(entry, Close.AddSeconds(-10), null, bookDepth: 1).Should().EndWith("""
"src":"rest","yes_book":null,"no_book":null}
""".Trim());
        Write(entry, Close.AddSeconds(-10), null, bookDepth: 0).Should().EndWith("\"src\":\"rest\"}");
    }

    private static TickMarketEntry Entry(string ticker) => new(new KalshiMarket { Ticker = ticker, Status = "active", CloseTime = Close }, Close.AddMinutes(-1));

    private static List<string> Tickers(MarketBoard board)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            board.WriteMarkets(writer, Close.AddMinutes(-1));
            writer.WriteEndArray();
        }

        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.EnumerateArray().Select(e => e.GetProperty("ticker").GetString()!).ToList();
    }

    private static string Write(TickMarketEntry entry, DateTimeOffset now, KxCollector.Kalshi.Stream.StreamMarket? stream = null, int bookDepth = 0)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (stream is null && bookDepth == 0)
            {
                entry.Write(writer, now);
            }
            else
            {
                entry.Write(writer, now, stream, bookDepth);
            }
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
