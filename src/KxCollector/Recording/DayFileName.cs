using System.Globalization;

namespace KxCollector.Recording;

/// <summary>
/// A data file's name, both ways: built from a stem and a UTC day, and parsed back. The daily file of a series is
/// <c>&lt;series lower-case&gt;-YYYY-MM-DD.jsonl</c>; the backfill's are <c>backfill/&lt;SERIES&gt;/&lt;prefix&gt;-&lt;kind&gt;-YYYY-MM-DD.jsonl</c>;
/// a finished day becomes <c>&lt;name&gt;.gz</c>, written first under the hidden <c>.&lt;name&gt;.gz.partial</c>.
/// The stem is everything before the date: a series may itself hold dashes and digits (<c>kxnba-2h-…</c>), so only a
/// reader that knows the stem it wants (<see cref="TryParse(string, string, out DayFileName)"/>) can tell
/// <c>kxbtc-…</c> from <c>kxbtc15m-…</c>.
/// </summary>
internal readonly partial record struct DayFileName(string Stem, DateOnly Date, bool Compressed)
{
    public const string PlainExtension = ".jsonl";
    public const string CompressedSuffix = ".gz";
    public const string PartialSuffix = ".partial";
    public const string BackfillFolder = "backfill";

    /// <summary>Every plain daily file of a folder (not the .gz: on Unix the pattern ends at the name's end).</summary>
    public const string PlainGlob = "*" + PlainExtension;

    public const string CompressedGlob = "*" + PlainExtension + CompressedSuffix;

    /// <summary>Plain and compressed together (and the partials, which <see cref="IsDataFile"/> then leaves out).</summary>
    public const string AnyGlob = "*" + PlainExtension + "*";

    /// <summary>The temporaries a crashed compression leaves.</summary>
    public const string PartialGlob = ".*" + PlainExtension + CompressedSuffix + PartialSuffix;

    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>The file name: <c>kxbtc15m-2026-11-21.jsonl</c>, or with <c>.gz</c> when compressed.</summary>
    public string Name => Of(Stem, Date) + (Compressed ? CompressedSuffix : string.Empty);

    /// <summary>The series a daily file records, upper-case (kxbtc15m → KXBTC15M).</summary>
    public string Series => Stem.ToUpperInvariant();

    public override string ToString() => Name;

    /// <summary>A series' stem in its file names: its ticker lower-case.</summary>
    public static string PrefixOf(string series) => series.ToLowerInvariant();

    /// <summary>The plain name of a stem's day: <c>&lt;stem&gt;-YYYY-MM-DD.jsonl</c>.</summary>
    public static string Of(string stem, DateOnly utcDate) =>
        string.Create(CultureInfo.InvariantCulture, $"{stem}-{utcDate:yyyy-MM-dd}{PlainExtension}");

    /// <summary>The plain name of one kind of a backfill's day: <c>&lt;prefix&gt;-&lt;kind&gt;-YYYY-MM-DD.jsonl</c>.</summary>
    public static string OfBackfill(string prefix, string kind, DateOnly utcDate) => Of(prefix + "-" + kind, utcDate);

    /// <summary>The folder of a series' backfill: <c>&lt;output&gt;/backfill/&lt;SERIES&gt;</c>.</summary>
    public static string BackfillDirectoryOf(string outputDirectory, string series) =>
        Path.Combine(outputDirectory, BackfillFolder, series.ToUpperInvariant());

    /// <summary>The pattern of one stem's files, plain and compressed, for <see cref="DayFiles.List"/>.</summary>
    public static string GlobOf(string stem) => stem + "-" + AnyGlob;

    /// <summary>Parses a data file's name (or path): false for any other name, partials and undated names included.</summary>
    public static bool TryParse(string path, out DayFileName name)
    {
        if (TrySplit(Path.GetFileName(path), out var stem, out var day, out var compressed)
            && DateOnly.TryParseExact(day, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            name = new DayFileName(stem.ToString(), date, compressed);
            return true;
        }

        name = default;
        return false;
    }

    /// <summary>As <see cref="TryParse(string, out DayFileName)"/>, and only a file of exactly this stem.</summary>
    public static bool TryParse(string path, string stem, out DayFileName name) =>
        TryParse(path, out name) && string.Equals(name.Stem, stem, StringComparison.Ordinal);

    /// <summary>The UTC day in the name, or null for a name without one.</summary>
    public static DateOnly? DayOf(string path) => TryParse(path, out var name) ? name.Date : null;

    /// <summary>
    /// The series of any file the store or an import is given, upper-case: the stem of a dated name, else the name
    /// without its <c>.jsonl[.gz]</c> (a file renamed by hand still imports under a series).
    /// </summary>
    public static string SeriesOf(string path)
    {
        var name = Path.GetFileName(path);
        var stem = TrySplit(name, out var dated, out _, out _) ? dated.ToString() : StripExtensions(name);
        return stem.ToUpperInvariant();
    }

    /// <summary>A data file, plain or compressed (not a partial, not a state file).</summary>
    public static bool IsDataFile(string path) =>
        path.EndsWith(PlainExtension, StringComparison.Ordinal) || path.EndsWith(PlainExtension + CompressedSuffix, StringComparison.Ordinal);

    public static bool IsCompressed(string path) => path.EndsWith(CompressedSuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The plain path a file stands for (x.jsonl for x.jsonl.gz).</summary>
    public static string PlainPathOf(string path) => IsCompressed(path) ? path[..^CompressedSuffix.Length] : path;

    public static string CompressedPathOf(string plainPath) => plainPath + CompressedSuffix;

    /// <summary>The temporary a .gz is written under: hidden, and not named like any data file.</summary>
    public static string PartialPathOf(string plainPath) =>
        Path.Combine(Path.GetDirectoryName(plainPath)!, "." + Path.GetFileName(plainPath) + CompressedSuffix + PartialSuffix);

    private static string StripExtensions(string name)
    {
        if (name.EndsWith(CompressedSuffix, StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^CompressedSuffix.Length];
        }

        return name.EndsWith(PlainExtension, StringComparison.OrdinalIgnoreCase) ? name[..^PlainExtension.Length] : name;
    }

    /// <summary>
    /// <c>&lt;stem&gt;-dddd-dd-dd.jsonl[.gz]</c> split into its parts, the stem at least one character and never a
    /// line break; the caller parses the date. By hand rather than a regex, which would map
    /// System.Text.RegularExpressions into the daemon for this alone (issue 15).
    /// </summary>
    private static bool TrySplit(string name, out ReadOnlySpan<char> stem, out ReadOnlySpan<char> date, out bool compressed)
    {
        var dateLength = DateFormat.Length;
        var rest = name.AsSpan();
        compressed = rest.EndsWith(CompressedSuffix, StringComparison.Ordinal);
        if (compressed)
        {
            rest = rest[..^CompressedSuffix.Length];
        }

        stem = date = default;
        if (!rest.EndsWith(PlainExtension, StringComparison.Ordinal))
        {
            return false;
        }

        rest = rest[..^PlainExtension.Length];
        if (rest.Length < dateLength + 2 || rest[^(dateLength + 1)] != '-')
        {
            return false;
        }

        stem = rest[..^(dateLength + 1)];
        date = rest[^dateLength..];
        return !stem.ContainsAny('\r', '\n') && IsDateShaped(date);
    }

    /// <summary>dddd-dd-dd in ASCII digits; whether it is a real day is the caller's parse.</summary>
    private static bool IsDateShaped(ReadOnlySpan<char> date) =>
        date[4] == '-' && date[7] == '-'
        && !date[..4].ContainsAnyExceptInRange('0', '9') && !date[5..7].ContainsAnyExceptInRange('0', '9') && !date[8..].ContainsAnyExceptInRange('0', '9');
}
