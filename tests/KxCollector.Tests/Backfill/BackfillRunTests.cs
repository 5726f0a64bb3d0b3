using System.Text;
using System.Text.Json;
using KxCollector.Backfill;
using KxCollector.Fakes.Kalshi;
using KxCollector.Recording;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Backfill;

/// <summary>The backfill against the fake Kalshi: complete, exactly once, resumable, within its request budget.</summary>
public sealed class BackfillRunTests : IAsyncLifetime
{
    /// <summary>Fast enough for a test, slow enough that the bucket, not the fake, sets the pace.</summary>
    private const double TestRate = 400;

    private readonly TempDirectory _dir = new();
    private FakeKalshiServer _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeKalshiServer.StartAsync();
        BackfillScenario.Populate(_fake);
    }

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Every_record_is_written_once_across_the_cutoff_through_429s_and_a_dropped_connection()
    {
        _fake.FailNext(429, count: 2);
        _fake.OnRequest(r =>
        {
            if (_fake.Requests.Count < 12)
            {
                return false;
            }

            _fake.DisconnectNext(1);
            _fake.FailNext(503, 1);
            return true;
        });

        var stats = await BackfillScenario.RunAsync(_fake, _dir.Path, TestRate, CancellationToken.None);

        var markets = Parse(BackfillScenario.Lines(_dir.Path, "markets"));
        var trades = Parse(BackfillScenario.Lines(_dir.Path, "trades"));
        var candles = Parse(BackfillScenario.Lines(_dir.Path, "candles-1m"));
        markets.Should().HaveCount(BackfillScenario.SettledMarkets);
        trades.Should().HaveCount(BackfillScenario.SettledMarkets * BackfillScenario.TradesPerMarket);
        candles.Should().HaveCount(BackfillScenario.SettledMarkets * BackfillScenario.CandlesPerMarket);
        trades.Select(t => t.GetProperty("trade_id").GetString()).Should().OnlyHaveUniqueItems();
        candles.Select(c => c.GetProperty("ticker").GetString() + c.GetProperty("end").GetString()).Should().OnlyHaveUniqueItems();
        markets.Concat(trades).Concat(candles).Should().OnlyContain(r => r.GetProperty("src").GetString() == "backfill");
        trades.Should().NotContain(t => t.GetProperty("trade_id").GetString() == "next-day-trade", "the next day's market is out of range");
        markets.Select(m => m.GetProperty("ticker").GetString()).Should().OnlyContain(t => t!.StartsWith("KXBTC15M-", StringComparison.Ordinal));
        trades.Should().NotContain(t => t.GetProperty("ticker").GetString()!.EndsWith("-12", StringComparison.Ordinal), "the market without a result is left for a later run");
        stats.UnitsDone.Should().Be(stats.UnitsTotal);
        stats.UnitsFailed.Should().Be(0);

        var requests = _fake.Requests;
        requests.Should().Contain(r => r.StatusCode == 429).And.Contain(r => r.StatusCode == 503).And.Contain(r => r.StatusCode == 0, "a connection was dropped");
        requests.Should().NotContain(r => r.StatusCode == 404, "each market is read from the side of the cutoff that has it");
        requests.Select(r => r.Path).Should().Contain("/trade-api/v2/historical/markets").And.Contain("/trade-api/v2/markets")
            .And.Contain("/trade-api/v2/historical/trades").And.Contain("/trade-api/v2/markets/trades")
            .And.Contain(p => p.StartsWith("/trade-api/v2/historical/markets/", StringComparison.Ordinal) && p.EndsWith("/candlesticks", StringComparison.Ordinal))
            .And.Contain(p => p.StartsWith("/trade-api/v2/series/KXBTC15M/markets/", StringComparison.Ordinal) && p.EndsWith("/candlesticks", StringComparison.Ordinal));
        requests.Where(r => r.Path.EndsWith("/trades", StringComparison.Ordinal)).Should().Contain(r => r.Query.Contains("cursor=", StringComparison.Ordinal), "trades are paged");
    }

    [Fact]
    public async Task Records_are_in_the_live_units_and_historical_candles_read_their_suffix_less_names()
    {
        await BackfillScenario.RunAsync(_fake, _dir.Path, TestRate, CancellationToken.None);

        var lines = BackfillScenario.Lines(_dir.Path, "trades");
        var subPenny = lines.Select(l => JsonDocument.Parse(l).RootElement).First(t => t.GetProperty("trade_id").GetString()!.StartsWith("00000-", StringComparison.Ordinal));
        lines.Should().Contain(
            """{"type":"trade","ts":"2026-10-01T00:00:20.123Z","ticker":"KXBTC15M-26SEP302015-15-00","trade_id":"00000-00000000","yes_price":5.6,"no_price":94.4,"count":1.5,"taker_side":"yes","taker_outcome_side":"yes","taker_book_side":"ask","is_block_trade":false,"src":"backfill"}""",
            "a backfilled trade is the stream's trade line plus src");
        subPenny.GetProperty("yes_price").GetRawText().Should().Be("5.6");

        var candles = BackfillScenario.Lines(_dir.Path, "candles-1m");
        const string Values = "\"yes_bid\":{\"open\":55,\"low\":54,\"high\":56,\"close\":55},\"yes_ask\":{\"open\":57,\"low\":56,\"high\":58,\"close\":57},\"price\":{\"open\":56,\"low\":55,\"high\":57,\"close\":56,\"mean\":56.12,\"previous\":55},\"volume\":10,\"open_interest\":4500,\"src\":\"backfill\"}";
        candles.Should().Contain(
            "{\"type\":\"candle\",\"ts\":\"2026-10-01T00:01:00.000Z\",\"ticker\":\"KXBTC15M-26SEP302015-15-00\",\"interval\":\"1m\",\"end\":\"2026-10-01T00:01:00.000Z\"," + Values,
            "the first market settled before the cutoff: its candles come from /historical with unsuffixed names");
        candles.Should().Contain(l => l.Contains("\"ticker\":\"KXBTC15M-26SEP302300-00-11\"", StringComparison.Ordinal) && l.EndsWith(Values, StringComparison.Ordinal), "the last market's candles are live, with suffixes");

        var market = BackfillScenario.Lines(_dir.Path, "markets").First();
        market.Should().Be(
            """{"type":"market","ts":"2026-10-01T00:15:00.000Z","ticker":"KXBTC15M-26SEP302015-15-00","event_ticker":"KXBTC15M-26SEP302015-15","status":"finalized","open_time":"2026-10-01T00:00:00.000Z","close_time":"2026-10-01T00:15:00.000Z","settlement_ts":"2026-10-01T00:15:11.000Z","result":"yes","expiration_value":65100.25,"strike":65000,"cap_strike":null,"last_price":5.6,"volume":1552141.8,"open_interest":480551.08,"src":"backfill"}""");
    }

    [Fact]
    public async Task A_run_interrupted_three_times_at_random_points_ends_with_the_same_files_as_an_uninterrupted_run()
    {
        using var reference = new TempDirectory();
        await BackfillScenario.RunAsync(_fake, reference.Path, TestRate, CancellationToken.None);
        var total = _fake.Requests.Count;
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var journal = Path.Combine(DayFileName.BackfillDirectoryOf(_dir.Path, BackfillScenario.Series), KxCollector.Backfill.BackfillStore.JournalName);

        for (var interruption = 0; interruption < 3; interruption++)
        {
            using var stop = new CancellationTokenSource();
            var at = _fake.Requests.Count + random.Next(3, total / 3);
            var isLast = interruption == 2;
            _fake.OnRequest(_ =>
            {
                // The points are random, but the last one waits for a journaled unit: three points that all land
                // before the first unit finishes leave the resume nothing to skip, and the test would prove nothing.
                if (_fake.Requests.Count < at || (isLast && !HasJournaledUnit(journal)))
                {
                    return false;
                }

                stop.Cancel();
                return true;
            });
            var run = () => BackfillScenario.RunAsync(_fake, _dir.Path, TestRate, stop.Token);
            await run.Should().ThrowAsync<OperationCanceledException>($"interruption {interruption} at request {at} (seed {seed})");
        }

        _fake.OnRequest(null);
        var last = await BackfillScenario.RunAsync(_fake, _dir.Path, TestRate, CancellationToken.None);

        last.UnitsSkipped.Should().BeGreaterThan(0, "units finished before the interruptions are not fetched again");
        AssertSameFiles(BackfillScenario.Files(reference.Path), BackfillScenario.Files(_dir.Path), $"seed {seed}");
    }

    [Fact]
    public async Task Records_already_in_the_files_are_never_written_twice_without_the_journal_or_after_a_torn_line()
    {
        await BackfillScenario.RunAsync(_fake, _dir.Path, TestRate, CancellationToken.None);
        var before = BackfillScenario.Files(_dir.Path);
        var folder = DayFileName.BackfillDirectoryOf(_dir.Path, BackfillScenario.Series);

        // A crash after the data was written but before the journal noted it, plus a power cut mid-line.
        File.Delete(Path.Combine(folder, KxCollector.Backfill.BackfillStore.JournalName));
        var trades = Directory.GetFiles(folder, "*-trades-*.jsonl").Single();
        var lines = File.ReadAllLines(trades);
        File.WriteAllText(trades, string.Join('\n', lines[..^3]) + "\n" + lines[^3][..40], new UTF8Encoding(false));

        var again = await BackfillScenario.RunAsync(_fake, _dir.Path, TestRate, CancellationToken.None);

        again.Trades.Should().Be(3, "only the torn record and the two after it were missing");
        again.AlreadyPresent.Should().Be(
            BackfillScenario.SettledMarkets * (1 + BackfillScenario.TradesPerMarket + BackfillScenario.CandlesPerMarket) - 3);
        AssertSameFiles(before, BackfillScenario.Files(_dir.Path), "rerun without journal");

        var third = await BackfillScenario.RunAsync(_fake, _dir.Path, TestRate, CancellationToken.None);
        third.UnitsSkipped.Should().Be(third.UnitsTotal, "the journal now has every unit");
        third.Trades.Should().Be(0);
    }

    [Fact]
    public async Task The_fake_never_sees_more_requests_in_a_second_than_the_bucket_allows()
    {
        const int Rate = 25;
        await BackfillScenario.RunAsync(_fake, _dir.Path, Rate, CancellationToken.None);

        var times = _fake.Requests.Select(r => r.ReceivedAt).Order().ToList();
        times.Should().HaveCountGreaterThan(2 * Rate, "the run must be long enough for the bucket to bind");

        // Sent at least 1/rate apart; a window a little under a second absorbs arrival jitter of a few ms.
        var window = TimeSpan.FromMilliseconds(950);
        var busiest = times.Select((t, i) => times.Skip(i).TakeWhile(u => u - t < window).Count()).Max();
        busiest.Should().BeLessThanOrEqualTo(Rate);
        (times[^1] - times[0]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds((times.Count - 1) / (double)Rate * 0.95));
    }

    [Fact]
    public async Task Listings_use_only_filter_pairs_Kalshi_documents_and_historical_markets_are_paged_by_series()
    {
        _fake.RejectIncompatibleFilters.Should().BeTrue("the fake answers 400 to incompatible filter pairs, as Kalshi's spec allows");

        var stats = await BackfillScenario.RunAsync(_fake, _dir.Path, TestRate, CancellationToken.None);

        BackfillScenario.Lines(_dir.Path, "markets").Should().HaveCount(BackfillScenario.SettledMarkets);
        stats.MarketsUnsettled.Should().Be(1, "the listing has no status filter: the unsettled market is listed, and left out");
        stats.UnitsFailed.Should().Be(0);
        _fake.Requests.Where(r => r.Path.EndsWith("/markets", StringComparison.Ordinal)).Should().OnlyContain(r => r.StatusCode == 200);
        var historical = _fake.Requests.Where(r => r.Path == "/trade-api/v2/historical/markets").ToList();
        historical.Should().NotBeEmpty().And.OnlyContain(r => r.Query.Contains("series_ticker=KXBTC15M", StringComparison.Ordinal) && !r.Query.Contains("_ts=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_historical_listing_is_a_refused_unit_and_the_live_markets_are_still_backfilled()
    {
        _fake.RefuseHistoricalListings = true;

        var stats = await BackfillScenario.RunAsync(_fake, _dir.Path, TestRate, CancellationToken.None);

        stats.UnitsFailed.Should().Be(1, "the refused listing is counted as one refused unit");
        var markets = BackfillScenario.Lines(_dir.Path, "markets");
        markets.Should().NotBeEmpty("the live listing still runs").And.HaveCountLessThan(BackfillScenario.SettledMarkets);
        markets.Should().Contain(l => l.Contains("KXBTC15M-26SEP302300-00-11", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_of_the_data_folder_reports_the_backfill_files_apart_and_clean()
    {
        await BackfillScenario.RunAsync(_fake, _dir.Path, TestRate, CancellationToken.None);
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = await KxCollector.Verification.VerifyCommand.RunAsync([_dir.Path], json: false, envFile: null, output, errors);

        exit.Should().Be(KxCollector.Cli.ExitCodes.Ok, output.ToString() + errors);
        output.ToString().Should().Contain("kxbtc15m-trades-2026-10-01.jsonl")
            .And.Contain($"backfilled {BackfillScenario.SettledMarkets * BackfillScenario.TradesPerMarket} (trade {BackfillScenario.SettledMarkets * BackfillScenario.TradesPerMarket})")
            .And.Contain($"(candle {BackfillScenario.SettledMarkets * BackfillScenario.CandlesPerMarket})")
            .And.Contain("3 file(s) verified: clean");
    }

    [Fact]
    public async Task Backfilling_markets_corrects_a_settlement_line_an_old_build_wrote_with_the_stream_s_payout()
    {
        // What builds before issue 12 wrote when the stream was up: the payout (1 dollar) as expiration_value.
        File.WriteAllText(Path.Combine(_dir.Path, "kxbtc15m-2026-10-01.jsonl"),
            """{"type":"settlement","ts":"2026-10-01T00:15:12.000Z","ticker":"KXBTC15M-26SEP302015-15-00","close_time":"2026-10-01T00:15:00.000Z","result":"yes","expiration_value":1,"strike":65000,"brti_avg60":65100.2,"brti_samples":60}""" + "\n");
        (await VerifyAsync()).Exit.Should().Be(KxCollector.Cli.ExitCodes.ProblemsFound);

        await BackfillScenario.RunAsync(_fake, _dir.Path, TestRate, CancellationToken.None, BackfillScenario.Request() with { Trades = false, Candles = false });

        var (exit, output) = await VerifyAsync();
        exit.Should().Be(KxCollector.Cli.ExitCodes.Ok, output);
        output.Should().Contain("corrected by a backfilled market record: 1");
        BackfillScenario.Lines(_dir.Path, "markets").Should().Contain(l => l.Contains("\"ticker\":\"KXBTC15M-26SEP302015-15-00\"", StringComparison.Ordinal) && l.Contains("\"expiration_value\":65100.25", StringComparison.Ordinal));
    }

    private async Task<(int Exit, string Output)> VerifyAsync()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await KxCollector.Verification.VerifyCommand.RunAsync([_dir.Path], json: false, envFile: null, output, errors);
        return (exit, output.ToString() + errors);
    }

    private static bool HasJournaledUnit(string journal)
    {
        if (!File.Exists(journal))
        {
            return false;
        }

        // Shared for writing: the backfill may be appending to it right now.
        using var stream = new FileStream(journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Contains('\n', StringComparison.Ordinal);
    }

    internal static void AssertSameFiles(SortedDictionary<string, byte[]> expected, SortedDictionary<string, byte[]> actual, string because)
    {
        actual.Keys.Should().Equal(expected.Keys, because);
        foreach (var (name, bytes) in expected)
        {
            Encoding.UTF8.GetString(actual[name]).Should().Be(Encoding.UTF8.GetString(bytes), $"{name} ({because})");
        }
    }

    private static List<JsonElement> Parse(IEnumerable<string> lines) =>
        lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
}
