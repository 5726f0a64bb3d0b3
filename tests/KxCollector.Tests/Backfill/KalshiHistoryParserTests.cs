using KxCollector.Records;
using System.Text;
using KxCollector.Backfill;
using KxCollector.Kalshi.History;

namespace KxCollector.Tests.Backfill;

public sealed class KalshiHistoryParserTests
{
    [Fact]
    public void Live_candles_read_the_suffixed_names_and_historical_candles_the_plain_ones_to_the_same_values()
    {
        const string Live = """{"ticker":"T","candlesticks":[{"end_period_ts":1790000060,"yes_bid":{"open_dollars":"0.0560","low_dollars":"0.0550","high_dollars":"0.0570","close_dollars":"0.0560"},"yes_ask":{"open_dollars":"0.0580","low_dollars":null,"high_dollars":"0.0590","close_dollars":"0.0580"},"price":{"open_dollars":"0.0560","low_dollars":"0.0560","high_dollars":"0.0560","close_dollars":"0.0560","mean_dollars":"0.0560","previous_dollars":"0.0550","min_dollars":"0.0560","max_dollars":"0.0560"},"volume_fp":"12.50","open_interest_fp":"480551.08"}]}""";
        const string Historical = """{"ticker":"T","candlesticks":[{"end_period_ts":1790000060,"yes_bid":{"open":"0.0560","low":"0.0550","high":"0.0570","close":"0.0560"},"yes_ask":{"open":"0.0580","low":null,"high":"0.0590","close":"0.0580"},"price":{"open":"0.0560","low":"0.0560","high":"0.0560","close":"0.0560","mean":"0.0560","previous":"0.0550"},"volume":"12.50","open_interest":"480551.08"}]}""";

        var live = KalshiHistoryParser.ParseCandles(Encoding.UTF8.GetBytes(Live)).Candles.Single();
        var historical = KalshiHistoryParser.ParseCandles(Encoding.UTF8.GetBytes(Historical)).Candles.Single();

        historical.Should().BeEquivalentTo(live);
        live.End.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1790000060));
        live.YesBid.Should().Be(new Ohlc(0.056m, 0.055m, 0.057m, 0.056m));
        live.YesAsk.Low.Should().BeNull();
        live.PriceMean.Should().Be(0.056m);
        live.PricePrevious.Should().Be(0.055m);
        live.Volume.Should().Be(12.5m);
        live.OpenInterest.Should().Be(480551.08m);
    }

    [Fact]
    public void Legacy_integer_cent_fields_are_never_read_as_dollars()
    {
        const string Legacy = """{"candlesticks":[{"end_period_ts":1790000060,"yes_bid":{"open":5,"low":5,"high":6,"close":5},"price":{"open":5},"volume":12,"open_interest":480551}]}""";

        var candle = KalshiHistoryParser.ParseCandles(Encoding.UTF8.GetBytes(Legacy)).Candles.Single();

        candle.YesBid.Should().Be(Ohlc.Empty);
        candle.Price.Open.Should().BeNull();
        candle.Volume.Should().BeNull();
        candle.OpenInterest.Should().BeNull();
    }

    [Fact]
    public void Trades_pages_carry_fixed_point_prices_counts_and_the_cursor()
    {
        const string Page = """{"cursor":"abc","trades":[{"trade_id":"d91bc706-ee49-470d-82d8-11418bda6fed","ticker":"KXBTC15M-26OCT011215-15","count_fp":"136.00","yes_price_dollars":"0.0360","no_price_dollars":"0.9640","yes_price":4,"taker_side":"no","created_time":"2026-10-01T16:14:59.551734123Z"},{"ticker":"no-id"}]}""";

        var page = KalshiHistoryParser.ParseTradesPage(Encoding.UTF8.GetBytes(Page));

        page.Cursor.Should().Be("abc");
        var trade = page.Trades.Should().ContainSingle().Subject;
        trade.TradeId.Should().Be("d91bc706-ee49-470d-82d8-11418bda6fed");
        trade.YesPrice.Should().Be(0.036m, "the legacy integer yes_price is ignored");
        trade.NoPrice.Should().Be(0.964m);
        trade.Count.Should().Be(136m);
        trade.TakerSide.Should().Be("no");
        trade.CreatedTime.Should().Be(new DateTimeOffset(2026, 10, 1, 16, 14, 59, TimeSpan.Zero).AddTicks(5517341));
    }

    [Fact]
    public void The_cutoff_reads_both_timestamps()
    {
        var cutoff = KalshiHistoryParser.ParseCutoff("""{"market_settled_ts":"2026-08-21T00:00:00Z","trades_created_ts":"2026-08-20T12:00:00.5Z","orders_updated_ts":"x"}"""u8);

        cutoff.MarketSettled.Should().Be(new DateTimeOffset(2026, 8, 21, 0, 0, 0, TimeSpan.Zero));
        cutoff.TradesCreated.Should().Be(new DateTimeOffset(2026, 8, 20, 12, 0, 0, 500, TimeSpan.Zero));
    }
}
