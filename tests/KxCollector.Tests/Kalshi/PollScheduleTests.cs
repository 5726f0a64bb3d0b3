using KxCollector.Kalshi.Markets;

namespace KxCollector.Tests.Kalshi;

/// <summary>The poll schedule as a pure function: instants in, next poll out; no clock anywhere.</summary>
public sealed class PollScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 7, 23, 3, 0, 0, TimeSpan.Zero);
    private static readonly PollIntervals Intervals = new(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(0.5), TimeSpan.FromMinutes(1));
    private readonly PollSchedule _schedule = new(Intervals);

    private static PollHistory Polled(DateTimeOffset at) => new(at, null, at, null, Recovered: true);

    [Fact]
    public void Between_events_the_next_poll_is_one_slow_interval_after_the_last()
    {
        var plan = _schedule.Plan([T0, T0.AddMinutes(15)], [], Polled(T0.AddMinutes(5)), T0.AddMinutes(5));

        plan.Should().Be(new PollPlan(T0.AddMinutes(5).AddSeconds(3), Fast: false));
    }

    [Fact]
    public void An_open_or_close_time_before_the_next_slow_poll_is_polled_at_that_exact_instant()
    {
        var close = T0.AddMinutes(7).AddSeconds(13.25);
        var last = close.AddSeconds(-1.5);

        _schedule.Plan([T0, close], [], Polled(last), last).NextPollAt.Should().Be(close);
        var justBefore = close.AddSeconds(-0.4);
        _schedule.OpenDue([T0, close], justBefore, close).Should().BeTrue("an instant passed since the last read");
        _schedule.OpenDue([T0, close], justBefore, close.AddTicks(-1)).Should().BeFalse();
    }

    [Theory]
    [InlineData(-0.6, false)]
    [InlineData(-0.5, true)]
    [InlineData(0, true)]
    [InlineData(15, true)]
    [InlineData(15.1, false)]
    public void The_open_list_is_fast_from_one_fast_interval_before_an_instant_to_fifteen_seconds_after(double secondsFromInstant, bool fast)
    {
        var instant = T0.AddMinutes(15);

        _schedule.IsFast([instant], instant.AddSeconds(secondsFromInstant)).Should().Be(fast);
        PollSchedule.HotAfterEvent.Should().Be(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public void While_fast_the_next_poll_is_one_fast_interval_after_the_last()
    {
        var now = T0.AddMinutes(15).AddSeconds(2);

        _schedule.Plan([T0.AddMinutes(15)], [], Polled(now), now).Should().Be(new PollPlan(now.AddSeconds(0.5), Fast: true));
    }

    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(60, 6)]
    [InlineData(600, 30)]
    [InlineData(7200, 30)]
    public void A_market_awaiting_its_result_is_read_at_a_tenth_of_the_time_since_its_close_between_fast_and_thirty_seconds(double secondsSinceClose, double interval)
    {
        var close = T0.AddMinutes(15);
        var now = close.AddSeconds(secondsSinceClose);
        var history = new PollHistory(now, now, now, null, Recovered: true);

        // Slow open and discovery intervals, so the pending read is the next thing due.
        var schedule = new PollSchedule(Intervals with { Poll = TimeSpan.FromMinutes(2), Discovery = TimeSpan.FromMinutes(10) });
        var next = schedule.Plan([], [close], history, now).NextPollAt;

        next.Should().Be(now.AddSeconds(interval));
        PollSchedule.MaxResultPollInterval.Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void A_pending_read_is_due_once_a_tenth_of_the_time_since_close_has_passed_since_the_last()
    {
        var close = T0.AddMinutes(15);
        var last = close.AddSeconds(60);

        _schedule.PendingDue([close], last, close.AddSeconds(66)).Should().BeFalse("6.6 s are due, 6 s have passed");
        _schedule.PendingDue([close], last, close.AddSeconds(67)).Should().BeTrue("6.7 s are due, 7 s have passed");
        _schedule.PendingDue([close], null, close).Should().BeTrue("never read by ticker yet");
    }

    [Fact]
    public void A_market_out_of_the_open_list_before_its_close_is_read_at_the_slow_interval()
    {
        var now = T0.AddMinutes(5);
        var history = new PollHistory(now.AddSeconds(2), now, now, null, Recovered: true);

        _schedule.Plan([], [null], history, now).NextPollAt.Should().Be(now.AddSeconds(3));
        _schedule.PendingDue([], null, now).Should().BeFalse("nothing is pending");
    }

    [Fact]
    public void An_unfinished_recovery_is_retried_at_the_slow_interval_and_discovery_at_its_own()
    {
        var now = T0.AddMinutes(5);
        var history = new PollHistory(now.AddSeconds(10), null, now.AddSeconds(-59), now.AddSeconds(-1), Recovered: false);

        _schedule.Plan([], [], history, now).NextPollAt.Should().Be(now.AddSeconds(1), "the discovery is due in 1 s, before the recovery's retry in 2 s");
        _schedule.Plan([], [], history with { LastDiscovery = now }, now).NextPollAt.Should().Be(now.AddSeconds(2));
        _schedule.RecoveryDue(now.AddSeconds(-3), now).Should().BeTrue();
        _schedule.DiscoveryDue(null, now).Should().BeTrue("never read yet");
    }

    [Fact]
    public void The_next_poll_is_never_now_or_in_the_past()
    {
        var now = T0.AddMinutes(5);

        var overdue = new PollHistory(now.AddSeconds(-10), null, now, null, Recovered: true);

        _schedule.Plan([], [], overdue, now).NextPollAt.Should().Be(now.AddMilliseconds(1));
    }

    [Fact]
    public void The_fast_interval_is_never_slower_than_the_normal_one()
    {
        var options = KalshiTestRig.Options();
        options = new KxCollector.Configuration.KalshiOptions
        {
            Environment = options.Environment,
            ApiBaseUrl = options.ApiBaseUrl,
            WebSocketUrl = options.WebSocketUrl,
            PollInterval = TimeSpan.FromSeconds(1),
            FastPollInterval = TimeSpan.FromSeconds(2),
        };

        PollIntervals.From(options).Fast.Should().Be(TimeSpan.FromSeconds(1));
    }
}
