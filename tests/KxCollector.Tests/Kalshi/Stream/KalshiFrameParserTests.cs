using System.Text;
using KxCollector.Kalshi.Stream;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Kalshi.Stream;

public sealed class KalshiFrameParserTests
{
    private static readonly IReadOnlyList<string> Fixture = Fixtures.Frames("kalshi-ws");

    [Fact]
    public void Every_fixture_frame_parses_to_its_type()
    {
        var types = Fixture.Select(line => Parse(line).GetType()).ToList();

        types.Should().Equal(
            typeof(SubscribedFrame),
            typeof(SubscribedFrame),
            typeof(OrderbookSnapshotFrame),
            typeof(OrderbookDeltaFrame),
            typeof(TickerFrame),
            typeof(SubscribedFrame),
            typeof(TradeFrame),
            typeof(SubscribedFrame),
            typeof(LifecycleFrame),
            typeof(LifecycleFrame),
            typeof(OkFrame),
            typeof(ErrorFrame),
            typeof(SubscribedFrame),
            typeof(IndexValueFrame), // cfbenchmarks_value: the official index is read by the index branch's parser
            typeof(IndexValueFrame),
            typeof(OrderbookSnapshotFrame),
            typeof(ErrorFrame),
            typeof(ErrorFrame));
    }

    [Fact]
    public void Subscribed_acks_give_the_channel_and_the_sid_from_msg_or_the_top_level()
    {
        var inMsg = Parse<SubscribedFrame>(Fixture[1]);
        inMsg.Id.Should().Be(1);
        inMsg.Channel.Should().Be("orderbook_delta");
        inMsg.Sid.Should().Be(2);

        var topLevel = Parse<SubscribedFrame>("""{"id":3,"type":"subscribed","sid":7,"msg":{"channel":"trade"}}""");
        topLevel.Sid.Should().Be(7);
        topLevel.Channel.Should().Be("trade");
    }

    [Fact]
    public void Snapshot_levels_and_delta_are_exact_decimals()
    {
        var snapshot = Parse<OrderbookSnapshotFrame>(Fixture[2]);
        snapshot.Sid.Should().Be(2);
        snapshot.Seq.Should().Be(1);
        snapshot.MarketTicker.Should().Be("KXBTC15M-26JUL222315-15");
        snapshot.YesLevels.Should().Equal(new BookLevel(0.0100m, 2500m), new BookLevel(0.0500m, 120m), new BookLevel(0.0560m, 4480m));
        snapshot.NoLevels.Should().Equal(new BookLevel(0.9300m, 800m), new BookLevel(0.9430m, 22m));

        var delta = Parse<OrderbookDeltaFrame>(Fixture[3]);
        delta.Seq.Should().Be(2);
        delta.PriceDollars.Should().Be(0.0560m);
        delta.Delta.Should().Be(-480m);
        delta.Side.Should().Be("yes");
        delta.TsMs.Should().Be(1784776501917);
    }

