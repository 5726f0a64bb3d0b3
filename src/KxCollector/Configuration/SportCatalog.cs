namespace KxCollector.Configuration;

/// <summary>
/// The one table from the sport names of TARGET_SPORTS to Kalshi's filing. To add a sport, add a row: its category
/// and tag as <c>GET /search/tags_by_categories</c> lists them, its milestone competition as <c>GET /milestones</c>
/// names it, and the prefixes of its series tickers (Kalshi's are <c>KX&lt;LEAGUE&gt;&lt;KIND&gt;</c>: KXNFLGAME,
/// KXNFLSPREAD, …). A prefix must not be the start of another league's (KXNBA does not match KXWNBA).
/// <para>Seen on Kalshi (docs/venues.md): the NFL, NHL, NBA and college football rows' tags, competitions and
/// tickers. The other rows follow the same pattern and are checked at start-up: a tag Kalshi does not list, or a
/// sport that resolves to no series, is one warning line naming it.</para>
/// </summary>
internal static class SportCatalog
{
    public const string SportsCategory = "Sports";

    public static IReadOnlyList<Sport> All { get; } =
    [
        new("NFL", SportsCategory, "Football", "Pro Football", ["KXNFL"]),
        new("CFB", SportsCategory, "Football", "College Football", ["KXNCAAF"]),
        new("NBA", SportsCategory, "Basketball", "Pro Basketball (M)", ["KXNBA"]),
        new("WNBA", SportsCategory, "Basketball", "Pro Basketball (W)", ["KXWNBA"]),
        new("NHL", SportsCategory, "Hockey", "Pro Hockey", ["KXNHL"]),
        new("MLB", SportsCategory, "Baseball", "Pro Baseball", ["KXMLB"]),
        new("EPL", SportsCategory, "Soccer", "Premier League", ["KXEPL"]),
        new("MLS", SportsCategory, "Soccer", "MLS", ["KXMLS"]),
    ];

    /// <summary>Other names users write for the same sport.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["NCAAF"] = "CFB",
        ["COLLEGE FOOTBALL"] = "CFB",
    };

    public static Sport? Find(string name)
    {
        var canonical = Aliases.TryGetValue(name.Trim(), out var alias) ? alias : name.Trim();
        return All.FirstOrDefault(s => string.Equals(s.Name, canonical, StringComparison.OrdinalIgnoreCase));
    }

    public static string Names => string.Join(", ", All.Select(s => s.Name));
}
