using KxCollector.Net;

namespace KxCollector.Kalshi.Rest;

/// <summary>
/// Retries and pacing of Kalshi REST reads. Basic tier allows 20 reads/s; spacing requests by at least
/// <see cref="MinRequestSpacing"/> keeps the daemon at a quarter of that even while paging or retrying, whatever
/// KALSHI_REST_RPS (the token bucket, which `backfill` shares and which may be set higher for it) allows; the README
/// says so at KALSHI_REST_RPS. The backfill verb sets it to zero: its bucket alone paces it.
/// </summary>
internal sealed record KalshiRetryPolicy
{
    public static readonly KalshiRetryPolicy Default = new();

    /// <summary>Attempts per request, the first included.</summary>
    public int MaxAttempts { get; init; } = 4;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A Retry-After beyond this is capped, so one odd header cannot park the collector for an hour.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan MinRequestSpacing { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// "Full jitter": a uniform delay in [0, min(max, base·2^attempt)], so clients that failed together do not
    /// retry together. A Retry-After (Kalshi sends none today) is a floor.
    /// </summary>
    public TimeSpan DelayBeforeRetry(int failedAttempt, TimeSpan? retryAfter, double random01)
    {
        var delay = new BackoffPolicy(BaseDelay, MaxDelay).Delay(failedAttempt, random01);
        if (retryAfter is { } after && after > delay)
        {
            delay = after > MaxRetryAfter ? MaxRetryAfter : after;
        }

        return delay;
    }
}
