namespace KxCollector.Recording;

/// <summary>
/// The primary series' file, which status.json (today's file, the disk backlog) and the health rows follow: the first
/// series in SERIES_TICKER, or with TARGET_SPORTS alone the first series a sport resolves to, bound when it joins
/// (until then there is no file to show). Bound once; reads are lock-free.
/// </summary>
internal sealed class PrimaryFile
{
    private Bound? _bound;

    public PrimaryFile()
    {
    }

    /// <summary>A primary known from the start (tests, tools).</summary>
    public PrimaryFile(string series, DailyJsonlWriter writer) => Bind(series, writer);

    /// <summary>The primary series, or null before one has joined.</summary>
    public string? Series => Volatile.Read(ref _bound)?.Series;

    public DailyJsonlWriter? Writer => Volatile.Read(ref _bound)?.Writer;

    /// <summary>Records waiting for the disk in the primary file (0 before there is one).</summary>
    public int BacklogCount => Writer?.BacklogCount ?? 0;

    /// <summary>Makes this the primary file unless one already is; true when it became the primary.</summary>
    public bool Bind(string series, DailyJsonlWriter writer) =>
        Interlocked.CompareExchange(ref _bound, new Bound(series, writer), null) is null;

    private sealed record Bound(string Series, DailyJsonlWriter Writer);
}
