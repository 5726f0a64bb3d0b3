namespace KxCollector.Tests.Support;

/// <summary>
/// A TimeProvider whose clock only moves when a test says so (Microsoft.Extensions.TimeProvider.Testing is not
/// served here). Timers created from it fire, in due order, as <see cref="Advance"/> passes their due time.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _changeWaiters = [];
    private DateTimeOffset _now;
    private long _timestampTicks;
    private int _fires;
    private int _changes;

    public ManualTimeProvider(DateTimeOffset start) => _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _timestampTicks;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>How many timer callbacks have fired.</summary>
    public int Fires
    {
        get
        {
            lock (_gate)
            {
                return _fires;
            }
        }
    }

    /// <summary>How many times a timer was created or re-aimed with Change (a PeriodicTimer's Period setter).</summary>
    public int Changes
    {
        get
        {
            lock (_gate)
            {
                return _changes;
            }
        }
    }

    /// <summary>
    /// Completes once timers have been created or changed <paramref name="count"/> times in all: how a test knows a
    /// service on another thread has re-armed its timer before the test moves the clock again.
    /// </summary>
    public Task WaitForChangesAsync(int count)
    {
        lock (_gate)
        {
            if (_changes >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _changeWaiters.Add((count, done));
            return done.Task;
        }
    }

    /// <summary>Moves the wall clock without moving monotonic time or firing timers (an NTP step).</summary>
    public void StepWallClock(TimeSpan delta)
    {
        lock (_gate)
        {
            _now += delta;
        }
    }

    /// <summary>
    /// Moves both clocks forward, firing each timer whose due time is passed, at its due time. Timers run on the
    /// monotonic clock, as real ones do: <see cref="StepWallClock"/> never fires or delays them.
    /// </summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        long target;
        lock (_gate)
        {
            target = _timestampTicks + delta.Ticks;
        }

        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.DueAt is not null && t.DueAt <= target).MinBy(t => t.DueAt);
                var moveTo = next?.DueAt is { } due && due > _timestampTicks ? due : (next is null ? target : _timestampTicks);
                _now += TimeSpan.FromTicks(moveTo - _timestampTicks);
                _timestampTicks = moveTo;
                if (next is null)
                {
                    return;
                }

                next.Rearm(_timestampTicks);
                _fires++;
            }

            next.Fire();
        }
    }

    /// <summary>Advances to a given wall-clock instant.</summary>
    public void AdvanceTo(DateTimeOffset instant) => Advance(instant - GetUtcNow());

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
            timer.ChangeLocked(_timestampTicks, dueTime, period);
        }

        return timer;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        /// <summary>Due time on the monotonic (timestamp) clock.</summary>
        public long? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                ChangeLocked(owner._timestampTicks, dueTime, period);
            }

            return true;
        }

        public void ChangeLocked(long now, TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : now + dueTime.Ticks;
            owner._changes++;
            foreach (var waiter in owner._changeWaiters.Where(w => owner._changes >= w.Count).ToList())
            {
                owner._changeWaiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }

        public void Rearm(long now) =>
            DueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : now + _period.Ticks;

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._gate)
            {
                DueAt = null;
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
