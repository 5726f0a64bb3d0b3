namespace KxCollector.Feeds;

/// <summary>
/// Exponential backoff with full jitter (delay = random(0, min(cap, base·2^attempt))), so that many clients cut off
/// by the same venue outage do not come back in lock-step. The attempt count starts over once a connection has
/// stayed up for the stable period: a link that connects and dies at once keeps backing off, a good one that
/// drops after an hour reconnects quickly.
/// </summary>
internal sealed class ReconnectBackoff
{
    // 2^30 times any sensible base is far above any sensible cap; stopping there keeps the arithmetic finite.
    private const int MaxExponent = 30;

    private readonly TimeProvider _time;
    private readonly TimeSpan _base;
    private readonly TimeSpan _cap;
    private readonly TimeSpan _stablePeriod;
    private readonly Func<double> _random;
    private long? _connectedAt;

    /// <param name="random">Returns a value in [0, 1); injectable so tests can pin the jitter.</param>
    public ReconnectBackoff(TimeProvider time, TimeSpan baseDelay, TimeSpan cap, TimeSpan stablePeriod, Func<double> random)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, baseDelay);
        ArgumentOutOfRangeException.ThrowIfLessThan(stablePeriod, TimeSpan.Zero);
        _time = time;
        _base = baseDelay;
        _cap = cap;
        _stablePeriod = stablePeriod;
        _random = random;
    }

    /// <summary>Failed attempts since the last stable connection; the exponent of the next ceiling.</summary>
    public int Attempt { get; private set; }

    /// <summary>The upper bound of the next delay: min(cap, base·2^attempt).</summary>
    public TimeSpan Ceiling
    {
        get
        {
            var exponent = Math.Min(Attempt, MaxExponent);
            var ceilingTicks = Math.Min(_cap.Ticks, _base.Ticks * Math.Pow(2, exponent));
            return TimeSpan.FromTicks((long)ceilingTicks);
        }
    }

    /// <summary>Notes that a connection is up; if it lasts the stable period, the next delay starts from the base again.</summary>
    public void MarkConnected() => _connectedAt = _time.GetTimestamp();

    /// <summary>The delay before the next connection attempt. Call once per attempt, after the link is lost or a connect failed.</summary>
    public TimeSpan NextDelay()
    {
        if (_connectedAt is { } connectedAt)
        {
            _connectedAt = null;
            if (_time.GetElapsedTime(connectedAt) >= _stablePeriod)
            {
                Attempt = 0;
            }
        }

        var ceiling = Ceiling;
        if (Attempt < MaxExponent)
        {
            Attempt++;
        }

        var fraction = Math.Clamp(_random(), 0d, 1d);
        return TimeSpan.FromTicks((long)(ceiling.Ticks * fraction));
    }
}
