using System.Text.Json;
using KxCollector.Hosting;
using KxCollector.Kalshi;
using KxCollector.Kalshi.Stream;
using KxCollector.Pricing;
using KxCollector.Status;
using KxCollector.Tests.Kalshi;
using KxCollector.Tests.Support;
using KxCollector.Cli;

namespace KxCollector.Tests.Status;

/// <summary>`kxcollector status`: what botctl status prints and what healthcheck.sh acts on (its exit code).</summary>
public sealed class StatusCommandTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private readonly StatusRig _rig = new(Start);

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void A_ticking_collector_with_a_fresh_feed_is_healthy_and_the_report_answers_the_operator_questions()
    {
        TickFor(seconds: 3, withQuote: true);

        var report = Build(StatusCommand.DefaultMaxTickAge);

        report.ExitCode.Should().Be(ExitCodes.Ok);
        var text = report.ToText();
        text.Should().Contain($"PID {Environment.ProcessId}")
            .And.Contain("last tick   2026-11-21T12:00:03.000Z (0.0 s ago)")
            .And.Contain("kxbtc15m-2026-11-21.jsonl: 3 lines")
            .And.Contain("missing     43201 s today since 00:00 UTC; 0 s since the first tick")
            .And.Contain("coinbase  DISCONNECTED, fresh")
            .And.Contain("kalshi      state not_configured")
            .And.Contain("disk        ")
            .And.Contain("health      OK");
    }

    [Fact]
    public void Recording_without_a_fresh_feed_is_unhealthy_exit_1()
    {
        TickFor(seconds: 3, withQuote: false);

        var report = Build(StatusCommand.DefaultMaxTickAge);

        report.ExitCode.Should().Be(ExitCodes.Unhealthy);
        report.ToText().Should().Contain("UNHEALTHY: no exchange feed has a fresh price");
    }

    [Fact]
    public void A_last_tick_older_than_the_limit_is_not_recording_exit_3_even_when_status_json_looks_fine()
    {
        TickFor(seconds: 3, withQuote: true);
        _rig.Time.Advance(TimeSpan.FromSeconds(121));

        StatusCommand.Build(_rig.Dir.Path, "kxbtc15m", TimeSpan.FromSeconds(300), _rig.Time.GetUtcNow()).ExitCode.Should().Be(ExitCodes.Ok, "status.json was written while healthy and 121 s < 300 s");
        var report = Build(TimeSpan.FromSeconds(120));

        report.ExitCode.Should().Be(ExitCodes.NotRecording);
        report.ToText().Should().Contain("NOT RECORDING: last tick 121 s ago (limit 120 s)").And.Contain("STALE");
        JsonDocument.Parse(report.ToJson()).RootElement.GetProperty("recording").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public void Today_s_file_missing_a_few_minutes_after_midnight_is_not_recording()
    {
        var lateEvening = new DateTimeOffset(2026, 11, 21, 23, 59, 58, TimeSpan.Zero);
        using var rig = new StatusRig(lateEvening);
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        rig.PublishQuote(Exchange.Kraken, 1m, 2m);
        rig.Tick();
        using (var service = new StatusFileService(rig.Options, rig.Builder, [], rig.Time, new ListLogger<StatusFileService>()))
        {
            service.WriteOnce();
        }

        var justAfter = StatusCommand.Build(rig.Dir.Path, "kxbtc15m", TimeSpan.FromDays(1), lateEvening.AddSeconds(62));
        var later = StatusCommand.Build(rig.Dir.Path, "kxbtc15m", TimeSpan.FromDays(1), lateEvening.AddMinutes(5));

        justAfter.ExitCode.Should().Be(ExitCodes.Ok, "within the grace after midnight the new file may not exist yet");
        later.ExitCode.Should().Be(ExitCodes.NotRecording);
        later.NotRecordingReasons.Should().ContainSingle().Which.Should().Contain("kxbtc15m-2026-11-22.jsonl does not exist");
    }

    [Fact]
    public void A_folder_the_collector_never_ran_in_is_not_recording()
    {
        using var empty = new TempDirectory();

        var report = StatusCommand.Build(empty.Path, "kxbtc15m", StatusCommand.DefaultMaxTickAge, Start.AddHours(1));

        report.ExitCode.Should().Be(ExitCodes.NotRecording);
        report.ToText().Should().Contain("the collector has not run with this OUTPUT_DIR");
    }

    private StatusReport Build(TimeSpan maxTickAge) => StatusCommand.Build(_rig.Dir.Path, "kxbtc15m", maxTickAge, _rig.Time.GetUtcNow());

    [Fact]
    public async Task The_report_shows_the_kalshi_poll_its_last_error_and_the_stream()
    {
        var t0 = Start.AddMinutes(-5);
        var source = new ScriptedMarketSource(_rig.Time);
        source.Add(new ScriptedMarket("KXBTC15M-26NOV211215-15", t0, t0.AddMinutes(15)));
        using var kalshiDir = new TempDirectory();
        using var kalshi = new KalshiTestRig(kalshiDir.Path, _rig.Time, source);
        await kalshi.Tracker.PollAsync(CancellationToken.None);
        source.Failing = true;
        _rig.Time.Advance(TimeSpan.FromSeconds(3));
        await kalshi.Tracker.PollAsync(CancellationToken.None);
        var stream = new StreamStats();
        stream.Connected();
        stream.SubscriptionEnded();
        var contributor = new KalshiStatusContributor(
            [new KalshiSeries { Series = "KXBTC15M", SettlesOnBrti = true, TickPeriodSeconds = 1, Writer = kalshi.Writer, State = kalshi.State, Recorder = kalshi.Recorder, Board = kalshi.Board, Tracker = kalshi.Tracker }],
            kalshi.Activity,
            stream,
            streamConfigured: true);
        _rig.PublishQuote(Exchange.Coinbase, 100m, 101m);
        _rig.Tick();
        using (var service = new StatusFileService(_rig.Options, _rig.Builder, [contributor, new ProcessStatusContributor()], _rig.Time, new ListLogger<StatusFileService>()))
        {
            service.WriteOnce();
        }

        var text = Build(StatusCommand.DefaultMaxTickAge).ToText();

        text.Should().Contain("kalshi      state error, markets tracked 1, last poll 2026-11-21T12:00:00.000Z")
            .And.Contain("last error (at 2026-11-21T12:00:03.000Z): HTTP 503 (scripted outage)")
            .And.Contain("stream      connected, 1 connections, 0 sequence gaps, 1 subscriptions ended, 0 trades, 0 malformed")
            .And.MatchRegex(@"memory      RSS [0-9.]+ [KMG]i?B, GC heap [0-9.]+ [KMG]?i?B, [0-9]+ full collections");
    }

    [Fact]
    public async Task With_several_series_the_status_verb_reads_the_first_series_file()
    {
        TickFor(seconds: 3, withQuote: true);
        var envFile = Path.Combine(_rig.Dir.Path, "test.env");
        await File.WriteAllTextAsync(envFile, $"OUTPUT_DIR={_rig.Dir.Path}\nSERIES_TICKER=KXBTC15M,KXNFLGAME\n");
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = await StatusCommand.RunAsync(envFile, json: false, StatusCommand.DefaultMaxTickAge, _rig.Time, output, errors);

        errors.ToString().Should().BeEmpty();
        output.ToString().Should().Contain("kxbtc15m-2026-11-21.jsonl: 3 lines").And.NotContain("kxnflgame");
        code.Should().Be(ExitCodes.Ok);
    }

    private void TickFor(int seconds, bool withQuote)
    {
        for (var i = 0; i < seconds; i++)
        {
            _rig.Time.Advance(TimeSpan.FromSeconds(1));
            if (withQuote)
            {
                _rig.PublishQuote(Exchange.Coinbase, 100m, 101m);
            }

            _rig.Tick();
        }

        using var service = new StatusFileService(_rig.Options, _rig.Builder, [], _rig.Time, new ListLogger<StatusFileService>());
        service.WriteOnce();
    }
}
