using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Signing;
using KxCollector.Kalshi.Stream;
using KxCollector.Recording;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace KxCollector.Tests.Kalshi.Stream;

/// <summary>
/// The receive side of one stream connection, fed frames by hand (no socket): acks, books with the per-sid sequence
/// check, quotes, trades, and what a lost session leaves behind.
/// </summary>
public sealed class StreamConnectionFrameTests : IDisposable
{
    private const string Market = "KXBTC15M-26JUL222315-15";
    private static readonly DateTimeOffset Now = new(2026, 7, 23, 3, 10, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly StreamBoard _board = new();
    private readonly StreamStats _stats = new();
    private readonly RecordingSink _sink = new();
    private readonly ListLogger _log = new();
    private readonly KalshiSigner _signer;
    private readonly KalshiStreamConnection _connection;

    public StreamConnectionFrameTests()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(TestKeys.Pkcs1Pem);
        _signer = new KalshiSigner(TestKeys.KeyId, rsa);
        var recorder = new StreamRecorder([new StreamSeries("KXBTC15M", _sink, null)], new TradeDeduplicator(), _stats);
        _connection = new KalshiStreamConnection(0, lifecycle: false, KalshiTestRig.Options(), _signer, _board, recorder, _stats, _time, _log);
        _connection.BeginSession();
        _connection.SetMarkets([Market, "KXBTC15M-26JUL222330-30"]);
        _connection.NextCommands(Now).Should().ContainSingle();
        Feed("""{"id":1,"type":"subscribed","msg":{"channel":"ticker","sid":1}}""");
        Feed("""{"id":1,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":2}}""");
        Feed("""{"id":1,"type":"subscribed","sid":3,"msg":{"channel":"trade"}}""");
    }

    public void Dispose() => _signer.Dispose();

    [Fact]
    public void The_fixture_s_snapshot_delta_and_get_snapshot_answer_build_the_book_and_its_overflow_error_ends_the_subscription()
    {
        var frames = Fixtures.Frames("kalshi-ws").ToList();
        var overflow = frames.FindIndex(f => f.Contains("\"code\":25", StringComparison.Ordinal));
        foreach (var line in frames.Take(overflow))
        {
            Feed(line);
        }

        // The last snapshot answers a get_snapshot (it carries the command's id, seq 9 after seq 2): a fresh state,
        // applied, and no gap for the seq it jumps to.
        var book = _board.Find(Market)!.Book;
        book.IsValid.Should().BeTrue();
        book.TopBids("yes", 1).Should().Equal(new BookLevel(0.0560m, 4000m));
        book.TopBids("no", 1).Should().Equal(new BookLevel(0.9300m, 310m));
        _stats.SequenceGaps.Should().Be(0);
        _stats.MalformedFrames.Should().Be(0);
        _board.Find(Market)!.Quote!.YesAsk.Should().Be(5.7m);

        Feed(frames[overflow]);

        book.IsValid.Should().BeFalse("error 25 with the book's sid ends that subscription: its books are stale until new snapshots");
        _stats.SubscriptionsEnded.Should().Be(1);
        _log.Entries.Should().Contain(e => e.EventId == 614 && e.Message.Contains("orderbook_delta"));
    }

    [Fact]
    public void A_sequence_gap_invalidates_every_book_of_the_sid_and_asks_for_fresh_snapshots()
    {
        Feed(Snapshot(Market, seq: 1));
        Feed(Snapshot("KXBTC15M-26JUL222330-30", seq: 2));
        Feed(Delta(Market, seq: 3, "0.0500", "5.00"));

        Feed(Delta(Market, seq: 5, "0.0500", "5.00"));

        _stats.SequenceGaps.Should().Be(1);
        _board.Find(Market)!.Book.IsValid.Should().BeFalse();
        _board.Find("KXBTC15M-26JUL222330-30")!.Book.IsValid.Should().BeFalse("the missed delta could have been any market's");
        var resnapshot = _connection.NextCommands(Now).Select(c => Encoding.UTF8.GetString(c)).Should().ContainSingle().Subject;
        resnapshot.Should().Contain("\"action\":\"get_snapshot\"").And.Contain("\"sid\":2").And.Contain(Market);

        Feed(Delta(Market, seq: 6, "0.0500", "5.00"));
        _board.Find(Market)!.Book.IsValid.Should().BeFalse("deltas do not revive a book");
        Feed(Snapshot(Market, seq: 7));
        _board.Find(Market)!.Book.IsValid.Should().BeTrue();
        _board.Find(Market)!.Book.TopBids("yes", 1).Should().Equal(new BookLevel(0.0800m, 300m));
    }

    [Fact]
    public void A_repeated_delta_is_not_applied_twice_and_the_books_are_resnapshotted()
    {
        Feed(Snapshot(Market, seq: 1));
        Feed(Delta(Market, seq: 2, "0.0800", "-100.00"));

        Feed(Delta(Market, seq: 2, "0.0800", "-100.00"));

        _stats.SequenceDuplicates.Should().Be(1);
        _board.Find(Market)!.Book.IsValid.Should().BeFalse();
        _connection.NextCommands(Now).Select(c => Encoding.UTF8.GetString(c)).Should().ContainSingle(c => c.Contains("get_snapshot"));
    }