    [Fact]
    public void Ticker_trade_lifecycle_ok_and_error_carry_their_fields()
    {
        var ticker = Parse<TickerFrame>(Fixture[4]);
        ticker.YesBidDollars.Should().Be(0.0560m);
        ticker.YesAskDollars.Should().Be(0.0570m);
        ticker.PriceDollars.Should().Be(0.0560m);
        ticker.Volume.Should().Be(1552146.80m);
        ticker.OpenInterest.Should().Be(480556.08m);

        var trade = Parse<TradeFrame>(Fixture[6]);
        trade.TradeId.Should().Be("d91bc706-ee49-470d-82d8-11418bda6fed");
        trade.YesPriceDollars.Should().Be(0.0560m);
        trade.NoPriceDollars.Should().Be(0.9440m);
        trade.Count.Should().Be(5m);
        trade.TakerSide.Should().Be("no");
        trade.TakerOutcomeSide.Should().Be("no");
        trade.TakerBookSide.Should().Be("ask");
        trade.IsBlockTrade.Should().BeFalse();
        trade.Seq.Should().Be(1);

        var created = Parse<LifecycleFrame>(Fixture[8]);
        created.EventType.Should().Be("created");
        created.OpenTs.Should().Be(1784776500);
        created.CloseTs.Should().Be(1784777400);

        var determined = Parse<LifecycleFrame>(Fixture[9]);
        determined.EventType.Should().Be("determined");
        determined.Result.Should().Be("yes");
        determined.SettlementValueText.Should().Be("1.0000", "settlement_value is the payout per YES contract, not the index value");
        determined.DeterminationTs.Should().Be(1784776504);

        var ok = Parse<OkFrame>(Fixture[10]);
        ok.Id.Should().Be(7);
        ok.Sid.Should().Be(2);
        ok.Seq.Should().Be(5);

        var error = Parse<ErrorFrame>(Fixture[11]);
        error.Code.Should().Be("6");
        error.Message.Should().Be("Already subscribed");

        var snapshotAnswer = Parse<OrderbookSnapshotFrame>(Fixture[15]);
        snapshotAnswer.Id.Should().Be(11, "the snapshot answering get_snapshot carries the command's id");
        snapshotAnswer.Sid.Should().Be(2);
        snapshotAnswer.Seq.Should().Be(9);

        var overflow = Parse<ErrorFrame>(Fixture[16]);
        overflow.Id.Should().BeNull();
        overflow.Sid.Should().Be(2, "an error scoped to a subscription carries its sid, possibly with no id");
        overflow.Code.Should().Be("25");
    }

    [Fact]
    public void A_snapshot_side_left_out_is_null_and_msg_may_come_before_type()
    {
        var frame = Parse<OrderbookSnapshotFrame>("""{"msg":{"market_ticker":"T-1","no_dollars_fp":[["0.5000","1.50"]]},"seq":9,"sid":2,"type":"orderbook_snapshot","sending_ts_ms":1}""");

        frame.YesLevels.Should().BeNull();
        frame.NoLevels.Should().Equal(new BookLevel(0.5m, 1.5m));
    }

    [Fact]
    public void Unknown_types_and_fields_are_ignored_not_malformed()
    {
        var frame = Parse("""{"type":"cfbenchmarks_later","sid":9,"msg":{"time":1784776500000,"value":"83854.69","nested":{"a":[1,2]}}}""");
        var index = Parse("""{"type":"cfbenchmarks_value","sid":9,"msg":{"time":1784776500000,"value":"83854.69","nested":{"a":[1,2]}}}""");

        frame.Should().BeOfType<UnknownFrame>().Which.Type.Should().Be("cfbenchmarks_later");
        index.Should().BeOfType<IndexValueFrame>("cfbenchmarks_value is known now: the index's own reader takes its fields");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"T","delta_fp":"-1.00","side":"yes"}}""")]
    [InlineData("""{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"T","price_dollars":"0.5","delta_fp":"-1.00","side":"maybe"}}""")]
    [InlineData("""{"type":"orderbook_snapshot","sid":2,"msg":{"market_ticker":"T"}}""")]
    [InlineData("""{"type":"ticker","sid":1,"msg":{"yes_bid_dollars":"0.5"}}""")]
    [InlineData("""{"type":"trade","sid":3,"seq":1,"msg":{"market_ticker":"T"}}""")]
    [InlineData("""{"type":"ticker","sid":1,"msg":{"market_ticker":"T","yes_bid_dollars":"abc"}}""")]
    [InlineData("""{"type":"ticker","sid":1,"msg":{"market_ticker":"T""")]
    public void Malformed_frames_are_refused_with_a_reason(string json)
    {
        var ok = KalshiFrameParser.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error);

        ok.Should().BeFalse();
        error.Should().NotBeNullOrEmpty();
    }

    private static KalshiFrame Parse(string json)
    {
        KalshiFrameParser.TryParse(Encoding.UTF8.GetBytes(json), out var frame, out var error).Should().BeTrue(error);
        return frame!;
    }

    private static T Parse<T>(string json)
        where T : KalshiFrame => Parse(json).Should().BeOfType<T>().Subject;
}
