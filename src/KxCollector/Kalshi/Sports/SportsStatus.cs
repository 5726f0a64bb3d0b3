using System.Collections.Immutable;

namespace KxCollector.Kalshi.Sports;

/// <summary>
/// What each TARGET_SPORTS sport resolved to, for status.json: its series, the last one added and when, and the
/// problem with it if any (a tag Kalshi does not know, no series). Written by the discovery service, read by the
/// status writer without a lock (each sport's facts are one immutable record swapped whole).
/// </summary>
internal sealed class SportsStatus
{
    private ImmutableDictionary<string, SportFacts> _facts = ImmutableDictionary<string, SportFacts>.Empty;
    private long _lastCheckTicks;

    public IReadOnlyDictionary<string, SportFacts> Facts => Volatile.Read(ref _facts);

    /// <summary>When Kalshi's series list was last read successfully.</summary>
    public DateTimeOffset? LastCheckAt => Interlocked.Read(ref _lastCheckTicks) is var t and not 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public void Checked(DateTimeOffset at) => Interlocked.Exchange(ref _lastCheckTicks, at.UtcTicks);

    public void Update(string sport, Func<SportFacts, SportFacts> change) =>
        ImmutableInterlocked.AddOrUpdate(ref _facts, sport, _ => change(SportFacts.Empty), (_, old) => change(old));
}

/// <param name="Problem">Why the sport records nothing, or null.</param>
internal sealed record SportFacts(ImmutableList<string> Series, string? LastAdded, DateTimeOffset? LastAddedAt, string? Problem)
{
    public static SportFacts Empty { get; } = new([], null, null, null);
}
