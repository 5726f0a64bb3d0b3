namespace KxCollector.Recording;

/// <summary>
/// How a tick loop's own thread sleeps until its next period. On the system clock it is a kernel timed wait on that
/// thread; the runtime's timers (a PeriodicTimer, Task.Delay) are avoided there on purpose: their callbacks run on a
/// thread-pool thread, and when the pool's threads are all held (a state-file fsync or a status write blocked behind
/// an ext4 journal commit) the callback waits for the pool to grow, about half a second a thread. A soak lost a
/// second's tick while the process was otherwise running (the stream wrote a line 0.2 s into the second the tick
/// never came, and the tick before had taken 1 ms), most likely that way (docs/BENCHMARKS.md). A kernel wait needs
/// nothing but the CPU.
/// </summary>
internal abstract class TickWait
{
    /// <summary>Sleeps for <paramref name="delay"/>; false when <paramref name="stop"/> ended the wait instead.</summary>
    public abstract bool Wait(TimeSpan delay, CancellationToken stop);

    /// <summary>The kernel wait for the system clock; an injected clock (tests) gets a wait on that clock's timers.</summary>
    public static TickWait For(TimeProvider time) =>
        ReferenceEquals(time, TimeProvider.System) ? new KernelWait() : new ClockWait(time);

    /// <summary>Wakes on the kernel's timeout (the monotonic clock, to the millisecond) or when stop is signalled.</summary>
    private sealed class KernelWait : TickWait
    {
        public override bool Wait(TimeSpan delay, CancellationToken stop) => !stop.WaitHandle.WaitOne(delay);
    }

    /// <summary>Wakes when the injected clock's timer fires, however the test moves that clock.</summary>
    private sealed class ClockWait(TimeProvider time) : TickWait
    {
        public override bool Wait(TimeSpan delay, CancellationToken stop)
        {
            var due = Task.Delay(delay, time, stop);
            try
            {
                due.Wait(CancellationToken.None);
                return true;
            }
            catch (AggregateException) when (due.IsCanceled)
            {
                return false;
            }
        }
    }
}
