using KxCollector.Records;
using System.Text;
using KxCollector.Store.Records;
using KxCollector.Tests.Store.Support;

namespace KxCollector.Tests.Store;

public sealed class RecordParserTests
{
    private static readonly DateTime At = new(2026, 11, 21, 17, 0, 5, 1, DateTimeKind.Utc);
    private readonly RecordParser _parser = new();
    private readonly StoreBatch _batch = new();

    [Fact]
    public void The_documented_tick_becomes_an_index_row_a_snapshot_and_a_depth_row()
    {
        const string line = """{"type":"tick","ts":"2026-11-21T17:00:05.001Z","brti":70241.33,"coinbase":70241.155,"kraken":70244.25,"bitstamp":70241.5,"markets":[{"ticker":"KXBTC15M-26NOV211215-15","status":"active","yes_bid":5.6,"yes_ask":5.7,"no_bid":94.3,"no_ask":94.4,"last_price":5.6,"volume":1552141.8,"open_interest":480551.08,"strike":65776.62,"secs_left":412,"age_ms":830,"src":"ws","yes_book":[[5.6,4000],[5.5,120]],"no_book":[[94.3,22]]}]}""";

        Parse(line).Should().Be(LineOutcome.Stored);

        _batch.IndexTicks.Should().Equal(new IndexTickRow(At, "KXBTC15M", 70241.33m, 70241.155m, 70244.25m, 70241.5m));
        _batch.Snapshots.Should().Equal(new SnapshotRow(
            "KXBTC15M-26NOV211215-15", At, "active", 5.6m, 5.7m, 94.3m, 94.4m, 5.6m, 1552141.8m, 480551.08m, 65776.62m, 412, 830, "ws"));
        _batch.Depth.Should().Equal(new DepthRow("KXBTC15M-26NOV211215-15", At, "[[5.6,4000],[5.5,120]]", "[[94.3,22]]"));
        _batch.IndexTicks[0].Timestamp.Kind.Should().Be(DateTimeKind.Utc);
        var meta = _batch.Metadata.Should().ContainSingle().Subject;
        (meta.Series, meta.Status, meta.Strike, meta.FirstSeen, meta.LastSeen).Should().Be(("KXBTC15M", "active", 65776.62m, At, At));
        _batch.NewestRecord.Should().Be(At);
    }

    [Fact]
    public void Nulls_stay_null_and_a_market_without_books_has_no_depth_row()
    {
        Parse("""{"type":"tick","ts":"2026-11-21T17:00:05.001Z","brti":null,"coinbase":null,"kraken":null,"bitstamp":null,"markets":[{"ticker":"M-1","status":"active","yes_bid":null,"yes_ask":5.7,"strike":null,"secs_left":null}]}""")
            .Should().Be(LineOutcome.Stored);

        _batch.IndexTicks.Should().Equal(new IndexTickRow(At, "KXBTC15M", null, null, null, null));
        var snapshot = _batch.Snapshots.Should().ContainSingle().Subject;
        (snapshot.YesBid, snapshot.YesAsk, snapshot.Strike, snapshot.SecsLeft, snapshot.Src).Should().Be((null, 5.7m, null, null, null));
        _batch.Depth.Should().BeEmpty();
    }

    [Fact]
    public void A_sports_tick_without_exchange_keys_gives_no_index_row()
    {
        Parse("""{"type":"tick","ts":"2026-11-21T17:00:05.001Z","markets":[{"ticker":"KXNFLGAME-26NOV21KCBUF-KC","yes_bid":41,"yes_ask":42}]}""", "KXNFLGAME")
            .Should().Be(LineOutcome.Stored);

        _batch.IndexTicks.Should().BeEmpty();
        _batch.Snapshots.Should().ContainSingle().Which.Ticker.Should().Be("KXNFLGAME-26NOV21KCBUF-KC");
        _batch.Metadata.Single().Series.Should().Be("KXNFLGAME");
    }

