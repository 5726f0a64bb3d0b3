namespace KxCollector.Recording;

/// <summary>
/// Facts about the tick loop for status reporting and the systemd watchdog (read from other threads). A tick is
/// recorded in two steps where its line is handed over to be written (<see cref="RecordHandOff"/>): sampled on the
/// tick thread, written on the writer thread.
/// </summary>
internal sealed class TickStats : IAppendObserver
{
    private long _lastTickAtTicks;
    private long _ticksWritten;
    private long _ticksNotWritten;
    private long _secondsSkipped;
    private Action<TimeSpan>? _offsetObserver;
    private ITickObserver? _tickObserver;

    /// <summary>
    /// The time of the last tick whose line was given to its file (whether or not the disk took it): what the watchdog
    /// and /health call advancing. A tick handed over to a writer that hangs is not counted, so a hung disk stops it.
    /// </summary>
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

    /// <summary>A tick sampled and written on the same thread: both steps at once.</summary>
    public void RecordTick(DateTimeOffset at, bool written)
    {
        RecordSampled(at);
        RecordWritten(at, written);
    }

    /// <summary>The tick thread: the tick of <paramref name="at"/> was sampled (its line may not be written yet).</summary>
    public void RecordSampled(DateTimeOffset at) =>
        Volatile.Read(ref _offsetObserver)?.Invoke(TimeSpan.FromTicks(at.UtcTicks % TimeSpan.TicksPerSecond));

    /// <summary>The tick's line was given to its file: <paramref name="written"/> false when the disk did not take it yet.</summary>
    public void RecordWritten(DateTimeOffset at, bool written)
    {
        Volatile.Write(ref _lastTickAtTicks, at.UtcTicks);
        Interlocked.Increment(ref written ? ref _ticksWritten : ref _ticksNotWritten);

        // Last: the line is already with the file and the counters are up to date when the observer reads them.
        Volatile.Read(ref _tickObserver)?.OnTick(at);
    }

    void IAppendObserver.OnAppended(DateTimeOffset timestamp, bool written) => RecordWritten(timestamp, written);

    /// <summary>Tells <paramref name="observer"/> of every tick recorded here, after it is counted (null: nobody).</summary>
    public void ObserveTicks(ITickObserver? observer) => Volatile.Write(ref _tickObserver, observer);

    /// <summary>
    /// Hands every tick's offset from its whole second to <paramref name="observer"/> (the metrics' histogram: a
    /// distribution cannot be read back from totals at scrape time). Called once a second on the tick thread.
    /// </summary>
    public void ObserveOffsets(Action<TimeSpan> observer) => Volatile.Write(ref _offsetObserver, observer);

    public void RecordSkippedSeconds(long count) => Interlocked.Add(ref _secondsSkipped, count);
}
