namespace KxCollector.Net;

/// <summary>
/// A retry count over a <see cref="BackoffPolicy"/>: each <see cref="NextDelay()"/> is one more failure. The count
/// starts over on <see cref="Reset"/>, or on its own once a connection marked with <see cref="MarkConnected"/> has
/// lasted the stable period: a link that connects and dies at once keeps backing off, a good one that drops after an
/// hour reconnects quickly. Not thread-safe: one retry loop owns it.
/// </summary>
internal sealed class Backoff
{
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private readonly TimeSpan? _stablePeriod;
    private long? _connectedAt;
    private long _failingSince;

    /// <param name="stablePeriod">How long a connection must last for its loss to start the count over; null: only <see cref="Reset"/> does.</param>
    /// <param name="random">Returns a value in [0, 1); injectable so tests can pin the jitter (default: <see cref="Random.Shared"/>).</param>
    public Backoff(BackoffPolicy policy, TimeProvider time, TimeSpan? stablePeriod = null, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (stablePeriod is { } stable)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(stable, TimeSpan.Zero);
        }

        Policy = policy;
        _time = time;
        _stablePeriod = stablePeriod;
        _random = random ?? Random.Shared.NextDouble;
    }

    public BackoffPolicy Policy { get; }

    /// <summary>Failures since the count last started over; after a <see cref="NextDelay()"/>, 1 for the first.</summary>
    public int Attempt { get; private set; }

    public bool Failing => Attempt > 0;

    /// <summary>How long since the first failure of this run of failures; zero when not failing.</summary>
    public TimeSpan FailingFor => Failing ? _time.GetElapsedTime(_failingSince) : TimeSpan.Zero;

    /// <summary>The upper bound of the next delay under the policy: min(cap, base·2^attempt).</summary>
    public TimeSpan Ceiling => Policy.Ceiling(Attempt);

    /// <summary>Notes that a connection is up; if it lasts the stable period, the next delay starts from the base again.</summary>
    public void MarkConnected() => _connectedAt = _time.GetTimestamp();

    public void Reset()
    {
        Attempt = 0;
        _connectedAt = null;
    }

    /// <summary>The delay before the next attempt. Call once per failure.</summary>
    public TimeSpan NextDelay() => NextDelay(Policy);

    /// <summary>The same count under other bounds this once (the database waits longer after a refused login).</summary>
    public TimeSpan NextDelay(BackoffPolicy policy)
    {
        if (_connectedAt is { } connectedAt)
        {
            _connectedAt = null;
            if (_stablePeriod is { } stable && _time.GetElapsedTime(connectedAt) >= stable)
            {
                Attempt = 0;
            }
        }

        if (Attempt == 0)
        {
            _failingSince = _time.GetTimestamp();
        }

        var delay = policy.Delay(Attempt, _random());
        if (Attempt < int.MaxValue)
        {
            Attempt++;
        }

        return delay;
    }
}
