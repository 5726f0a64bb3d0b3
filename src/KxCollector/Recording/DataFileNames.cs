using System.Globalization;
using System.Text.RegularExpressions;

namespace KxCollector.Recording;

/// <summary>What a data file's name says: <c>&lt;series lower-case&gt;-YYYY-MM-DD.jsonl[.gz]</c>.</summary>
internal static partial class DataFileNames
{
    /// <summary>The series the file records, upper-case (kxbtc15m-2026-11-21.jsonl → KXBTC15M).</summary>
    public static string SeriesOf(string path)
    {
        var name = Path.GetFileName(path);
        var match = DatedName().Match(name);
        var stem = match.Success ? match.Groups[1].Value : StripExtensions(name);
        return stem.ToUpperInvariant();
    }

    /// <summary>The UTC day in the name, or null for a name without one.</summary>
    public static DateOnly? DayOf(string path)
    {
        var match = DatedName().Match(Path.GetFileName(path));
        return match.Success && DateOnly.TryParseExact(match.Groups[2].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;
    }

    public static bool IsCompressed(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    public static bool IsDataFile(string path) =>
        path.EndsWith(".jsonl", StringComparison.Ordinal) || path.EndsWith(".jsonl.gz", StringComparison.Ordinal);

    private static string StripExtensions(string name)
    {
        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^3];
        }

        return name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? name[..^6] : name;
    }

    [GeneratedRegex(@"^(.+)-(\d{4}-\d{2}-\d{2})\.jsonl(\.gz)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DatedName();
}
