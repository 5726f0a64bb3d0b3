namespace KxCollector.Kalshi.Rest;

/// <summary>
/// A token bucket on the injected clock: tokens accrue at <see cref="Rate"/> per second up to <see cref="Capacity"/>,
/// and each request takes one, waiting when none is left. Waiters are served one at a time in arrival order, so
/// a paging backfill cannot starve the tracker's time-critical polls (they queue behind at most one request).
/// <para>With a capacity of 1 (what the collector uses) no half-open one-second window ever holds more than
/// <see cref="Rate"/> acquisitions, whatever the timing: a late wake-up does not bank the time it lost. A larger
/// capacity allows bursts of that size on top of the rate.</para>
/// </summary>
internal sealed class TokenBucket : IDisposable
{
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private double _tokens;
    private long _lastRefill;

    public TokenBucket(double ratePerSecond, double capacity, TimeProvider time)
    {
        if (!double.IsFinite(ratePerSecond) || ratePerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, "must be a positive number");
        }

        if (!double.IsFinite(capacity) || capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "must be at least 1");
        }

        Rate = ratePerSecond;
        Capacity = capacity;
        _time = time;
        _tokens = capacity;
        _lastRefill = time.GetTimestamp();
    }

    public double Rate { get; }

    public double Capacity { get; }

    /// <summary>Tokens taken so far.</summary>
    public long Acquired { get; private set; }

    /// <summary>Waits for a token and takes it.</summary>
    public async Task AcquireAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                Refill();
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    Acquired++;
                    return;
                }

                var wait = TimeSpan.FromSeconds((1 - _tokens) / Rate);

                // Timers never fire early, but round the wait up so a sub-tick remainder cannot spin.
                await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, _time, cancellationToken);
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Takes a token if one is there now, without waiting.</summary>
    public bool TryAcquire()
    {
        if (!_turn.Wait(0))
        {
            return false;
        }

        try
        {
            Refill();
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            Acquired++;
            return true;
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_lastRefill, now);
        _lastRefill = now;
        _tokens = Math.Min(Capacity, _tokens + (elapsed.TotalSeconds * Rate));
    }
}
