using Microsoft.Extensions.Time.Testing;

namespace KxCollector.Tests.Support;

/// <summary>
/// <see cref="FakeTimeProvider"/> plus the two things it lacks, for the few tests that need them (every other test
/// uses FakeTimeProvider as it is):
/// <list type="bullet">
/// <item>A wall clock that steps apart from the monotonic one (<see cref="StepWallClock"/>, an NTP step): the tick
/// loop's tests prove that a step never fires, delays or doubles a tick. FakeTimeProvider derives its timestamp from
/// its wall clock, so its AdjustTime moves both.</item>
/// <item>A count of timers armed and fired (<see cref="Changes"/>, <see cref="Fires"/>, <see cref="WaitForChangesAsync"/>):
/// how a test knows that a service on another thread has armed its timer before it moves the clock again.</item>
/// </list>
/// </summary>
public sealed class SteppableTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _changeWaiters = [];
    private TimeSpan _wallOffset;
    private int _fires;
    private int _changes;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return base.GetUtcNow() + _wallOffset;
        }
    }

    /// <summary>Monotonic time: FakeTimeProvider's own clock, which the wall-clock steps leave alone.</summary>
    public override long GetTimestamp() => base.GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Moves the wall clock without moving monotonic time or firing timers.</summary>
    public void StepWallClock(TimeSpan delta)
    {
        lock (_gate)
        {
            _wallOffset += delta;
        }
    }

    /// <summary>How many timer callbacks have fired.</summary>
    public int Fires => Volatile.Read(ref _fires);

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

    /// <summary>Completes once timers have been created or changed <paramref name="count"/> times in all.</summary>
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

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(
            s =>
            {
                Interlocked.Increment(ref _fires);
                callback(s);
            },
            state,
            dueTime,
            period);
        CountChange();
        return new CountedTimer(timer, this);
    }

    private void CountChange()
    {
        List<TaskCompletionSource> done;
        lock (_gate)
        {
            _changes++;
            done = _changeWaiters.Where(w => _changes >= w.Count).Select(w => w.Done).ToList();
            _changeWaiters.RemoveAll(w => _changes >= w.Count);
        }

        done.ForEach(d => d.TrySetResult());
    }

    private sealed class CountedTimer(ITimer inner, SteppableTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            owner.CountChange();
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
