namespace KxCollector.Net;

/// <summary>
/// The project's one backoff formula: the ceiling of retry <c>n</c> (0 for the first) is min(cap, base·2^n), and the
/// delay is a jittered share of it, drawn uniformly from [<see cref="JitterLow"/>, <see cref="JitterHigh"/>]·ceiling.
/// Full jitter ([0, 1], the default) keeps a fleet cut off by one outage from coming back in lock-step; a narrower band
/// ([0.8, 1.2] for the database) still spreads retries but never retries at once. Each user keeps its own bounds.
/// </summary>
internal readonly record struct BackoffPolicy
{
    // 2^30 times any sensible base is far above any sensible cap; stopping there keeps the arithmetic finite.
    private const int MaxExponent = 30;

    public BackoffPolicy(TimeSpan baseDelay, TimeSpan cap, double jitterLow = 0, double jitterHigh = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, baseDelay);
        ArgumentOutOfRangeException.ThrowIfNegative(jitterLow);
        ArgumentOutOfRangeException.ThrowIfLessThan(jitterHigh, jitterLow);
        Base = baseDelay;
        Cap = cap;
        JitterLow = jitterLow;
        JitterHigh = jitterHigh;
    }

    public TimeSpan Base { get; }

    public TimeSpan Cap { get; }

    public double JitterLow { get; }

    public double JitterHigh { get; }

    /// <summary>min(cap, base·2^retry): the upper bound of full jitter for the retry with that 0-based number.</summary>
    public TimeSpan Ceiling(int retry)
    {
        var exponent = Math.Clamp(retry, 0, MaxExponent);
        return TimeSpan.FromTicks((long)Math.Min(Cap.Ticks, Base.Ticks * Math.Pow(2, exponent)));
    }

    /// <param name="retry">0 for the first retry after a failure, 1 for the next, …</param>
    /// <param name="random01">A value in [0, 1) (clamped to [0, 1]); the caller's random source, so tests can pin it.</param>
    public TimeSpan Delay(int retry, double random01)
    {
        var fraction = JitterLow + ((JitterHigh - JitterLow) * Math.Clamp(random01, 0d, 1d));
        return TimeSpan.FromTicks((long)(Ceiling(retry).Ticks * fraction));
    }
}
