using System.Text;
using System.Text.Json.Nodes;
using KxCollector.Backfill;
using KxCollector.Kalshi.Stream;
using KxCollector.Kalshi.History;

namespace KxCollector.Tests.Backfill;

/// <summary>A backtest reads recorded (stream) and reconstructed (backfill) trades with the same code.</summary>
public sealed class TradeRecordFormatTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 21, 12, 0, 20, 123, TimeSpan.Zero);

    [Theory]
    [InlineData("0.0560", "0.9440", "1.50", "yes")]
    [InlineData("0.9900", "0.0100", "250.00", "no")]
    [InlineData("0.5000", "0.5000", "3", null)]
    public void A_backfilled_trade_is_the_stream_trade_line_plus_src_backfill(string yes, string no, string count, string? side)
    {
        var frame = new TradeFrame
        {
            MarketTicker = "KXBTC15M-26NOV211215-15",
            TradeId = "d91bc706-ee49-470d-82d8-11418bda6fed",
            YesPriceDollars = decimal.Parse(yes, System.Globalization.CultureInfo.InvariantCulture),
            NoPriceDollars = decimal.Parse(no, System.Globalization.CultureInfo.InvariantCulture),
            Count = decimal.Parse(count, System.Globalization.CultureInfo.InvariantCulture),
            TakerSide = side,
        };
        var trade = new KalshiTrade
        {
            TradeId = frame.TradeId,
            Ticker = frame.MarketTicker,
            CreatedTime = Created,
            YesPrice = frame.YesPriceDollars,
            NoPrice = frame.NoPriceDollars,
            Count = frame.Count,
            TakerSide = side,
        };

        var live = JsonNode.Parse(Encoding.UTF8.GetString(StreamRecorder.FormatTrade(frame, Created)))!.AsObject();
        var backfilled = JsonNode.Parse(Encoding.UTF8.GetString(BackfillRecords.Trade(trade)))!.AsObject();

        backfilled["src"]!.GetValue<string>().Should().Be("backfill");
        backfilled.Remove("src");
        live.ContainsKey("src").Should().BeFalse("a recorded trade carries no src");
        backfilled.ToJsonString().Should().Be(live.ToJsonString(), "same keys, same order, same units (cents, contracts, UTC ms)");
    }
}
