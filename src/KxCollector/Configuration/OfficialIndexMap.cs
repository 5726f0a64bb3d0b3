using KxCollector.Configuration;

namespace KxCollector.Configuration;

/// <summary>
/// Which CF Benchmarks index each recorded series settles on, by series-ticker prefix (the longest matching prefix
/// wins): by default <c>KXBTC=BRTI,KXETH=ETHUSD_RTI,KXSOL=SOLUSD_RTI,KXXRP=XRPUSD_RTI,KXDOGE=DOGEUSD_RTI</c>
/// (docs/venues.md: the KXBTC15M, KXETH15M, … series settle on them). <c>OFFICIAL_INDEX_MAP</c> replaces the whole
/// map; <c>none</c> turns the official index off.
/// </summary>
internal sealed partial class OfficialIndexMap
{
    public const string DefaultText = "KXBTC=BRTI,KXETH=ETHUSD_RTI,KXSOL=SOLUSD_RTI,KXXRP=XRPUSD_RTI,KXDOGE=DOGEUSD_RTI";

    private readonly IReadOnlyList<(string Prefix, string IndexId)> _entries;

    private OfficialIndexMap(IReadOnlyList<(string Prefix, string IndexId)> entries) => _entries = entries;

    public static OfficialIndexMap Default { get; } = Parse(DefaultText);

    public static OfficialIndexMap None { get; } = new([]);

    public IReadOnlyList<(string Prefix, string IndexId)> Entries => _entries;

    /// <summary>The index the series settles on, or null when none is mapped (sports, or the map is off).</summary>
    public string? IndexOf(string series)
    {
        ArgumentNullException.ThrowIfNull(series);
        string? best = null;
        var bestLength = -1;
        foreach (var (prefix, id) in _entries)
        {
            if (prefix.Length > bestLength && series.StartsWith(prefix, StringComparison.Ordinal))
            {
                best = id;
                bestLength = prefix.Length;
            }
        }

        return best;
    }

    /// <summary>The distinct index ids the given series settle on, in series order.</summary>
    public IReadOnlyList<string> IndexesOf(IEnumerable<string> series) =>
        series.Select(IndexOf).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    /// <summary>OFFICIAL_INDEX_MAP: unset = the default map; "none" = off; else PREFIX=INDEX_ID pairs, comma separated.</summary>
    public static OfficialIndexMap Load(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var raw = reader.Raw(SettingKeys.OfficialIndexMap);
        if (raw is null)
        {
            return Default;
        }

        if (string.Equals(raw.Trim(), "none", StringComparison.OrdinalIgnoreCase))
        {
            return None;
        }

        try
        {
            return Parse(raw);
        }
        catch (FormatException)
        {
            throw new ConfigurationException(
                SettingKeys.OfficialIndexMap, raw, "PREFIX=INDEX_ID pairs separated by commas (e.g. KXBTC=BRTI,KXETH=ETHUSD_RTI), each prefix once, or none");
        }
    }

    private static OfficialIndexMap Parse(string text)
    {
        var entries = new List<(string, string)>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', StringSplitOptions.TrimEntries);
            if (pair.Length != 2)
            {
                throw new FormatException(part);
            }

            var prefix = pair[0].ToUpperInvariant();
            var id = pair[1].ToUpperInvariant();
            if (!NameSyntax.IsTicker(prefix) || !NameSyntax.IsIndexId(id) || entries.Any(e => e.Item1 == prefix))
            {
                throw new FormatException(part);
            }

            entries.Add((prefix, id));
        }

        return new OfficialIndexMap(entries);
    }
}
