using System.Text;
using KxCollector.Kalshi;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Settlements;
using KxCollector.Recording;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using KxCollector.Pricing;

namespace KxCollector.Tests.Kalshi;

public sealed class SettlementRecorderTests
{
    private static readonly DateTimeOffset Close = new(2026, 7, 23, 3, 15, 0, TimeSpan.Zero);

    private static readonly KalshiMarket Finalized = new()
    {
        Ticker = "KXBTC15M-26JUL222315-15",
        Status = "finalized",
        CloseTime = Close,
        FloorStrike = 65744.55m,
        Result = "yes",
        ExpirationValue = 65776.62m,
        ExpirationValueText = "65776.62",
    };

    [Fact]
    public void Line_has_the_documented_keys_in_order()
    {
        var line = SettlementRecorder.Format(Finalized, Close.AddSeconds(11.5), new BrtiSum(65771.2m * 60, 60));

        Encoding.UTF8.GetString(line).Should().Be(
            """{"type":"settlement","ts":"2026-07-23T03:15:11.500Z","ticker":"KXBTC15M-26JUL222315-15","close_time":"2026-07-23T03:15:00.000Z","result":"yes","expiration_value":65776.62,"strike":65744.55,"brti_avg60":65771.20,"brti_samples":60}""");
    }

    [Fact]
    public void A_series_that_does_not_settle_on_BRTI_gets_no_brti_keys()
    {
        var game = Finalized with { Ticker = "KXNFLGAME-26NOV22KCBUF-KC", FloorStrike = null, ExpirationValue = 1m };

        var line = SettlementRecorder.Format(game, Close, default, includeBrti: false);

        Encoding.UTF8.GetString(line).Should().Be(
            """{"type":"settlement","ts":"2026-07-23T03:15:00.000Z","ticker":"KXNFLGAME-26NOV22KCBUF-KC","close_time":"2026-07-23T03:15:00.000Z","result":"yes","expiration_value":1,"strike":null}""");
    }

    [Fact]
    public void Line_without_samples_or_strike_says_null()
    {
        var line = SettlementRecorder.Format(Finalized with { FloorStrike = null, ExpirationValue = null }, Close, default);

        Encoding.UTF8.GetString(line).Should().EndWith("""
"result":"yes","expiration_value":null,"strike":null,"brti_avg60":null,"brti_samples":0}
""".Trim());
    }

    [Theory]
    [InlineData("closed", "", null, false)]
    [InlineData("determined", "yes", "65776.62", true)]
    [InlineData("determined", "yes", "", false)]
    [InlineData("finalized", "no", "", true)]
    [InlineData("finalized", "", "", false)]
    public void A_result_is_ready_with_a_value_or_once_final(string status, string result, string? value, bool ready)
    {
        var market = new KalshiMarket
        {
            Ticker = "T",
            Status = status,
            Result = result,
            ExpirationValue = KalshiMarketParser.ParseExpirationValue(value),
        };

        SettlementRecorder.IsReady(market).Should().Be(ready);
    }

    [Fact]
    public void A_settlement_is_written_once_even_by_a_new_recorder_over_the_same_folder()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(Close.AddSeconds(12));
        using (var rig = new KalshiTestRig(dir.Path, time, new ScriptedMarketSource(time)))
        {
            rig.Ticks(Close.AddSeconds(-120), Close.AddSeconds(5), _ => 65771.2m);
            rig.Recorder.TryRecord(Finalized, time.GetUtcNow()).Should().BeTrue();
            rig.Recorder.TryRecord(Finalized, time.GetUtcNow()).Should().BeTrue();
        }

        time.Advance(TimeSpan.FromMinutes(5));
        using (var restarted = new KalshiTestRig(dir.Path, time, new ScriptedMarketSource(time)))
        {
            restarted.Recorder.TryRecord(Finalized, time.GetUtcNow()).Should().BeTrue();
        }

