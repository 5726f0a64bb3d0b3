namespace KxCollector.Kalshi;

/// <summary>
/// What the Kalshi side has done lately, for status.json and `botctl status`: the last successful and failed REST
/// poll and the last settlement recorded, across all series. Written by the pollers and the settlement recorders,
/// read once a second by the status writer without taking any lock (each field is one atomic read or write; a reader
/// may see a success and an error from neighbouring instants, which is fine for a status line).
/// </summary>
internal sealed class KalshiActivity
{
    private long _lastPollAtTicks;
    private long _lastErrorAtTicks;
    private long _failingSinceTicks;
    private long _lastSettlementAtTicks;
    private string? _lastError;
    private string? _lastSettlementTicker;

    /// <summary>UTC time of the last REST poll that answered, or null before the first one.</summary>
    public DateTimeOffset? LastPollAt => Read(ref _lastPollAtTicks);

    /// <summary>The last poll failure's message (kept after recovery, with <see cref="LastErrorAt"/>).</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    public DateTimeOffset? LastErrorAt => Read(ref _lastErrorAtTicks);

    /// <summary>Since when polls have been failing without a success in between; null while they succeed.</summary>
    public DateTimeOffset? FailingSince => Read(ref _failingSinceTicks);

    public string? LastSettlementTicker => Volatile.Read(ref _lastSettlementTicker);

    public DateTimeOffset? LastSettlementAt => Read(ref _lastSettlementAtTicks);

    public void PollSucceeded(DateTimeOffset at)
    {
        Interlocked.Exchange(ref _lastPollAtTicks, at.UtcTicks);
        Interlocked.Exchange(ref _failingSinceTicks, 0);
    }

    public void PollFailed(DateTimeOffset at, string reason)
    {
        Volatile.Write(ref _lastError, reason);
        Interlocked.Exchange(ref _lastErrorAtTicks, at.UtcTicks);

        // Only the first failure of a run sets the start of the outage.
        Interlocked.CompareExchange(ref _failingSinceTicks, at.UtcTicks, 0);
    }

    public void SettlementRecorded(string ticker, DateTimeOffset at)
    {
        Volatile.Write(ref _lastSettlementTicker, ticker);
        Interlocked.Exchange(ref _lastSettlementAtTicks, at.UtcTicks);
    }

    private static DateTimeOffset? Read(ref long ticks)
    {
        var value = Interlocked.Read(ref ticks);
        return value == 0 ? null : new DateTimeOffset(value, TimeSpan.Zero);
    }
}