    [Fact]
    public void Unknown_keys_are_ignored_and_counted_and_named_once()
    {
        const string line = """{"extra":{"a":[1,2]},"type":"tick","ts":"2026-11-21T17:00:05.001Z","markets":[{"ticker":"M-1","greeks":{"delta":0.1},"yes_bid":5}],"brti":1}""";

        Parse(line).Should().Be(LineOutcome.Stored);
        Parse(line).Should().Be(LineOutcome.Stored);

        _parser.UnknownFields.Should().Be(4);
        _parser.TakeNewUnknownNames().Should().BeEquivalentTo("record.extra", "market.greeks");
        _parser.TakeNewUnknownNames().Should().BeEmpty("each name is reported once");
        _batch.Snapshots.Should().HaveCount(2).And.OnlyContain(s => s.YesBid == 5m);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_stored_as_null_and_counted()
    {
        Parse("""{"type":"tick","ts":"2026-11-21T17:00:05.001Z","brti":"70241","markets":[{"ticker":"M-1","yes_bid":[5],"secs_left":4.5,"status":7}]}""")
            .Should().Be(LineOutcome.Stored);

        _batch.IndexTicks.Single().Brti.Should().BeNull();
        var s = _batch.Snapshots.Single();
        (s.YesBid, s.SecsLeft, s.Status).Should().Be((null, null, null));
        _parser.BadValues.Should().Be(4);
    }

    [Fact]
    public void Settlement_trade_lifecycle_candle_and_market_records_give_their_rows()
    {
        Parse("""{"type":"settlement","ts":"2026-11-21T17:15:07.000Z","ticker":"M-1","close_time":"2026-11-21T17:15:00.000Z","result":"yes","expiration_value":65776.62,"strike":65744.55,"brti_avg60":65771.20,"brti_samples":60}""")
            .Should().Be(LineOutcome.Stored);
        Parse("""{"type":"trade","ts":"2026-11-21T17:00:05.250Z","ticker":"M-1","trade_id":"abc-1","yes_price":5.6,"no_price":94.4,"count":12.5,"taker_side":"yes"}""")
            .Should().Be(LineOutcome.Stored);
        Parse("""{"type":"lifecycle","ts":"2026-11-21T17:00:00.000Z","ticker":"M-1","event":"determined","result":"yes","whatever":{"x":1}}""")
            .Should().Be(LineOutcome.Stored);
        Parse("""{"type":"candle","src":"backfill","ticker":"M-1","interval":"1h","end_period_ts":1795368000,"yes_bid":{"open":5,"high":6,"low":4.5,"close":5.5},"yes_ask":{"open":5.1,"high":6.1,"low":4.6,"close":5.6},"price":{"open":5,"high":6,"low":5,"close":5.5,"mean":5.4},"volume":10,"open_interest":20}""")
            .Should().Be(LineOutcome.Stored);
        Parse("""{"type":"market","src":"backfill","ts":"2026-11-21T18:00:00.000Z","ticker":"M-2","status":"finalized","strike":1.5,"close_time":"2026-11-21T17:45:00Z","result":"no","expiration_value":1.2}""")
            .Should().Be(LineOutcome.Stored);

        _batch.Settlements.Should().Equal(new SettlementRow(
            "M-1", new DateTime(2026, 11, 21, 17, 15, 7, DateTimeKind.Utc), new DateTime(2026, 11, 21, 17, 15, 0, DateTimeKind.Utc), "yes", 65776.62m, 65744.55m, 65771.20m, 60, null));
        _batch.Trades.Should().Equal(new TradeRow("abc-1", "M-1", new DateTime(2026, 11, 21, 17, 0, 5, 250, DateTimeKind.Utc), 5.6m, 94.4m, 12.5m, "yes", null));
        var lifecycle = _batch.Lifecycle.Single();
        (lifecycle.Event, lifecycle.Details).Should().Be(("determined", """{"type":"lifecycle","ts":"2026-11-21T17:00:00.000Z","ticker":"M-1","event":"determined","result":"yes","whatever":{"x":1}}"""));
        var candle = _batch.Candles.Single();
        (candle.PeriodMinutes, candle.EndPeriod, candle.Src).Should().Be((60, DateTimeOffset.FromUnixTimeSeconds(1795368000).UtcDateTime, "backfill"));
        candle.Price.Should().Be(new Ohlc(Open: 5m, Low: 5m, High: 6m, Close: 5.5m, Mean: 5.4m));
        candle.YesAsk.Should().Be(new Ohlc(Open: 5.1m, Low: 4.6m, High: 6.1m, Close: 5.6m, Mean: null));
        var m1 = _batch.Metadata.Single(m => m.Ticker == "M-1");
        (m1.Result, m1.ExpirationValue, m1.LastEvent, m1.Strike).Should().Be(("yes", 65776.62m, "determined", 65744.55m));
        var m2 = _batch.Metadata.Single(m => m.Ticker == "M-2");
        (m2.Status, m2.Result, m2.CloseTime).Should().Be(("finalized", "no", new DateTime(2026, 11, 21, 17, 45, 0, DateTimeKind.Utc)));
        _parser.UnknownFields.Should().Be(0, "a lifecycle event's own keys are kept in details, not unknown");
    }

    [Theory]
    [InlineData("activated", "active")]
    [InlineData("deactivated", "inactive")]
    [InlineData("determined", "determined")]
    [InlineData("settled", "finalized")]
    [InlineData("metadata_updated", null)]
    [InlineData("close_date_updated", null)]
    public void A_lifecycle_event_sets_the_status_it_implies_and_never_an_expiration_value(string lifecycleEvent, string? status)
    {
        // The shape StreamRecorder.FormatLifecycle writes: yes_payout is the payout per YES contract in cents.
        Parse($$"""{"type":"lifecycle","ts":"2026-11-21T17:15:02.125Z","ticker":"M-1","event":"{{lifecycleEvent}}","result":"yes","yes_payout":100,"close_time":"2026-11-21T17:15:00.000Z","determined_time":"2026-11-21T17:15:01.000Z"}""")
            .Should().Be(LineOutcome.Stored);

        var meta = _batch.Metadata.Single();
        (meta.Status, meta.LastEvent, meta.Result, meta.ExpirationValue, meta.CloseTime).Should().Be((status, lifecycleEvent, "yes", (decimal?)null, new DateTime(2026, 11, 21, 17, 15, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void A_trade_keeps_its_sides_as_recorded_and_the_table_s_side_prefers_taker_outcome_side()
    {
        Parse("""{"type":"trade","ts":"2026-11-21T17:00:05.250Z","ticker":"M-1","trade_id":"t-1","yes_price":36,"no_price":64,"count":136,"taker_side":"yes","taker_outcome_side":"no","taker_book_side":"bid","is_block_trade":true}""")
            .Should().Be(LineOutcome.Stored);
        Parse("""{"type":"trade","ts":"2026-11-21T17:00:06.000Z","ticker":"M-1","trade_id":"t-2","yes_price":36,"no_price":64,"count":1,"taker_outcome_side":"yes","is_block_trade":"no"}""")
            .Should().Be(LineOutcome.Stored);
        Parse("""{"type":"trade","ts":"2026-11-21T17:00:07.000Z","ticker":"M-1","trade_id":"t-3","yes_price":36,"no_price":64,"count":1,"taker_side":"no"}""")
            .Should().Be(LineOutcome.Stored);

        var t = _batch.Trades;
        (t[0].TakerSide, t[0].TakerOutcomeSide, t[0].TakerBookSide, t[0].IsBlockTrade, t[0].Side).Should().Be(("yes", "no", "bid", (bool?)true, "no"));
        (t[1].TakerSide, t[1].TakerOutcomeSide, t[1].TakerBookSide, t[1].IsBlockTrade, t[1].Side).Should().Be(((string?)null, "yes", (string?)null, (bool?)null, "yes"));
        (t[2].TakerOutcomeSide, t[2].Side).Should().Be(((string?)null, "no"), "an older line has only the deprecated taker_side");
        _parser.BadValues.Should().Be(1, "is_block_trade given as text is a bad value, stored as null");
        _parser.UnknownFields.Should().Be(0);
    }

    [Fact]
    public void A_lifecycle_row_carries_the_event_s_own_fields()
    {
        Parse("""{"type":"lifecycle","ts":"2026-11-21T17:15:02.125Z","ticker":"M-1","event":"determined","result":"yes","yes_payout":100,"close_time":"2026-11-21T17:15:00.000Z","determined_time":"2026-11-21T17:15:01.000Z"}""")
            .Should().Be(LineOutcome.Stored);
        Parse("""{"type":"lifecycle","ts":"2026-11-21T17:15:04.000Z","ticker":"M-1","event":"settled","result":"yes","settlement_value":1,"settled_time":"2026-11-21T17:15:03.000Z"}""")
            .Should().Be(LineOutcome.Stored);
        Parse("""{"type":"lifecycle","ts":"2026-11-21T17:00:00.500Z","ticker":"M-2","event":"created","open_time":"2026-11-21T17:15:00.000Z","close_time":"2026-11-21T17:30:00.000Z"}""")
            .Should().Be(LineOutcome.Stored);

        static DateTime T(int h, int m, int s) => new(2026, 11, 21, h, m, s, DateTimeKind.Utc);
        _batch.Lifecycle.Select(l => l.Fields).Should().Equal(
            new LifecycleFields("yes", null, 100m, null, T(17, 15, 0), T(17, 15, 1), null),
            new LifecycleFields("yes", 1m, null, null, null, null, T(17, 15, 3)),
            new LifecycleFields(null, null, null, T(17, 15, 0), T(17, 30, 0), null, null));
        _batch.Metadata.Single(m => m.Ticker == "M-1").ExpirationValue.Should().BeNull("neither payout is the value the market settled on");
    }

    [Fact]
    public void An_old_build_s_lifecycle_settlement_value_is_not_taken_for_the_expiration_value()
    {
        // Builds before issue 12 wrote Kalshi's payout (1 dollar) as settlement_value.
        Parse("""{"type":"lifecycle","ts":"2026-11-21T17:15:02.125Z","ticker":"M-1","event":"determined","result":"yes","settlement_value":1,"determined_time":"2026-11-21T17:15:01.000Z"}""")
            .Should().Be(LineOutcome.Stored);

        _batch.Metadata.Single().ExpirationValue.Should().BeNull();
        _batch.Lifecycle.Single().Details.Should().Contain("\"settlement_value\":1", "the record is kept whole in details");
    }

    [Fact]
    public void A_settlement_line_marks_its_market_finalized()
    {
        Parse("""{"type":"settlement","ts":"2026-11-21T17:15:30.000Z","ticker":"KXNFLGAME-26NOV22KCBUF-KC","close_time":"2026-11-21T17:15:00.000Z","result":"yes","expiration_value":1,"strike":null}""")
            .Should().Be(LineOutcome.Stored);

        var meta = _batch.Metadata.Single();
        (meta.Status, meta.StatusAt).Should().Be(("finalized", new DateTime(2026, 11, 21, 17, 15, 30, DateTimeKind.Utc)));
    }

    [Fact]
    public void The_newest_status_wins_within_a_batch_whatever_the_order_of_the_lines()
    {
        Parse("""{"type":"tick","ts":"2026-11-21T17:00:09.001Z","markets":[{"ticker":"M-1","status":"closed","strike":2}]}""");
        Parse("""{"type":"tick","ts":"2026-11-21T17:00:05.001Z","markets":[{"ticker":"M-1","status":"active","strike":1}]}""");

        var meta = _batch.Metadata.Single();
        (meta.Status, meta.Strike, meta.FirstSeen, meta.LastSeen).Should().Be((
            "closed", 2m, new DateTime(2026, 11, 21, 17, 0, 5, 1, DateTimeKind.Utc), new DateTime(2026, 11, 21, 17, 0, 9, 1, DateTimeKind.Utc)));
    }

    [Theory]
    [InlineData("""{"type":"weather","ts":"2026-11-21T17:00:05.001Z"}""", "UnknownType")]
    [InlineData("""{"type":"tick","markets":[]}""", "Rejected")]
    [InlineData("""{"type":"tick","ts":"yesterday","markets":[]}""", "Rejected")]
    [InlineData("""{"ts":"2026-11-21T17:00:05.001Z"}""", "Rejected")]
    [InlineData("""{"type":"trade","ts":"2026-11-21T17:00:05.001Z","ticker":"M-1"}""", "Rejected")]
    [InlineData("""{"type":"settlement","ts":"2026-11-21T17:00:05.001Z"}""", "Rejected")]
    [InlineData("""{"type":"tick","ts":"2026-11-21T17:00:05.001Z","markets":[]}{"type":"tick","ts":"2026-11-21T17:00:06.001Z","markets":[]}""", "Unparseable")]
    [InlineData("""{"type":"tick","ts":"2026-11-21T17:00:05.0""", "Unparseable")]
    [InlineData("[1,2,3]", "Unparseable")]
    [InlineData("not json", "Unparseable")]
    [InlineData("", "Blank")]
    [InlineData("   ", "Blank")]
    public void Lines_that_give_no_row_say_why_and_add_nothing(string line, string expected)
    {
        Parse(line).Should().Be(Enum.Parse<LineOutcome>(expected));

        _batch.RowCount.Should().Be(0);
        _batch.Metadata.Should().BeEmpty();
    }

    [Fact]
    public void A_line_that_breaks_off_after_its_markets_adds_none_of_them()
    {
        Parse("""{"type":"tick","ts":"2026-11-21T17:00:05.001Z","markets":[{"ticker":"M-1","yes_bid":5}],"brti":""").Should().Be(LineOutcome.Unparseable);

        _batch.RowCount.Should().Be(0);
    }

    [Fact]
    public void Every_sample_line_parses()
    {
        foreach (var line in StoreSamples.Lines(30))
        {
            Parse(line).Should().BeOneOf(LineOutcome.Stored, LineOutcome.UnknownType);
        }

        _batch.IndexTicks.Should().HaveCount(30);
        _batch.Snapshots.Should().HaveCount(60);
        _batch.Depth.Should().HaveCount(30);
        _batch.Trades.Should().HaveCount(3);
        _batch.Settlements.Should().HaveCount(1);
        _batch.Lifecycle.Should().HaveCount(1);
    }

    private LineOutcome Parse(string line, string series = "KXBTC15M") => _parser.Parse(Encoding.UTF8.GetBytes(line), series, _batch);
}
