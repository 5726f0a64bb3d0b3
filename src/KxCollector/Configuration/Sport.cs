namespace KxCollector.Configuration;

/// <summary>
/// A sport as users name it (TARGET_SPORTS) and how Kalshi files it: the series category and tag
/// (<c>GET /series?category=…&amp;tags=…</c>, checked against <c>GET /search/tags_by_categories</c>), the milestone
/// competition, and the series ticker prefixes that tell leagues sharing a tag apart (NFL and college football are
/// both "Football").
/// </summary>
internal sealed record Sport(string Name, string Category, string Tag, string Competition, IReadOnlyList<string> TickerPrefixes)
{
    /// <summary>True when a series of the sport's category and tag belongs to this league (its ticker starts with a prefix).</summary>
    public bool Owns(string seriesTicker) =>
        TickerPrefixes.Any(p => seriesTicker.StartsWith(p, StringComparison.Ordinal));
}
