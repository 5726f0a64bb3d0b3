namespace KxCollector.Kalshi.Games;

/// <summary>The game poll's counters for status.json, written by the poll and read without a lock.</summary>
internal sealed class GameStats
{
    private long _lastPollTicks;
    private long _linesWritten;
    private int _tracked;
    private int _live;
    private string? _lastError;

    public int Tracked => Volatile.Read(ref _tracked);

    public int Live => Volatile.Read(ref _live);

    public long LinesWritten => Interlocked.Read(ref _linesWritten);

    public string? LastError => Volatile.Read(ref _lastError);

    public DateTimeOffset? LastPollAt => Interlocked.Read(ref _lastPollTicks) is var t and not 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public void Games(int tracked, int live)
    {
        Volatile.Write(ref _tracked, tracked);
        Volatile.Write(ref _live, live);
    }

    public void Polled(DateTimeOffset at) => Interlocked.Exchange(ref _lastPollTicks, at.UtcTicks);

    public void LineWritten() => Interlocked.Increment(ref _linesWritten);

    public void Failed(string reason) => Volatile.Write(ref _lastError, reason);
}
