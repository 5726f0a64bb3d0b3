using KxCollector.Configuration;
using KxCollector.Net;

namespace KxCollector.Kalshi.Markets;

/// <summary>The three intervals a series is read at; the fast one never slower than the normal one.</summary>
internal sealed record PollIntervals(TimeSpan Poll, TimeSpan Fast, TimeSpan Discovery)
{
    public static PollIntervals From(KalshiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.PollInterval, options.FastPollInterval < options.PollInterval ? options.FastPollInterval : options.PollInterval, options.DiscoveryInterval);
    }
}

/// <summary>When each kind of read last ran (null: not yet), and whether the start-up recovery is still to do.</summary>
internal readonly record struct PollHistory(
    DateTimeOffset? LastOpenPoll,
    DateTimeOffset? LastPendingPoll,
    DateTimeOffset? LastDiscovery,
    DateTimeOffset? LastRecoveryAttempt,
    bool Recovered);

/// <summary>The next poll and whether the open list is on its fast interval.</summary>
internal readonly record struct PollPlan(DateTimeOffset NextPollAt, bool Fast);

/// <summary>
/// The poll schedule as a pure function of what is known of the markets and of now: no clock, no state. Scheduling
/// comes from the markets themselves, never from a 15-minute clock: the open list is read at each known open_time and
/// close_time (the <em>event instants</em>) and every <see cref="PollIntervals.Fast"/> from one fast interval before
/// each to <see cref="HotAfterEvent"/> after, every <see cref="PollIntervals.Poll"/> otherwise. A market awaiting its
/// result is read by ticker fast just after its close (or after the stream said it is determined) and more slowly as
/// it stays unsettled: a tenth of the time since, up to <see cref="MaxResultPollInterval"/>.
/// </summary>
internal sealed class PollSchedule(PollIntervals intervals)
{
    /// <summary>How long after an open_time or close_time the open list stays on the fast interval.</summary>
    public static readonly TimeSpan HotAfterEvent = TimeSpan.FromSeconds(15);

    /// <summary>The slowest a closed market without result is polled (results can take a day).</summary>
    public static readonly TimeSpan MaxResultPollInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest wait between polls while Kalshi does not answer at all: each failed poll already made up to four
    /// attempts inside the REST client, so asking again every poll interval only wakes the process to be refused.
    /// </summary>
    public static readonly TimeSpan MaxUnreachablePollInterval = TimeSpan.FromSeconds(30);

    // Only a guard against a busy loop; requests themselves are paced by the REST client.
    private static readonly TimeSpan MinimumPause = TimeSpan.FromMilliseconds(1);

    public PollIntervals Intervals => intervals;

    /// <summary>
    /// The wait after a poll that got no answer: doubling from the poll interval to <see cref="MaxUnreachablePollInterval"/>
    /// (or the poll interval when that is longer), drawn from [0.5, 1] of the ceiling so a fleet does not retry in step.
    /// Never sooner than the schedule asks: the tracker takes the later of the two.
    /// </summary>
    public BackoffPolicy UnreachablePolicy() =>
        new(intervals.Poll, intervals.Poll > MaxUnreachablePollInterval ? intervals.Poll : MaxUnreachablePollInterval, jitterLow: 0.5, jitterHigh: 1);

    /// <summary>True while an event instant is within one fast interval ahead or <see cref="HotAfterEvent"/> behind.</summary>
    public bool IsFast(IEnumerable<DateTimeOffset> instants, DateTimeOffset now) =>
        instants.Any(t => now >= t - intervals.Fast && now <= t + HotAfterEvent);

    /// <summary>The open list is due when its interval has passed, or an event instant has passed since its last read.</summary>
    public bool OpenDue(IReadOnlyCollection<DateTimeOffset> instants, DateTimeOffset? lastOpenPoll, DateTimeOffset now) =>
        Due(lastOpenPoll, OpenInterval(instants, now), now) ||
        (lastOpenPoll is { } last && instants.Any(t => t > last && t <= now));

    /// <summary>A stream event asks for the open list now, yet never sooner than one fast interval after the last read.</summary>
    public bool NudgeDue(DateTimeOffset? lastOpenPoll, DateTimeOffset now) => Due(lastOpenPoll, intervals.Fast, now);

    /// <summary>
    /// Whether the markets awaiting a result are due a by-ticker read; <paramref name="pendingSince"/> holds one entry
    /// per such market: when it closed or was determined, or null when it is out of the open list before its close.
    /// </summary>
    public bool PendingDue(IReadOnlyCollection<DateTimeOffset?> pendingSince, DateTimeOffset? lastPendingPoll, DateTimeOffset now) =>
        pendingSince.Count > 0 && Due(lastPendingPoll, PendingInterval(pendingSince, now), now);

    public bool DiscoveryDue(DateTimeOffset? lastDiscovery, DateTimeOffset now) => Due(lastDiscovery, intervals.Discovery, now);

    public bool RecoveryDue(DateTimeOffset? lastAttempt, DateTimeOffset now) => Due(lastAttempt, intervals.Poll, now);

    /// <summary>When the next poll has something to do, and whether the open list is on its fast interval now.</summary>
    public PollPlan Plan(IReadOnlyCollection<DateTimeOffset> instants, IReadOnlyCollection<DateTimeOffset?> pendingSince, PollHistory history, DateTimeOffset now)
    {
        var fast = IsFast(instants, now);
        var next = (history.LastOpenPoll ?? now) + (fast ? intervals.Fast : intervals.Poll);
        if (NextInstant(instants, now) is { } instant && instant < next)
        {
            next = instant;
        }

        if (pendingSince.Count > 0)
        {
            next = Earlier(next, (history.LastPendingPoll ?? now) + PendingInterval(pendingSince, now));
        }

        next = Earlier(next, (history.LastDiscovery ?? now) + intervals.Discovery);
        if (!history.Recovered)
        {
            next = Earlier(next, (history.LastRecoveryAttempt ?? now) + intervals.Poll);
        }

        return new PollPlan(next < now + MinimumPause ? now + MinimumPause : next, fast);
    }

    private TimeSpan OpenInterval(IEnumerable<DateTimeOffset> instants, DateTimeOffset now) => IsFast(instants, now) ? intervals.Fast : intervals.Poll;

    private TimeSpan PendingInterval(IEnumerable<DateTimeOffset?> pendingSince, DateTimeOffset now)
    {
        var interval = MaxResultPollInterval;
        foreach (var since in pendingSince)
        {
            var candidate = since is { } from
                ? TimeSpan.FromTicks(Math.Clamp((now - from).Ticks / 10, intervals.Fast.Ticks, MaxResultPollInterval.Ticks))
                : intervals.Poll;
            interval = candidate < interval ? candidate : interval;
        }

        return interval;
    }

    private static DateTimeOffset? NextInstant(IEnumerable<DateTimeOffset> instants, DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        foreach (var instant in instants)
        {
            if (instant > now && (next is null || instant < next))
            {
                next = instant;
            }
        }

        return next;
    }

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => b < a ? b : a;

    private static bool Due(DateTimeOffset? last, TimeSpan interval, DateTimeOffset now) => last is null || now >= last + interval;
}
