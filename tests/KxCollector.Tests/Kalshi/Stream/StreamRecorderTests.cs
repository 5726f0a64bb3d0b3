using System.Text;
using KxCollector.Kalshi.Stream;
using KxCollector.Recording;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Kalshi.Stream;

public sealed class StreamRecorderTests
{
    private static readonly DateTimeOffset Received = new(2026, 7, 23, 3, 15, 4, 250, TimeSpan.Zero);
    private readonly Sink _btc = new();
    private readonly Sink _btcDaily = new();
    private readonly Sink _nfl = new();
    private readonly StreamRecorder _recorder;

    public StreamRecorderTests() =>
        _recorder = new StreamRecorder(
            [new StreamSeries("KXBTC15M", _btc, null), new StreamSeries("KXBTC", _btcDaily, null), new StreamSeries("KXNFLGAME", _nfl, null)],
            new TradeDeduplicator(),
            new StreamStats());

    [Fact]
    public void Lifecycle_lines_carry_the_event_and_its_own_fields()
    {
        var frames = Fixtures.Frames("kalshi-ws");

        // settlement_value "1.0000" is the payout per YES contract in dollars: 100 cents, never the index value.
        _recorder.RecordLifecycle(Frame<LifecycleFrame>(frames[9]), Received).Should().BeTrue();
        _recorder.RecordLifecycle(Frame<LifecycleFrame>(frames[8]), Received).Should().BeTrue();

        _btc.Lines.Should().Equal(
            """{"type":"lifecycle","ts":"2026-07-23T03:15:04.250Z","ticker":"KXBTC15M-26JUL222300-00","event":"determined","result":"yes","yes_payout":100,"determined_time":"2026-07-23T03:15:04.000Z"}""",
            """{"type":"lifecycle","ts":"2026-07-23T03:15:04.250Z","ticker":"KXBTC15M-26JUL222330-30","event":"created","open_time":"2026-07-23T03:15:00.000Z","close_time":"2026-07-23T03:30:00.000Z"}""");
        _btcDaily.Lines.Should().BeEmpty("KXBTC15M markets are not KXBTC's");
    }

    [Fact]
    public void Markets_of_series_not_recorded_are_ignored()
    {
        var frame = Frame<LifecycleFrame>("""{"type":"market_lifecycle_v2","sid":4,"msg":{"event_type":"activated","market_ticker":"KXNBAGAME-26NOV21LALBOS-LAL"}}""");

        _recorder.RecordLifecycle(frame, Received).Should().BeFalse();
        _recorder.SeriesOf("KXNFLGAME-26NOV22KCBUF-KC")!.Series.Should().Be("KXNFLGAME");
        _recorder.SeriesOf("KXBTC-26NOV2217-B99000")!.Series.Should().Be("KXBTC");
        _btc.Lines.Concat(_btcDaily.Lines).Concat(_nfl.Lines).Should().BeEmpty();
    }

    [Fact]
    public void A_trade_goes_to_its_series_file_stamped_with_the_trade_s_own_time()
    {
        var frame = Frame<TradeFrame>("""{"type":"trade","sid":3,"seq":8,"msg":{"trade_id":"t-1","market_ticker":"KXNFLGAME-26NOV22KCBUF-KC","yes_price_dollars":"0.6150","no_price_dollars":"0.3850","count_fp":"12.50","taker_side":"yes","ts_ms":1795370400123}}""");

        _recorder.RecordTrade(frame, Received).Should().BeTrue();
        _recorder.RecordTrade(frame, Received).Should().BeFalse();

        _nfl.Lines.Should().ContainSingle().Which.Should().Be(
            """{"type":"trade","ts":"2026-11-22T18:00:00.123Z","ticker":"KXNFLGAME-26NOV22KCBUF-KC","trade_id":"t-1","yes_price":61.5,"no_price":38.5,"count":12.5,"taker_side":"yes","taker_outcome_side":"yes","taker_book_side":null,"is_block_trade":null}""",
            "an older frame with only the deprecated taker_side gives taker_outcome_side from it; what Kalshi did not send is null");
    }

    [Fact]
    public void A_trade_without_the_deprecated_taker_side_takes_it_from_taker_outcome_side()
    {
        var frame = Frame<TradeFrame>("""{"type":"trade","sid":3,"seq":9,"msg":{"trade_id":"t-2","market_ticker":"KXNFLGAME-26NOV22KCBUF-KC","yes_price_dollars":"0.6150","no_price_dollars":"0.3850","count_fp":"1.00","taker_outcome_side":"no","taker_book_side":"bid","is_block_trade":true,"ts_ms":1795370400123}}""");

        _recorder.RecordTrade(frame, Received).Should().BeTrue();

        _nfl.Lines.Should().ContainSingle().Which.Should().EndWith(
            """ "count":1,"taker_side":"no","taker_outcome_side":"no","taker_book_side":"bid","is_block_trade":true}""".TrimStart());
    }

    private static T Frame<T>(string json)
        where T : KalshiFrame
    {
        KalshiFrameParser.TryParse(Encoding.UTF8.GetBytes(json), out var frame, out var error).Should().BeTrue(error);
        return frame.Should().BeOfType<T>().Subject;
    }

    private sealed class Sink : IRecordSink
    {
        public List<string> Lines { get; } = [];

        public bool Append(DateTimeOffset timestamp, ReadOnlySpan<byte> record)
        {
            Lines.Add(Encoding.UTF8.GetString(record));
            return true;
        }

        public void FlushToDisk()
        {
        }
    }
}
