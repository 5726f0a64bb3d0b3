using System.IO.Compression;
using System.Text;
using System.Text.Json;
using KxCollector.Tests.Support;
using KxCollector.Verification;

namespace KxCollector.Tests.Verification;

public sealed class DataFileVerifierTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_file_with_one_tick_per_second_is_clean_and_its_figures_are_counted()
    {
        var path = Write("kxbtc15m-2026-11-21.jsonl",
            Tick("10:00:00.001", brti: "1.5", kraken: "null"),
            Tick("10:00:01.003", brti: "null", coinbase: "null", kraken: "null", bitstamp: "null"),
            Tick("10:00:02.002"),
            "{\"type\":\"settlement\",\"ts\":\"2026-11-21T10:00:02.500Z\",\"ticker\":\"KXBTC15M-A\"}");

        var report = DataFileVerifier.Verify(path);

        report.Clean.Should().BeTrue(string.Join("; ", report.Problems));
        report.Lines.Should().Be(4);
        report.Ticks.Should().Be(3);
        report.Settlements.Should().Be(1);
        report.MissingSeconds.Should().Be(0);
        report.BrtiNullSeconds.Should().Be(1);
        report.ExchangeNulls.Should().Equal(new Dictionary<string, long> { ["coinbase"] = 1, ["kraken"] = 2, ["bitstamp"] = 1 });
        report.OffsetP50Ms.Should().Be(2);
        report.OffsetMaxMs.Should().Be(3);
    }

    [Fact]
    public void Game_lines_are_counted_and_a_live_game_s_stretches_without_one_past_three_poll_intervals_are_reported_not_failed()
    {
        static string Game(string id, string time) =>
            $$$"""{"type":"game","ts":"2026-11-21T{{{time}}}Z","milestone_id":"{{{id}}}","event_tickers":["KXNFLGAME-26NOV21KCBUF"],"milestone_type":"football_game","details":{"home":0}}""";
        var path = Write("kxnflgame-2026-11-21.jsonl",
            Tick("10:00:00.001"),
            Game("m1", "10:00:00.500"),
            Game("m1", "10:00:15.500"),
            Game("m2", "10:00:01.000"),
            Game("m1", "10:00:31.000"),
            Game("m2", "10:01:01.000"),
            "{\"type\":\"game\",\"ts\":\"2026-11-21T10:00:00.000Z\"}");

        var report = DataFileVerifier.Verify(path, TimeSpan.FromSeconds(5));

        report.GameLines.Should().Be(5);
        report.Games.Should().Be(2);
        report.UnparseableLineCount.Should().Be(1, "a game line without its milestone id is not one");
        report.GameSilenceCount.Should().Be(2, "15 s is three 5 s intervals, 15.5 s and 60 s are more");
        report.LongestGameSilences.Select(g => (g.MilestoneId, g.Seconds)).Should().Equal(("m2", 60L), ("m1", 15L));
        report.Problems.Should().Equal(["1 unparseable line(s)"], "a quiet game is reported, not a fault");
    }

    [Fact]
    public void Missing_seconds_are_counted_and_the_longest_gaps_listed_first()
    {
        var path = Write("kxbtc15m-2026-11-21.jsonl",
            Tick("10:00:00.001"), Tick("10:00:02.001"), Tick("10:00:03.001"), Tick("10:00:09.001"));

        var report = DataFileVerifier.Verify(path);

        report.MissingSeconds.Should().Be(6);
        report.LongestGaps.Select(g => (g.From.UtcDateTime.ToString("HH:mm:ss"), g.Seconds))
            .Should().Equal(("10:00:04", 5L), ("10:00:01", 1L));
        report.Problems.Should().Contain("6 missing second(s)");
    }

    [Fact]
    public void A_second_written_twice_is_a_problem()
    {
        var path = Write("kxbtc15m-2026-11-21.jsonl", Tick("10:00:00.001"), Tick("10:00:00.900"), Tick("10:00:01.001"));

        DataFileVerifier.Verify(path).DuplicatedSeconds.Should().Be(1);
    }

    [Fact]
    public void Glued_and_torn_lines_are_reported_with_their_line_numbers()
    {
        var path = Write("kxbtc15m-2026-11-21.jsonl",
            Tick("10:00:00.001"),
            Tick("10:00:01.001") + Tick("10:00:02.001"),
            "{\"type\":\"tick\",\"ts\":\"2026-11-",
            Tick("10:00:03.001"));

        var report = DataFileVerifier.Verify(path);

        report.UnparseableLines.Should().Equal(2, 3);
        report.Clean.Should().BeFalse();
    }

    [Fact]
    public void A_tick_in_another_day_s_file_is_a_rotation_fault()
    {
        var path = Write("kxbtc15m-2026-11-22.jsonl", Tick("23:59:59.001"));

        DataFileVerifier.Verify(path).TicksInWrongFile.Should().Be(1);
    }

    [Fact]
    public void Ticks_more_than_50_ms_off_their_second_are_counted_but_do_not_fail_the_file()
    {
        var path = Write("kxbtc15m-2026-11-21.jsonl", Tick("10:00:00.001"), Tick("10:00:01.051"), Tick("10:00:02.400"));

        var report = DataFileVerifier.Verify(path);

        report.TicksOffOver50Ms.Should().Be(2);
        report.OffsetMaxMs.Should().Be(400);
        report.Clean.Should().BeTrue("a late tick is still a true sample of its second");
    }

    [Fact]
    public void Markets_ticked_without_a_settlement_in_the_file_are_listed()
    {
        var path = Write("kxbtc15m-2026-11-21.jsonl",
            Tick("10:00:00.001", markets: "[{\"ticker\":\"KXBTC15M-B\"},{\"ticker\":\"KXBTC15M-A\"}]"),
            "{\"type\":\"settlement\",\"ts\":\"2026-11-21T10:00:00.500Z\",\"ticker\":\"KXBTC15M-A\"}");

        DataFileVerifier.Verify(path).MarketsWithoutSettlement.Should().Equal("KXBTC15M-B");
    }

    [Fact]
    public void Backfilled_records_are_counted_apart_from_recorded_ticks()
    {
        var path = Write("kxbtc15m-2026-11-21.jsonl",
            Tick("10:00:00.001"),
            "{\"type\":\"trade\",\"ts\":\"2026-11-21T09:00:00.000Z\",\"src\":\"backfill\"}");

        var report = DataFileVerifier.Verify(path);

        report.BackfilledRecords.Should().Be(1);
        report.Ticks.Should().Be(1);
    }

    [Fact]
    public void Backfilled_records_are_counted_by_type_and_a_record_written_twice_is_a_problem()
    {
        const string Trade = "{\"type\":\"trade\",\"ts\":\"2026-11-21T09:00:00.000Z\",\"ticker\":\"KXBTC15M-A\",\"trade_id\":\"t-1\",\"src\":\"backfill\"}";
        const string Candle = "{\"type\":\"candle\",\"ts\":\"2026-11-21T09:01:00.000Z\",\"ticker\":\"KXBTC15M-A\",\"interval\":\"1m\",\"end\":\"2026-11-21T09:01:00.000Z\",\"src\":\"backfill\"}";
        var clean = Write("kxbtc15m-trades-2026-11-21.jsonl", Trade, Candle, Trade.Replace("t-1", "t-2", StringComparison.Ordinal));
        var twice = Write("kxbtc15m-candles-1m-2026-11-21.jsonl", Candle, Candle);

        var report = DataFileVerifier.Verify(clean);

        report.Clean.Should().BeTrue(string.Join("; ", report.Problems));
        report.BackfilledByType.Should().Equal(new Dictionary<string, long> { ["candle"] = 1, ["trade"] = 2 });
        report.Day.Should().Be(new DateOnly(2026, 11, 21));
        VerifyCommand.Describe(report).Should().Contain("backfilled 3 (candle 1, trade 2)");
        DataFileVerifier.Verify(twice).Problems.Should().Equal("1 backfilled record(s) written twice");
    }

    [Fact]
    public void A_backfilled_settlement_counts_as_the_market_s_settlement()
    {
        var path = Write("kxbtc15m-2026-11-21.jsonl",
            Tick("10:00:00.001", markets: "[{\"ticker\":\"KXBTC15M-A\"}]"),
            "{\"type\":\"settlement\",\"ts\":\"2026-11-21T10:00:00.500Z\",\"ticker\":\"KXBTC15M-A\",\"brti_samples\":0,\"src\":\"backfill\"}");

        var report = DataFileVerifier.Verify(path);

        report.MarketsWithoutSettlement.Should().BeEmpty();
        report.Settlements.Should().Be(0, "recorded settlements and backfilled ones are counted apart");
        report.BackfilledByType.Should().Equal(new Dictionary<string, long> { ["settlement"] = 1 });
    }

    [Fact]
    public void Stream_trade_and_lifecycle_lines_are_counted_apart_from_backfilled_trades()
    {
        const string LiveTrade = "{\"type\":\"trade\",\"ts\":\"2026-11-21T10:00:00.200Z\",\"ticker\":\"KXBTC15M-A\",\"trade_id\":\"t-1\",\"yes_price\":5.6,\"no_price\":94.4,\"count\":1.5,\"taker_side\":\"yes\"}";
        var path = Write("kxbtc15m-2026-11-21.jsonl",
            Tick("10:00:00.001"),
            LiveTrade,
            LiveTrade.Replace("t-1", "t-2", StringComparison.Ordinal),
            "{\"type\":\"lifecycle\",\"ts\":\"2026-11-21T10:00:00.500Z\",\"ticker\":\"KXBTC15M-A\",\"event\":\"closed\"}",
            LiveTrade.Replace("t-1", "t-3", StringComparison.Ordinal).Replace("}", ",\"src\":\"backfill\"}", StringComparison.Ordinal),
            Tick("10:00:01.001"));

        var report = DataFileVerifier.Verify(path);

        report.Clean.Should().BeTrue(string.Join("; ", report.Problems));
        report.Trades.Should().Be(2, "the backfilled trade is counted apart");
        report.LifecycleEvents.Should().Be(1);
        report.BackfilledByType.Should().Equal(new Dictionary<string, long> { ["trade"] = 1 });
        VerifyCommand.Describe(report).Should().Contain("trades 2, lifecycle 1, backfilled 1 (trade 1)");
    }

    [Fact]
    public void A_recorded_trade_written_twice_or_without_an_id_is_a_problem()
    {
        const string LiveTrade = "{\"type\":\"trade\",\"ts\":\"2026-11-21T10:00:00.200Z\",\"ticker\":\"KXBTC15M-A\",\"trade_id\":\"t-1\",\"yes_price\":5.6,\"no_price\":94.4,\"count\":1,\"taker_side\":\"no\"}";
        var path = Write("kxbtc15m-2026-11-21.jsonl", Tick("10:00:00.001"), LiveTrade, LiveTrade, "{\"type\":\"trade\",\"ts\":\"2026-11-21T10:00:00.300Z\"}");

        var report = DataFileVerifier.Verify(path);

        report.Problems.Should().Equal("1 unparseable line(s)", "1 recorded trade(s) written twice");
        report.UnparseableLines.Should().Equal(4);
    }

    [Fact]
    public void A_gzipped_file_is_read_like_a_plain_one()
    {
        var path = _dir.Combine("kxbtc15m-2026-11-21.jsonl.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gz.Write(Encoding.UTF8.GetBytes(Tick("10:00:00.001") + "\n" + Tick("10:00:02.001") + "\n"));
        }

        var report = DataFileVerifier.Verify(path);

        report.Ticks.Should().Be(2);
        report.MissingSeconds.Should().Be(1);
        report.Day.Should().Be(new DateOnly(2026, 11, 21));
    }

    [Fact]
    public async Task Verify_command_exits_0_when_clean_1_on_problems_and_2_on_a_usage_error()
    {
        var clean = Write("kxbtc15m-2026-11-21.jsonl", Tick("10:00:00.001"), Tick("10:00:01.001"));
        (await Run(clean)).Exit.Should().Be(0);

        var bad = Write("kxbtc15m-2026-11-20.jsonl", "not json");
        (await Run(_dir.Path)).Exit.Should().Be(1);

        (await Run(_dir.Combine("nope"))).Exit.Should().Be(2);
        using var empty = new TempDirectory();
        (await Run(empty.Path)).Exit.Should().Be(2);
        File.Exists(bad).Should().BeTrue();
    }

    [Fact]
    public async Task Verify_command_json_output_is_machine_readable()
    {
        var path = Write("kxbtc15m-2026-11-21.jsonl", Tick("10:00:00.001"), Tick("10:00:03.001"));

        var (exit, output) = await Run(path, json: true);

        exit.Should().Be(1);
        var root = JsonDocument.Parse(output).RootElement;
        root.GetProperty("clean").GetBoolean().Should().BeFalse();
        var file = root.GetProperty("files")[0];
        file.GetProperty("missing_seconds").GetInt64().Should().Be(2);
        file.GetProperty("ticks").GetInt64().Should().Be(2);
    }

    private static async Task<(int Exit, string Output)> Run(string path, bool json = false)
    {
        var output = new StringWriter();
        var exit = await VerifyCommand.RunAsync([path], json, null, output, new StringWriter());
        return (exit, output.ToString());
    }

    private static string Tick(string time, string brti = "1", string coinbase = "1", string kraken = "1", string bitstamp = "1", string markets = "[]") =>
        $"{{\"type\":\"tick\",\"ts\":\"2026-11-21T{time}Z\",\"brti\":{brti},\"coinbase\":{coinbase},\"kraken\":{kraken},\"bitstamp\":{bitstamp},\"markets\":{markets}}}";

    private string Write(string name, params string[] lines)
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }
}
