using KxCollector.Net;
using Microsoft.Extensions.Time.Testing;

namespace KxCollector.Tests.Net;

/// <summary>
/// WakeSignal: a loop's "a change was notified, or at the latest the timeout". Time is a FakeTimeProvider, so a wait
/// that has not ended is seen not to have ended, without sleeping.
/// </summary>
public sealed class WakeSignalTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 2, 0, 0, TimeSpan.Zero));
    private readonly WakeSignal _signal = new();

    [Fact]
    public async Task A_change_notified_before_the_wait_ends_it_at_once()
    {
        _signal.Notify();

        var wait = _signal.WaitAsync(Timeout, _time, CancellationToken.None);

        wait.IsCompletedSuccessfully.Should().BeTrue();
        await wait;
    }

    [Fact]
    public async Task Without_a_change_the_wait_lasts_exactly_the_timeout()
    {
        var wait = _signal.WaitAsync(Timeout, _time, CancellationToken.None);

        _time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        wait.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_change_notified_during_the_wait_ends_it_before_the_timeout()
    {
        var wait = _signal.WaitAsync(Timeout, _time, CancellationToken.None);
        wait.IsCompleted.Should().BeFalse();

        _signal.Notify();

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
        _time.GetUtcNow().Should().Be(new DateTimeOffset(2026, 12, 4, 2, 0, 0, TimeSpan.Zero), "no time passed");
    }

    [Fact]
    public async Task Changes_between_two_waits_collapse_into_one()
    {
        _signal.Notify();
        _signal.Notify();
        _signal.Notify();

        await _signal.WaitAsync(Timeout, _time, CancellationToken.None);
        var second = _signal.WaitAsync(Timeout, _time, CancellationToken.None);

        second.IsCompleted.Should().BeFalse("the three notifications were one change, already taken by the first wait");
        _time.Advance(Timeout);
        await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_change_that_ended_a_wait_does_not_end_the_next_one_too()
    {
        var first = _signal.WaitAsync(Timeout, _time, CancellationToken.None);
        _signal.Notify();
        await first.WaitAsync(TimeSpan.FromSeconds(10));

        var second = _signal.WaitAsync(Timeout, _time, CancellationToken.None);

        second.IsCompleted.Should().BeFalse();
        _time.Advance(Timeout);
        await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_infinite_wait_arms_no_timer_and_ends_only_by_a_change()
    {
        var wait = _signal.WaitAsync(System.Threading.Timeout.InfiniteTimeSpan, _time, CancellationToken.None);

        _time.Advance(TimeSpan.FromDays(30));
        wait.IsCompleted.Should().BeFalse();
        _signal.Notify();
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_zero_timeout_returns_at_once()
    {
        var wait = _signal.WaitAsync(TimeSpan.Zero, _time, CancellationToken.None);

        wait.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public async Task Cancelling_the_token_ends_the_wait_with_cancellation()
    {
        using var stop = new CancellationTokenSource();
        var wait = _signal.WaitAsync(Timeout, _time, stop.Token);
        wait.IsCompleted.Should().BeFalse();

        await stop.CancelAsync();

        await FluentActions.Awaiting(() => wait.WaitAsync(TimeSpan.FromSeconds(10))).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task The_waiting_loop_does_not_resume_on_the_notifying_thread()
    {
        var notifier = Environment.CurrentManagedThreadId;
        var wait = ResumedOnAsync();

        _signal.Notify();

        (await wait.WaitAsync(TimeSpan.FromSeconds(10))).Should().NotBe(notifier, "a socket thread that notifies must not run the loop's next step");

        async Task<int> ResumedOnAsync()
        {
            await _signal.WaitAsync(Timeout, _time, CancellationToken.None);
            return Environment.CurrentManagedThreadId;
        }
    }

    [Fact]
    public async Task Notifications_racing_waits_are_never_lost()
    {
        // A notifier thread and a waiting loop, the timeout so long that only a notification ends a wait: the loop
        // sees the notifier's last change, however the two interleaved.
        const int Changes = 20_000;
        var published = 0;
        var seen = 0;
        var loop = Task.Run(async () =>
        {
            while (Volatile.Read(ref seen) < Changes)
            {
                await _signal.WaitAsync(TimeSpan.FromHours(1), _time, CancellationToken.None);
                Volatile.Write(ref seen, Volatile.Read(ref published));
            }
        });

        for (var i = 1; i <= Changes; i++)
        {
            Volatile.Write(ref published, i);
            _signal.Notify();
            if (i % 64 == 0)
            {
                await Task.Yield();
            }
        }

        await loop.WaitAsync(TimeSpan.FromSeconds(60));
        seen.Should().Be(Changes);
    }
}
