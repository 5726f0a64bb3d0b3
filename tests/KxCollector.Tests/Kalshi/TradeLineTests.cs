using System.Text;
using KxCollector.Backfill;
using KxCollector.Kalshi.Stream;
using KxCollector.Kalshi.History;

namespace KxCollector.Tests.Kalshi;

/// <summary>A backtest reads recorded and backfilled trades with one code path: the two lines differ only by src.</summary>
public sealed class TradeLineTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 21, 17, 4, 12, 345, TimeSpan.Zero);

    [Theory]
    [InlineData("no", "no", "bid", true)]
    [InlineData(null, "yes", "ask", false)]
    [InlineData("yes", null, null, null)]
    public void A_streamed_and_a_backfilled_trade_are_the_same_line_but_for_src(string? takerSide, string? outcomeSide, string? bookSide, bool? block)
    {
        var frame = new TradeFrame
        {
            MarketTicker = "KXBTC15M-26NOV211215-15",
            TradeId = "t-9",
            YesPriceDollars = 0.0560m,
            NoPriceDollars = 0.9440m,
            Count = 136.50m,
            TakerSide = takerSide,
            TakerOutcomeSide = outcomeSide,
            TakerBookSide = bookSide,
            IsBlockTrade = block,
        };
        var trade = new KalshiTrade
        {
            Ticker = "KXBTC15M-26NOV211215-15",
            TradeId = "t-9",
            CreatedTime = At,
            YesPrice = 0.0560m,
            NoPrice = 0.9440m,
            Count = 136.50m,
            TakerSide = takerSide,
            TakerOutcomeSide = outcomeSide,
            TakerBookSide = bookSide,
            IsBlockTrade = block,
        };

        var streamed = Encoding.UTF8.GetString(StreamRecorder.FormatTrade(frame, At));
        var backfilled = Encoding.UTF8.GetString(BackfillRecords.Trade(trade));

        backfilled.Should().Be(streamed[..^1] + ",\"src\":\"backfill\"}");
        streamed.Should().Contain($"\"taker_side\":\"{takerSide ?? outcomeSide}\",\"taker_outcome_side\":\"{outcomeSide ?? takerSide}\"", "each of the two yes/no keys is filled from the other");
    }
}
