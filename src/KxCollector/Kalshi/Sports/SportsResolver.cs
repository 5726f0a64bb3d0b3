using KxCollector.Configuration;

namespace KxCollector.Kalshi.Sports;

/// <summary>The pure half of sports discovery: which listed series belong to a sport, and which sports' tags Kalshi does not know.</summary>
internal static class SportsResolver
{
    /// <summary>The series of <paramref name="sport"/>: its category and tag, and a ticker of its league; sorted, once each.</summary>
    public static IReadOnlyList<string> Match(Sport sport, IEnumerable<SeriesInfo> listed)
    {
        ArgumentNullException.ThrowIfNull(sport);
        ArgumentNullException.ThrowIfNull(listed);
        return listed
            .Where(s => string.Equals(s.Category, sport.Category, StringComparison.OrdinalIgnoreCase))
            .Where(s => s.Tags.Contains(sport.Tag, StringComparer.OrdinalIgnoreCase))
            .Where(s => sport.Owns(s.Ticker))
            .Select(s => s.Ticker)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The sports whose tag is not among the tags Kalshi lists for their category.</summary>
    public static IReadOnlyList<Sport> UnknownTags(IEnumerable<Sport> sports, IReadOnlyDictionary<string, IReadOnlyList<string>> tagsByCategory)
    {
        ArgumentNullException.ThrowIfNull(sports);
        ArgumentNullException.ThrowIfNull(tagsByCategory);
        return sports
            .Where(s => !tagsByCategory.Any(c =>
                string.Equals(c.Key, s.Category, StringComparison.OrdinalIgnoreCase) && c.Value.Contains(s.Tag, StringComparer.OrdinalIgnoreCase)))
            .ToList();
    }
}