        var lines = KalshiTestRig.SettlementLines(dir.Path);
        lines.Should().ContainSingle();
        lines[0].GetProperty("brti_avg60").GetRawText().Should().Be("65771.20");
        lines[0].GetProperty("brti_samples").GetInt32().Should().Be(60);
    }

    [Fact]
    public void After_a_restart_the_window_is_read_back_from_the_data_files()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(Close.AddSeconds(-100));
        using (var before = new KalshiTestRig(dir.Path, time, new ScriptedMarketSource(time)))
        {
            // The window's first 40 seconds are recorded by the first process, which then stops.
            before.Ticks(Close.AddSeconds(-100), Close.AddSeconds(-20), t => 65000m + (int)(t - Close).TotalSeconds);
        }

        time.SetUtcNow(Close.AddSeconds(-20));
        using var after = new KalshiTestRig(dir.Path, time, new ScriptedMarketSource(time));
        after.Ticks(Close.AddSeconds(-20), Close.AddSeconds(15), t => t < Close.AddSeconds(-10) ? null : 66000m);

        after.Recorder.TryRecord(Finalized, time.GetUtcNow()).Should().BeTrue();

        var line = KalshiTestRig.SettlementLines(dir.Path).Single();
        var expected = (Enumerable.Range(-60, 40).Sum(s => 65000m + s) + (10 * 66000m)) / 50m;
        line.GetProperty("brti_samples").GetInt32().Should().Be(50);
        line.GetProperty("brti_avg60").GetDecimal().Should().Be(Math.Round(expected, 2, MidpointRounding.AwayFromZero));
    }

    [Fact]
    public void A_crash_after_writing_but_before_noting_is_not_written_twice()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(Close.AddSeconds(12));
        using (var rig = new KalshiTestRig(dir.Path, time, new ScriptedMarketSource(time)))
        {
            rig.Recorder.TryRecord(Finalized, time.GetUtcNow());

            // Simulate the crash window: the line is in the file, the state still says "in flight".
            rig.State.Written.Clear();
            rig.State.InFlight[Finalized.Ticker] = time.GetUtcNow();
            rig.State.Save();
        }

        using (var restarted = new KalshiTestRig(dir.Path, time, new ScriptedMarketSource(time)))
        {
            restarted.Recorder.IsWritten(Finalized.Ticker).Should().BeTrue();
            restarted.Recorder.TryRecord(Finalized, time.GetUtcNow()).Should().BeTrue();
        }

        KalshiTestRig.SettlementLines(dir.Path).Should().ContainSingle();
    }

    [Fact]
    public void A_crash_before_the_line_reached_the_file_writes_it_after_the_restart()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(Close.AddSeconds(12));
        var state = KalshiStateFile.Load(dir.Path, KalshiTestRig.Prefix, new ListLogger());
        state.InFlight[Finalized.Ticker] = time.GetUtcNow();
        state.Save();

        using (var restarted = new KalshiTestRig(dir.Path, time, new ScriptedMarketSource(time)))
        {
            restarted.Recorder.IsWritten(Finalized.Ticker).Should().BeFalse();
            restarted.Recorder.TryRecord(Finalized, time.GetUtcNow()).Should().BeTrue();
        }

        KalshiTestRig.SettlementLines(dir.Path).Should().ContainSingle();
    }

    [Fact]
    public void A_damaged_state_file_is_set_aside_and_not_fatal()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(KalshiStateFile.FileNameFor(KalshiTestRig.Prefix));
        File.WriteAllText(path, "{\"tracked\":[{\"tick");
        var log = new ListLogger();

        var state = KalshiStateFile.Load(dir.Path, KalshiTestRig.Prefix, log);

        state.Tracked.Should().BeEmpty();
        File.Exists(path + ".damaged").Should().BeTrue();
        log.Entries.Should().ContainSingle(e => e.EventId == 480);
    }

    [Fact]
    public void State_file_round_trips_and_is_replaced_atomically()
    {
        using var dir = new TempDirectory();
        var state = KalshiStateFile.Load(dir.Path, KalshiTestRig.Prefix, new ListLogger());
        state.Watermark = Close;
        state.Tracked["A"] = Close;
        state.Written["B"] = Close.AddMinutes(-15);
        state.Save().Should().BeTrue();

        var loaded = KalshiStateFile.Load(dir.Path, KalshiTestRig.Prefix, new ListLogger());

        loaded.Watermark.Should().Be(Close);
        loaded.Tracked.Should().Equal(new Dictionary<string, DateTimeOffset?> { ["A"] = Close });
        loaded.Written.Should().Equal(new Dictionary<string, DateTimeOffset?> { ["B"] = Close.AddMinutes(-15) });
        Directory.GetFiles(dir.Path).Should().ContainSingle("the temp file is renamed over the state file");
    }

    [Fact]
    public void Written_settlements_older_than_the_retention_are_pruned()
    {
        using var dir = new TempDirectory();
        var state = KalshiStateFile.Load(dir.Path, KalshiTestRig.Prefix, new ListLogger());
        state.Written["old"] = Close - KalshiStateFile.Retention - TimeSpan.FromMinutes(1);
        state.Written["new"] = Close.AddDays(-1);

        state.Prune(Close);

        state.Written.Keys.Should().Equal("new");
    }

    [Fact]
    public void Settlement_goes_to_the_file_of_the_day_it_is_seen()
    {
        using var dir = new TempDirectory();
        var close = new DateTimeOffset(2026, 7, 23, 23, 59, 50, TimeSpan.Zero);
        var time = new FakeTimeProvider(close.AddSeconds(20));
        using (var rig = new KalshiTestRig(dir.Path, time, new ScriptedMarketSource(time)))
        {
            rig.Recorder.TryRecord(Finalized with { CloseTime = close }, time.GetUtcNow()).Should().BeTrue();
        }

        File.ReadAllText(Path.Combine(dir.Path, DayFileName.Of(KalshiTestRig.Prefix, new DateOnly(2026, 7, 24)))).Should().Contain("\"type\":\"settlement\"");
    }
}