    [Fact]
    public void An_ok_carrying_the_next_seq_keeps_the_sequence_whole()
    {
        Feed(Snapshot(Market, seq: 4));
        Feed("""{"id":7,"type":"ok","sid":2,"seq":5,"msg":{"market_tickers":["KXBTC15M-26JUL222315-15"]}}""");

        Feed(Delta(Market, seq: 6, "0.0800", "1.00"));

        _stats.SequenceGaps.Should().Be(0);
        _board.Find(Market)!.Book.TopBids("yes", 1).Should().Equal(new BookLevel(0.0800m, 301m));
    }

    [Fact]
    public void Malformed_frames_are_counted_and_skipped()
    {
        Feed("{not json");
        Feed("""{"type":"orderbook_delta","sid":2,"seq":1,"msg":{"market_ticker":"X"}}""");
        Feed(Snapshot(Market, seq: 1));

        _stats.MalformedFrames.Should().Be(2);
        _board.Find(Market)!.Book.IsValid.Should().BeTrue();
        _log.Entries.Should().Contain(e => e.EventId == 606);
    }

    [Fact]
    public void Trades_are_written_once_even_when_delivered_again()
    {
        var trade = Fixtures.Frames("kalshi-ws")[6];
        Feed(trade);
        Feed(trade.Replace("\"seq\":1", "\"seq\":2", StringComparison.Ordinal));

        _sink.Lines.Should().ContainSingle().Which.Should().Be(
            """{"type":"trade","ts":"2026-07-23T03:15:02.001Z","ticker":"KXBTC15M-26JUL222315-15","trade_id":"d91bc706-ee49-470d-82d8-11418bda6fed","yes_price":5.6,"no_price":94.4,"count":5,"taker_side":"no","taker_outcome_side":"no","taker_book_side":"ask","is_block_trade":false}""");
        _stats.TradeRepeats.Should().Be(1);
    }

    [Fact]
    public void Kalshi_errors_are_logged_with_their_code()
    {
        Feed("""{"id":9,"type":"error","msg":{"code":6,"msg":"Already subscribed"}}""");

        _log.Entries.Should().Contain(e => e.EventId == 607 && e.Message.Contains("6") && e.Message.Contains("Already subscribed"));
    }

    [Fact]
    public void A_lost_session_leaves_no_quote_or_book_behind()
    {
        Feed(Snapshot(Market, seq: 1));
        Feed(Fixtures.Frames("kalshi-ws")[4]);
        _board.Find(Market).Should().NotBeNull();

        _connection.EndSession();

        _board.Find(Market).Should().BeNull("after a reconnect books come only from fresh snapshots");
    }

    [Fact]
    public void A_quiet_link_is_probed_at_half_the_silence_timeout()
    {
        _time.Advance(KalshiTestRig.Options().WebSocketSilenceTimeout / 2);

        _connection.NextCommands(_time.GetUtcNow()).Select(c => Encoding.UTF8.GetString(c)).Should().ContainSingle(c => c.Contains("list_subscriptions"));
        _connection.NextCommands(_time.GetUtcNow()).Should().BeEmpty("one probe per half period");
    }

