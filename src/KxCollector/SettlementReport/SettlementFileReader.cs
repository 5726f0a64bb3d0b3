using System.Text;
using KxCollector.Archive;
using KxCollector.Recording;
using KxCollector.Records;

namespace KxCollector.SettlementReport;

/// <summary>
/// Reads the settlement lines of recorded files (plain or .gz) into <see cref="SettlementRow"/>s, one per market: a
/// market seen in several files (a re-run backfill, a copied file) is reported once, from its first line. Only lines
/// starting with the settlement type are parsed, so a day's 170 MB of ticks is skimmed, not parsed.
/// </summary>
internal static class SettlementFileReader
{
    public static List<SettlementRow> Read(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var rows = new List<SettlementRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in files)
        {
            // A truncated .gz throws rather than passing as a day with fewer settlements.
            using var stream = DayFiles.OpenRead(path);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.StartsWith(SettlementRecord.LinePrefixText, StringComparison.Ordinal) && Parse(line) is { } row && seen.Add(row.Ticker))
                {
                    rows.Add(row);
                }
            }
        }

        return rows.OrderBy(r => r.CloseTime).ThenBy(r => r.Ticker, StringComparer.Ordinal).ToList();
    }

    /// <summary>A settlement line as a row; null for a line that does not parse (verify reports those).</summary>
    public static SettlementRow? Parse(string line)
    {
        SettlementRecord r;
        try
        {
            r = SettlementRecord.Read(Encoding.UTF8.GetBytes(line));
        }
        catch (FormatException)
        {
            return null;
        }

        var result = r.Result.Length > 0 ? r.Result : null;
        return new SettlementRow(
            r.Ticker,
            r.CloseTime,
            result,
            r.Strike,
            r.ExpirationValue,
            Measure.Of(r.Official?.Average, r.ExpirationValue, r.Strike, result),
            Measure.Of(r.Official?.KalshiAverage, r.ExpirationValue, r.Strike, result),
            Measure.Of(r.Proxy?.Average, r.ExpirationValue, r.Strike, result));
    }
}
