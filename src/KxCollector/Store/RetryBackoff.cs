namespace KxCollector.Store;

/// <summary>
/// Exponential backoff with jitter for reaching the database: 1 s doubling to a minute, and up to 5 minutes for a
/// refused login (Supabase's pooler bans clients that keep failing authentication, and nothing changes until a
/// person fixes DATABASE_URL anyway). Jitter keeps collectors sharing a database from retrying in step.
/// </summary>
internal sealed class RetryBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxAfterLoginRefused = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time;
    private long _since;

    public RetryBackoff(TimeProvider time) => _time = time;

    public int Attempts { get; private set; }

    public bool Failing => Attempts > 0;

    /// <summary>How long the failures have lasted.</summary>
    public TimeSpan FailingFor => Failing ? _time.GetElapsedTime(_since) : TimeSpan.Zero;

    public TimeSpan Next(bool loginProblem)
    {
        if (Attempts == 0)
        {
            _since = _time.GetTimestamp();
        }

        Attempts++;
        var cap = loginProblem ? MaxAfterLoginRefused : Max;
        var exponential = First.TotalSeconds * Math.Pow(2, Math.Min(Attempts - 1, 16));
        var seconds = Math.Min(cap.TotalSeconds, exponential);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromSeconds(seconds * jitter);
    }

    public void Reset() => Attempts = 0;
}
