using KxCollector.Configuration;

namespace KxCollector.Recording;

/// <summary>
/// The downtime each series' data file shows at start-up (null: none). Per series, because each series has its own
/// file and tick loop: a series added to SERIES_TICKER since the last run has no hole, and one whose file stops
/// earlier has a longer one.
/// </summary>
internal sealed class DowntimeProbe
{
    private readonly Dictionary<string, Downtime?> _bySeries;

    public DowntimeProbe(IReadOnlyDictionary<string, Downtime?> bySeries)
    {
        ArgumentNullException.ThrowIfNull(bySeries);
        _bySeries = new Dictionary<string, Downtime?>(bySeries, StringComparer.Ordinal);
    }

    public static DowntimeProbe None { get; } = new(new Dictionary<string, Downtime?>());

    public Downtime? For(string series) => _bySeries.GetValueOrDefault(series);

    public static DowntimeProbe Detect(CollectorOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DowntimeProbe(options.Series.ToDictionary(
            s => s,
            s => Downtime.Detect(options.OutputDirectory, DayFileName.PrefixOf(s), now),
            StringComparer.Ordinal));
    }
}
