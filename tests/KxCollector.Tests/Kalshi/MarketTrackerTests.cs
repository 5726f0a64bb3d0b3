using KxCollector.Kalshi.Markets;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace KxCollector.Tests.Kalshi;

public sealed class MarketTrackerTests : IDisposable
{
    // 03:00 UTC: the quarter-hour markets below open at 03:00, 03:15 and 03:30.
    private static readonly DateTimeOffset T0 = new(2026, 7, 23, 3, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(T0.AddMinutes(5));
    private readonly ScriptedMarketSource _source;

    public MarketTrackerTests() => _source = new ScriptedMarketSource(_time);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_next_quarter_hour_market_is_in_the_tick_within_two_seconds_of_its_open_time()
    {
        var m1 = _source.Add(new ScriptedMarket("KXBTC15M-26JUL222315-15", T0, T0.AddMinutes(15)) { FinalizedAt = T0.AddMinutes(15).AddSeconds(11) });
        var m2 = _source.Add(new ScriptedMarket("KXBTC15M-26JUL222330-30", T0.AddMinutes(15), T0.AddMinutes(30)));
        using var rig = new KalshiTestRig(_dir.Path, _time, _source);
        DateTimeOffset? m2SeenAt = null;
        DateTimeOffset? m1GoneAt = null;

        await rig.RunUntilAsync(T0.AddMinutes(16), now =>
        {
            m2SeenAt ??= rig.BoardTickers.Contains(m2.Ticker) ? now : null;
            m1GoneAt ??= m2SeenAt is not null && !rig.BoardTickers.Contains(m1.Ticker) ? now : null;
        });

        m2SeenAt.Should().NotBeNull();
        (m2SeenAt!.Value - m2.Open).Should().BeLessThan(TimeSpan.FromSeconds(2));
        _source.OpenPollTimes.Should().Contain(m2.Open, "the open list is read at the exact open_time");
        m1GoneAt.Should().NotBeNull("the closed market leaves the tick once its result is recorded");
        (m1GoneAt!.Value - m1.FinalizedAt!.Value).Should().BeLessThan(TimeSpan.FromSeconds(2));
        KalshiTestRig.SettlementLines(_dir.Path).Should().ContainSingle().Which.GetProperty("ticker").GetString().Should().Be(m1.Ticker);
    }

    [Fact]
    public async Task A_market_that_kalshi_opens_late_is_still_seen_within_two_seconds()
    {
        _source.Add(new ScriptedMarket("KXBTC15M-26JUL222315-15", T0, T0.AddMinutes(15)));
        var late = _source.Add(new ScriptedMarket("KXBTC15M-26JUL222330-30", T0.AddMinutes(15), T0.AddMinutes(30)) { ActiveFrom = T0.AddMinutes(15).AddSeconds(1.2) });
        using var rig = new KalshiTestRig(_dir.Path, _time, _source);
        DateTimeOffset? seenAt = null;

        await rig.RunUntilAsync(T0.AddMinutes(16), now => seenAt ??= rig.BoardTickers.Contains(late.Ticker) ? now : null);

        (seenAt!.Value - late.Open).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Polls_follow_the_markets_own_times_not_a_fifteen_minute_clock()
    {
        // Odd lengths and fractional instants: 7 min 13.25 s, then 2 min 0.5 s.
        var first = _source.Add(new ScriptedMarket("KXBTC15M-ODD-1", T0, T0.AddMinutes(7).AddSeconds(13.25)));
        var second = _source.Add(new ScriptedMarket("KXBTC15M-ODD-2", first.Close, first.Close.AddMinutes(2).AddSeconds(0.5)));
        var third = _source.Add(new ScriptedMarket("KXBTC15M-ODD-3", second.Close, second.Close.AddMinutes(9)));
        using var rig = new KalshiTestRig(_dir.Path, _time, _source);

        await rig.RunUntilAsync(third.Open.AddSeconds(5));

        _source.OpenPollTimes.Should().Contain([second.Open, third.Open]);
        rig.BoardTickers.Should().Contain(third.Ticker);
    }

    [Fact]
    public async Task Between_events_the_open_list_is_polled_gently_and_the_upcoming_list_rarely()
    {
        _source.Add(new ScriptedMarket("KXBTC15M-26JUL222315-15", T0, T0.AddMinutes(15)));
        _source.Add(new ScriptedMarket("KXBTC15M-26JUL222330-30", T0.AddMinutes(15), T0.AddMinutes(30)));
        using var rig = new KalshiTestRig(_dir.Path, _time, _source);

        await rig.RunUntilAsync(T0.AddMinutes(10));

        var opens = _source.OpenPollTimes.ToList();
        opens.Count.Should().BeInRange(95, 101, "5 quiet minutes at one poll per 3 s");
        opens.Zip(opens.Skip(1), (a, b) => b - a).Should().OnlyContain(gap => gap == TimeSpan.FromSeconds(3));
        _source.Queries.Count(q => q.Query.Status == "unopened").Should().Be(6, "03:05 and each minute to 03:10");
        _source.Queries.Should().OnlyContain(q => q.Query.Status != null, "nothing is pending, so nothing is read by ticker");
    }

    [Fact]
    public async Task Around_a_close_and_open_the_polls_are_fast_then_gentle_again()
    {
        _source.Add(new ScriptedMarket("KXBTC15M-26JUL222315-15", T0, T0.AddMinutes(15)) { FinalizedAt = T0.AddMinutes(15).AddSeconds(11) });
        _source.Add(new ScriptedMarket("KXBTC15M-26JUL222330-30", T0.AddMinutes(15), T0.AddMinutes(30)));
        _time.SetUtcNow(T0.AddMinutes(14));
        using var rig = new KalshiTestRig(_dir.Path, _time, _source);

        await rig.RunUntilAsync(T0.AddMinutes(16));

        var instant = T0.AddMinutes(15);
        var hot = _source.OpenPollTimes.Where(t => t >= instant && t <= instant + PollSchedule.HotAfterEvent).ToList();
        hot.Zip(hot.Skip(1), (a, b) => b - a).Should().OnlyContain(gap => gap == TimeSpan.FromSeconds(0.5));
        var later = _source.OpenPollTimes.Where(t => t > instant + PollSchedule.HotAfterEvent + TimeSpan.FromSeconds(3)).ToList();
        later.Zip(later.Skip(1), (a, b) => b - a).Should().OnlyContain(gap => gap == TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_failed_poll_keeps_the_last_known_markets_and_their_age_grows()
    {
        var m1 = _source.Add(new ScriptedMarket("KXBTC15M-26JUL222315-15", T0, T0.AddMinutes(15)));
        using var rig = new KalshiTestRig(_dir.Path, _time, _source);
        await rig.RunUntilAsync(T0.AddMinutes(6));
        var receivedAt = rig.Board.Current.Single().ReceivedAt;

        _source.Failing = true;
        await rig.RunUntilAsync(T0.AddMinutes(7));

        rig.BoardTickers.Should().Equal(m1.Ticker);
        rig.Board.Current.Single().ReceivedAt.Should().Be(receivedAt);
        rig.Log.Entries.Should().ContainSingle(e => e.EventId == 430, "the first failure is logged, not every one");

        _source.Failing = false;
        _source.Add(m1 with { YesBid = "0.0990" });

        // A minute of failures has backed the polls off: the next one comes within the longest unreachable wait.
        await rig.RunUntilAsync(T0.AddMinutes(7) + PollSchedule.MaxUnreachablePollInterval);
        rig.Board.Current.Single().YesBid.Should().Be(9.9m);
        rig.Log.Entries.Should().Contain(e => e.EventId == 432);
    }

    [Fact]
    public async Task While_kalshi_does_not_answer_the_polls_back_off_to_half_a_minute_and_the_first_answer_resets_them()
    {
        var m1 = _source.Add(new ScriptedMarket("KXBTC15M-26JUL222315-15", T0, T0.AddMinutes(15)));
        using var rig = new KalshiTestRig(_dir.Path, _time, _source);
        await rig.RunUntilAsync(T0.AddMinutes(6));

        _source.Failing = true;
        var outage = _time.GetUtcNow();
        await rig.RunUntilAsync(T0.AddMinutes(10));

        var failed = _source.OpenPollTimes.Where(t => t > outage).ToList();
        var gaps = failed.Zip(failed.Skip(1), (a, b) => b - a).ToList();
        gaps.Should().OnlyContain(gap => gap >= TimeSpan.FromSeconds(3) && gap <= PollSchedule.MaxUnreachablePollInterval, "never sooner than the poll interval, never longer than the cap");
        gaps.Skip(4).Should().OnlyContain(gap => gap >= PollSchedule.MaxUnreachablePollInterval / 2, "after a few failures the wait is near the cap");
        failed.Count.Should().BeLessThan(20, "four minutes at the 3 s poll interval would be 80 polls");
        rig.Tracker.UnansweredPolls.Should().BeGreaterThan(4);

        _source.Failing = false;
        await rig.RunUntilAsync(_time.GetUtcNow() + PollSchedule.MaxUnreachablePollInterval);
        rig.Tracker.UnansweredPolls.Should().Be(0);
        var resumed = _source.OpenPollTimes.Where(t => t > _time.GetUtcNow() - TimeSpan.FromSeconds(20)).ToList();
        resumed.Zip(resumed.Skip(1), (a, b) => b - a).Should().NotBeEmpty().And.OnlyContain(gap => gap == TimeSpan.FromSeconds(3), "back on the poll interval");
        rig.BoardTickers.Should().Equal(m1.Ticker);
    }

    [Fact]
    public async Task A_lifecycle_notice_still_wakes_a_backed_off_poll_at_once()
    {
        var m1 = _source.Add(new ScriptedMarket("KXBTC15M-26JUL222315-15", T0, T0.AddMinutes(15)));
        using var rig = new KalshiTestRig(_dir.Path, _time, _source);
        await rig.RunUntilAsync(T0.AddMinutes(6));
        _source.Failing = true;
        await rig.RunUntilAsync(T0.AddMinutes(9));
        var lastRead = _source.OpenPollTimes.Last();
        (rig.Tracker.NextPollAt - lastRead).Should().BeGreaterThan(TimeSpan.FromSeconds(6), "backed off past the poll interval");

        var wait = rig.Tracker.WaitAsync(PollSchedule.MaxUnreachablePollInterval, CancellationToken.None);
        wait.IsCompleted.Should().BeFalse();
        rig.Tracker.OnLifecycle(new LifecycleNotice(m1.Ticker, "deactivated", null));
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
        var before = _source.Queries.Count;
        await rig.Tracker.PollAsync(CancellationToken.None);
        _source.Queries.Count.Should().BeGreaterThan(before, "the notice makes this poll read the open list now");
    }

    [Fact]
    public async Task A_closed_market_stays_in_the_tick_until_its_result_even_hours_later_and_across_a_restart()
    {
        var m1 = _source.Add(new ScriptedMarket("KXBTC15M-26JUL222315-15", T0, T0.AddMinutes(15)));
        using (var rig = new KalshiTestRig(_dir.Path, _time, _source))
        {
            rig.Ticks(T0.AddMinutes(13), T0.AddMinutes(15).AddSeconds(2), _ => 65771.2m);
            await rig.RunUntilAsync(T0.AddMinutes(50));

            rig.BoardTickers.Should().Equal(m1.Ticker);
            rig.Board.Current.Single().Should().Match<TickMarketEntry>(e => TickMarketEntry.SecondsLeft(e.CloseTime, _time.GetUtcNow()) == 0);
            var lateQueries = _source.Queries.Where(q => q.At > T0.AddMinutes(40) && q.Query.Tickers != null).Select(q => q.At).ToList();
            lateQueries.Zip(lateQueries.Skip(1), (a, b) => b - a).Should().OnlyContain(gap => gap == PollSchedule.MaxResultPollInterval);
            rig.Tracker.SaveState();
        }

        // The collector is down for hours; the result is published meanwhile.
        _time.SetUtcNow(T0.AddHours(5));
        m1.FinalizedAt = T0.AddHours(4);

        using (var restarted = new KalshiTestRig(_dir.Path, _time, _source))
        {
            await restarted.RunUntilAsync(T0.AddHours(5).AddSeconds(10));
            restarted.BoardTickers.Should().BeEmpty();
        }

        var line = KalshiTestRig.SettlementLines(_dir.Path).Should().ContainSingle().Subject;
        line.GetProperty("ticker").GetString().Should().Be(m1.Ticker);
        line.GetProperty("brti_avg60").GetRawText().Should().Be("65771.20", "the window is read back from the first run's ticks");
        line.GetProperty("brti_samples").GetInt32().Should().Be(60);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Markets_that_opened_and_closed_while_the_collector_was_down_are_recorded_once_when_it_returns(bool timestampFiltersRefused)
    {
        // Kalshi's spec lets it refuse incompatible filter pairs (status=settled with close-time filters), and either
        // documented form may be answered 400 too: the recovery asks documented pairs, and falls back once.
        _source.RejectIncompatibleFilters = true;
        var m1 = _source.Add(new ScriptedMarket("KXBTC15M-26JUL222315-15", T0, T0.AddMinutes(15)) { FinalizedAt = T0.AddMinutes(15).AddSeconds(11) });
        using (var rig = new KalshiTestRig(_dir.Path, _time, _source))
        {
            await rig.RunUntilAsync(T0.AddMinutes(20));
            rig.Tracker.SaveState();
        }

        // Down from 03:20 to 04:10: three markets open and close unseen; the last has no result yet at restart.
        var missed = Enumerable.Range(1, 3)
            .Select(i => _source.Add(new ScriptedMarket($"KXBTC15M-MISSED-{i}", T0.AddMinutes(15 * i), T0.AddMinutes(15 * (i + 1)))
            {
                FinalizedAt = i < 3 ? T0.AddMinutes(15 * (i + 1)).AddSeconds(11) : null,
            }))
            .ToList();
        _time.SetUtcNow(T0.AddMinutes(70));
        _source.RejectTimestampFilters = timestampFiltersRefused;

        using (var restarted = new KalshiTestRig(_dir.Path, _time, _source))
        {
            await restarted.RunUntilAsync(T0.AddMinutes(71));
            restarted.BoardTickers.Should().Equal(missed[2].Ticker);
            _source.Refused.Should().HaveCount(timestampFiltersRefused ? 1 : 0, "a refusal is answered by the fallback, never asked again every poll");
            _source.Queries.Should().NotContain(q => q.Query.Status == "settled" && q.Query.MinCloseTime != null, "Kalshi documents that pair as incompatible");

            missed[2].FinalizedAt = T0.AddMinutes(72);
            await restarted.RunUntilAsync(T0.AddMinutes(73));
            restarted.BoardTickers.Should().BeEmpty();
        }

        KalshiTestRig.SettlementLines(_dir.Path).Select(l => l.GetProperty("ticker").GetString())
            .Should().Equal(m1.Ticker, missed[0].Ticker, missed[1].Ticker, missed[2].Ticker);
        KalshiTestRig.SettlementLines(_dir.Path).Skip(1).Should().OnlyContain(l => l.GetProperty("brti_samples").GetInt32() == 0);
    }

    [Fact]
    public async Task A_first_run_does_not_retrofit_markets_settled_before_it()
    {
        _source.Add(new ScriptedMarket("KXBTC15M-OLD", T0.AddMinutes(-30), T0.AddMinutes(-15)) { FinalizedAt = T0.AddMinutes(-14) });
        using var rig = new KalshiTestRig(_dir.Path, _time, _source);

        await rig.RunUntilAsync(T0.AddMinutes(6));

        KalshiTestRig.SettlementLines(_dir.Path).Should().BeEmpty();
        _source.Queries.Should().NotContain(q => q.Query.Status == "settled");
    }
}
