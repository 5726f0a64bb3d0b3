namespace KxCollector.Kalshi.Sports;

/// <summary>
/// What each TARGET_SPORTS sport resolved to, for status.json: its series, the last one added and when, and the
/// problem with it if any (a tag Kalshi does not know, no series). Written by the discovery service, read by the
/// status writer without a lock: every update publishes a new dictionary of immutable records, swapped whole.
/// Plain copy-on-write rather than System.Collections.Immutable: a handful of sports changing a few times a day, and
/// a collector without TARGET_SPORTS then never maps that assembly (its pages counted in the idle RSS, issue 15).
/// </summary>
internal sealed class SportsStatus
{
    private static readonly Dictionary<string, SportFacts> NoFacts = new(StringComparer.Ordinal);

    private readonly Lock _writing = new();
    private Dictionary<string, SportFacts> _facts = NoFacts;
    private long _lastCheckTicks;

    public IReadOnlyDictionary<string, SportFacts> Facts => Volatile.Read(ref _facts);

    /// <summary>When Kalshi's series list was last read successfully.</summary>
    public DateTimeOffset? LastCheckAt => Interlocked.Read(ref _lastCheckTicks) is var t and not 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public void Checked(DateTimeOffset at) => Interlocked.Exchange(ref _lastCheckTicks, at.UtcTicks);

    public void Update(string sport, Func<SportFacts, SportFacts> change)
    {
        lock (_writing)
        {
            var next = new Dictionary<string, SportFacts>(_facts, StringComparer.Ordinal);
            next[sport] = change(next.GetValueOrDefault(sport) ?? SportFacts.Empty);
            Volatile.Write(ref _facts, next);
        }
    }
}

/// <param name="Series">The sport's series tickers, sorted ordinally.</param>
/// <param name="Problem">Why the sport records nothing, or null.</param>
internal sealed record SportFacts(IReadOnlyList<string> Series, string? LastAdded, DateTimeOffset? LastAddedAt, string? Problem)
{
    public static SportFacts Empty { get; } = new([], null, null, null);

    /// <summary>The same facts with one more series, kept sorted.</summary>
    public SportFacts WithSeries(string ticker) =>
        this with { Series = [.. Series.Append(ticker).Order(StringComparer.Ordinal)] };
}
