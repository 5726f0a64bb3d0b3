namespace KxCollector.Recording;

/// <summary>Facts about the tick loop for status reporting and the systemd watchdog (read from other threads).</summary>
internal sealed class TickStats
{
    private long _lastTickAtTicks;
    private long _ticksWritten;
    private long _ticksNotWritten;
    private long _secondsSkipped;
    private Action<TimeSpan>? _offsetObserver;
    private ITickObserver? _tickObserver;

    /// <summary>When the last tick was sampled (whether or not the disk took it).</summary>
    public DateTimeOffset? LastTickAt
    {
        get
        {
            var ticks = Volatile.Read(ref _lastTickAtTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public long TicksWritten => Interlocked.Read(ref _ticksWritten);

    /// <summary>Ticks held back because the file could not be written at the time (they are retried).</summary>
    public long TicksNotWritten => Interlocked.Read(ref _ticksNotWritten);

    /// <summary>Whole seconds that got no tick because the loop woke more than a second late (a stall).</summary>
    public long SecondsSkipped => Interlocked.Read(ref _secondsSkipped);

    public void RecordTick(DateTimeOffset at, bool written)
    {
        Volatile.Write(ref _lastTickAtTicks, at.UtcTicks);
        Interlocked.Increment(ref written ? ref _ticksWritten : ref _ticksNotWritten);
        Volatile.Read(ref _offsetObserver)?.Invoke(TimeSpan.FromTicks(at.UtcTicks % TimeSpan.TicksPerSecond));

        // Last: the line is already with the file and the counters are up to date when the observer reads them.
        Volatile.Read(ref _tickObserver)?.OnTick(at);
    }

    /// <summary>Tells <paramref name="observer"/> of every tick recorded here, after it is counted (null: nobody).</summary>
    public void ObserveTicks(ITickObserver? observer) => Volatile.Write(ref _tickObserver, observer);

    /// <summary>
    /// Hands every tick's offset from its whole second to <paramref name="observer"/> (the metrics' histogram: a
    /// distribution cannot be read back from totals at scrape time). Called once a second on the tick thread.
    /// </summary>
    public void ObserveOffsets(Action<TimeSpan> observer) => Volatile.Write(ref _offsetObserver, observer);

    public void RecordSkippedSeconds(long count) => Interlocked.Add(ref _secondsSkipped, count);
}
