namespace KxCollector.Cli;

/// <summary>What an outage's latest failure deserves in the log.</summary>
internal enum OutageReport
{
    /// <summary>Told already, and the reminder is not due: say nothing.</summary>
    Quiet,

    /// <summary>The first failure after things worked: a warning now.</summary>
    First,

    /// <summary>Still failing, and the last report is a reminder interval old: say so again.</summary>
    Reminder,
}

/// <summary>An outage that has ended: how long it lasted and how many failures it counted.</summary>
internal readonly record struct Outage(TimeSpan Duration, int Failures);

/// <summary>
/// One outage's story in the log, told the same way everywhere: the first failure at once, a continuing one at most
/// once per reminder interval (a dead venue must not flood the journal), and the recovery once, with how long it
/// lasted and how many failures it saw. It only decides <em>when</em>; each caller keeps its own source-generated
/// messages, whose event ids alerts and the store's data_collection_logs refer to. Durations are monotonic, so a
/// wall-clock step never makes an outage look longer or shorter. Not thread-safe: one per loop.
/// </summary>
internal sealed class OutageReporter(TimeProvider time, TimeSpan reminderInterval)
{
    private long _since;
    private long _lastReport;

    /// <summary>Failures since the last success (0 when things work).</summary>
    public int Failures { get; private set; }

    public bool Failing => Failures > 0;

    /// <summary>How long the current outage has lasted (zero when none).</summary>
    public TimeSpan Duration => Failing ? time.GetElapsedTime(_since) : TimeSpan.Zero;

    /// <summary>Counts a failure and says whether to log it, and how.</summary>
    public OutageReport Failed()
    {
        var now = time.GetTimestamp();
        Failures++;
        if (Failures == 1)
        {
            _since = now;
            _lastReport = now;
            return OutageReport.First;
        }

        if (time.GetElapsedTime(_lastReport) < reminderInterval)
        {
            return OutageReport.Quiet;
        }

        _lastReport = now;
        return OutageReport.Reminder;
    }

    /// <summary>Counts a success: the outage that it ends (log it once), or null when nothing was failing.</summary>
    public Outage? Succeeded()
    {
        if (!Failing)
        {
            return null;
        }

        var ended = new Outage(time.GetElapsedTime(_since), Failures);
        Failures = 0;
        return ended;
    }
}
