namespace KxCollector.Net;

/// <summary>
/// Lets a repeating warning through at most once per interval, so a venue spraying bad frames cannot flood the
/// journal; the counters beside it keep the full tally. Not thread-safe: one receive loop owns it.
/// </summary>
internal sealed class LogThrottle
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private long? _lastLoggedAt;

    public LogThrottle(TimeProvider time, TimeSpan interval)
    {
        _time = time;
        _interval = interval;
    }

    public static TimeSpan OncePerMinute => TimeSpan.FromMinutes(1);

    /// <summary>True when the caller may log now; it then counts as the last time logged.</summary>
    public bool TryAcquire()
    {
        var now = _time.GetTimestamp();
        if (_lastLoggedAt is { } last && _time.GetElapsedTime(last, now) < _interval)
        {
            return false;
        }

        _lastLoggedAt = now;
        return true;
    }
}
