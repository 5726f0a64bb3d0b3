namespace KxCollector.Status;

/// <summary>What one UTC day's data file holds so far: the "is today's data complete?" answer.</summary>
internal sealed record DayFileFacts(
    DateOnly Date,
    string Path,
    bool Exists,
    long Bytes,
    long Lines,
    long Ticks,
    DateTimeOffset? FirstTickAt,
    DateTimeOffset? LastTickAt)
{
    /// <summary>
    /// Seconds of this day up to <paramref name="now"/> that have no tick: every whole second since 00:00:00 UTC, through
    /// the current one once its tick is in. Counts time the collector was down, so a dead collector's gap keeps growing.
    /// </summary>
    public long MissingSecondsAt(DateTimeOffset now) => Missing(MidnightSecond, now);

    /// <summary>As <see cref="MissingSecondsAt"/>, counted from the first tick (a collector installed mid-day is not "missing" the morning).</summary>
    public long MissingSecondsSinceFirstTickAt(DateTimeOffset now) =>
        FirstTickAt is { } first ? Missing(first.ToUnixTimeSeconds(), now) : 0;

    private long MidnightSecond => new DateTimeOffset(Date, TimeOnly.MinValue, TimeSpan.Zero).ToUnixTimeSeconds();

    private long Missing(long fromSecond, DateTimeOffset now)
    {
        var nowSecond = Math.Min(now.ToUnixTimeSeconds(), MidnightSecond + 86_399);
        var currentTickIn = LastTickAt is { } last && last.ToUnixTimeSeconds() >= nowSecond;
        var through = currentTickIn ? nowSecond : nowSecond - 1;
        return Math.Max(0, through - fromSecond + 1 - Ticks);
    }
}