    [Fact]
    public void Reconnect_delays_are_jittered_below_a_doubling_ceiling_that_stops_at_the_maximum()
    {
        var options = KalshiTestRig.Options();
        var policy = KalshiStreamConnection.ReconnectPolicy(options);

        // Attempt n (1 for the first) is retry n - 1 of the one backoff.
        policy.Delay(1 - 1, 1.0).Should().Be(options.WebSocketReconnectBaseDelay);
        policy.Delay(3 - 1, 1.0).Should().Be(options.WebSocketReconnectBaseDelay * 4);
        policy.Delay(3 - 1, 0.25).Should().Be(options.WebSocketReconnectBaseDelay);
        policy.Delay(30 - 1, 1.0).Should().Be(options.WebSocketReconnectMaxDelay);
        policy.Delay(30 - 1, 0.0).Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void A_gap_costs_one_get_snapshot_whose_answer_carries_its_id_and_no_ok_is_awaited()
    {
        Feed(Snapshot(Market, seq: 1));
        Feed(Snapshot("KXBTC15M-26JUL222330-30", seq: 2));
        Feed(Delta(Market, seq: 4, "0.0500", "5.00"));
        var command = _connection.NextCommands(Now).Select(c => JsonDocument.Parse(c).RootElement.Clone()).Should().ContainSingle().Subject;
        var id = command.GetProperty("id").GetInt64();

        Feed(AnswerSnapshot(Market, id, seq: 5));
        Feed(AnswerSnapshot("KXBTC15M-26JUL222330-30", id, seq: 6));
        _board.Find(Market)!.Book.IsValid.Should().BeTrue();
        _board.Find("KXBTC15M-26JUL222330-30")!.Book.IsValid.Should().BeTrue();

        // Kalshi promises no "ok" for get_snapshot: long past the silence timeout the connection still stands.
        _time.Advance(KalshiTestRig.Options().WebSocketSilenceTimeout * 3);
        var later = () => _connection.NextCommands(_time.GetUtcNow()).Select(c => Encoding.UTF8.GetString(c)).ToList();
        later.Should().NotThrow().Which.Should().OnlyContain(c => c.Contains("list_subscriptions"), "the snapshots answered the command: nothing is restarted");
        _stats.SnapshotRequests.Should().Be(1);
        _stats.SequenceGaps.Should().Be(1);
    }

    [Fact]
    public void An_overflow_error_on_the_book_sid_resubscribes_that_channel_alone_and_its_snapshots_revive_the_books()
    {
        Feed(Snapshot(Market, seq: 1));
        _board.Find(Market)!.Book.IsValid.Should().BeTrue();

        Feed("""{"type":"error","sid":2,"msg":{"code":25,"msg":"Subscription buffer overflow"}}""");

        _board.Find(Market)!.Book.IsValid.Should().BeFalse();
        var resubscribe = _connection.NextCommands(Now).Select(c => Encoding.UTF8.GetString(c)).Should().ContainSingle().Subject;
        resubscribe.Should().Contain("\"cmd\":\"subscribe\"").And.Contain("\"channels\":[\"orderbook_delta\"]")
            .And.Contain(Market).And.Contain("\"use_yes_price\":false");
        var id = JsonDocument.Parse(resubscribe).RootElement.GetProperty("id").GetInt64();
        Feed(Delta(Market, seq: 2, "0.0500", "5.00"));
        _board.Find(Market)!.Book.IsValid.Should().BeFalse("frames of the ended sid are ignored");

        Feed($$$"""{"id":{{{id}}},"type":"subscribed","msg":{"channel":"orderbook_delta","sid":7}}""");
        Feed(Snapshot(Market, seq: 1).Replace("\"sid\":2", "\"sid\":7", StringComparison.Ordinal));

        _board.Find(Market)!.Book.IsValid.Should().BeTrue();
        _board.Find(Market)!.Book.TopBids("yes", 1).Should().Equal(new BookLevel(0.0800m, 300m));
        _stats.SubscriptionsEnded.Should().Be(1);
        _stats.SequenceGaps.Should().Be(0, "the new sid's sequence starts afresh");
        _connection.NextCommands(Now).Should().BeEmpty("the resubscribe is answered; nothing else to send");
    }

    [Fact]
    public void A_channel_error_with_a_sid_and_an_id_ends_the_trade_subscription_too()
    {
        Feed("""{"id":40,"type":"error","sid":3,"msg":{"code":10,"msg":"Channel error"}}""");

        _stats.SubscriptionsEnded.Should().Be(1);
        _connection.NextCommands(Now).Select(c => Encoding.UTF8.GetString(c)).Should().ContainSingle()
            .Which.Should().Contain("\"channels\":[\"trade\"]");
    }

    [Fact]
    public void A_get_snapshot_left_unanswered_resubscribes_the_books_instead_of_reconnecting()
    {
        Feed(Snapshot(Market, seq: 1));
        Feed(Delta(Market, seq: 3, "0.0500", "5.00"));
        _connection.NextCommands(Now).Should().ContainSingle();

        _time.Advance(KalshiTestRig.Options().WebSocketSilenceTimeout + TimeSpan.FromSeconds(1));
        var commands = _connection.NextCommands(_time.GetUtcNow()).Select(c => Encoding.UTF8.GetString(c))
            .Where(c => !c.Contains("list_subscriptions", StringComparison.Ordinal)).ToList();

        commands.Should().HaveCount(2);
        commands[0].Should().Contain("\"cmd\":\"unsubscribe\"").And.Contain("\"sids\":[2]");
        commands[1].Should().Contain("\"cmd\":\"subscribe\"").And.Contain("\"channels\":[\"orderbook_delta\"]");
        _log.Entries.Should().Contain(e => e.EventId == 615);
    }

    private static string AnswerSnapshot(string market, long id, long seq) =>
        $$$"""{"id":{{{id}}},"type":"orderbook_snapshot","sid":2,"seq":{{{seq}}},"msg":{"market_ticker":"{{{market}}}","yes_dollars_fp":[["0.0700","50.00"]]}}""";

    private void Feed(string json) => _connection.OnFrame(Encoding.UTF8.GetBytes(json), _time.GetUtcNow());

    private static string Snapshot(string market, long seq) =>
        $$$"""{"type":"orderbook_snapshot","sid":2,"seq":{{{seq}}},"msg":{"market_ticker":"{{{market}}}","yes_dollars_fp":[["0.0800","300.00"]],"no_dollars_fp":[["0.9000","10.00"]]}}""";

    private static string Delta(string market, long seq, string price, string delta) =>
        $$$"""{"type":"orderbook_delta","sid":2,"seq":{{{seq}}},"msg":{"market_ticker":"{{{market}}}","price_dollars":"{{{price}}}","delta_fp":"{{{delta}}}","side":"yes","ts_ms":1784776501917}}""";

    private sealed class RecordingSink : IRecordSink
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
