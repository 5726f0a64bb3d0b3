using System.Globalization;
using KxCollector.Configuration;

namespace KxCollector.Export;

/// <summary>A checked `kxcollector export` command line: the series, the UTC days (both ends included), the format.</summary>
internal sealed record ExportRequest(IReadOnlyList<string> Series, DateOnly From, DateOnly To, ExportFormat Format, string OutputDirectory)
{
    /// <summary>The request, or why the command line is not one (a usage error). Days from today on are not finished: never exported.</summary>
    public static (ExportRequest? Request, string? Error, string? Note) Parse(string series, string from, string? to, string format, string output, DateOnly today)
    {
        List<string> list;
        try
        {
            list = CollectorOptionsLoader.LoadSeries(new SettingsReader(new Dictionary<string, string> { [SettingKeys.SeriesTicker] = series }));
        }
        catch (ConfigurationException)
        {
            return (null, $"--series: expected a Kalshi series ticker such as KXBTC15M, or a comma list of them; got '{series}'", null);
        }

        if (ParseDay(from) is not { } first)
        {
            return (null, $"--from: expected a UTC day like 2026-11-01; got '{from}'", null);
        }

        var yesterday = today.AddDays(-1);
        DateOnly last;
        string? note = null;
        if (to is null)
        {
            last = yesterday;
        }
        else if (ParseDay(to) is { } day)
        {
            last = day;
        }
        else
        {
            return (null, $"--to: expected a UTC day like 2026-11-30; got '{to}'", null);
        }

        if (last > yesterday)
        {
            // Today's file is still being written: an export of it would be a file that looks complete and is not.
            note = $"days from {today:yyyy-MM-dd} on are not finished and are not exported";
            last = yesterday;
        }

        if (last < first)
        {
            return (null, $"nothing to export: --from {first:yyyy-MM-dd} is after the last finished day {last:yyyy-MM-dd}", note);
        }

        ExportFormat kind;
        switch (format.Trim().ToLowerInvariant())
        {
            case "parquet":
                kind = ExportFormat.Parquet;
                break;
            case "csv":
                kind = ExportFormat.Csv;
                break;
            default:
                return (null, $"--format: expected parquet or csv; got '{format}'", null);
        }

        return (new ExportRequest(list, first, last, kind, Path.GetFullPath(output)), null, note);
    }

    private static DateOnly? ParseDay(string text) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
