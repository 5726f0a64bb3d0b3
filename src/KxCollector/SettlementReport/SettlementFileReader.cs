using System.Globalization;
using System.Text.Json;
using KxCollector.Archive;
using KxCollector.Recording;

namespace KxCollector.SettlementReport;

/// <summary>
/// Reads the settlement lines of recorded files (plain or .gz) into <see cref="SettlementRow"/>s, one per market: a
/// market seen in several files (a re-run backfill, a copied file) is reported once, from its first line. Only lines
/// starting with the settlement type are parsed, so a day's 170 MB of ticks is skimmed, not parsed.
/// </summary>
internal static class SettlementFileReader
{
    private const string Prefix = "{\"type\":\"settlement\"";

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
                if (line.StartsWith(Prefix, StringComparison.Ordinal) && Parse(line) is { } row && seen.Add(row.Ticker))
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
        try
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            if (r.TryGetProperty("ticker", out var t) is false || t.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var expiration = Number(r, "expiration_value");
            var strike = Number(r, "strike");
            var result = r.TryGetProperty("result", out var res) && res.ValueKind == JsonValueKind.String ? res.GetString() : null;
            DateTimeOffset? close = r.TryGetProperty("close_time", out var c) && c.ValueKind == JsonValueKind.String &&
                DateTimeOffset.TryParse(c.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ct) ? ct : null;
            return new SettlementRow(
                t.GetString()!,
                close,
                result,
                strike,
                expiration,
                Measure.Of(Number(r, "official_avg60"), expiration, strike, result),
                Measure.Of(Number(r, "kalshi_avg60"), expiration, strike, result),
                Measure.Of(Number(r, "brti_avg60"), expiration, strike, result));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static decimal? Number(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) ? d : null;
}
