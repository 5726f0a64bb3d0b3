using KxCollector.Archive;
using KxCollector.Backfill;
using KxCollector.Configuration;
using KxCollector.Recording;

namespace KxCollector.Export;

/// <summary>What a source file can hold: a bad one costs only the tables it feeds.</summary>
internal enum SourceKind
{
    /// <summary>The recorded day (ticks, quotes, books, trades, settlements, lifecycle, index, games): every table.</summary>
    Recorded,
    BackfillTrades,
    BackfillCandles,

    /// <summary>The backfill's market records (no table of their own: market_metadata is the store's).</summary>
    BackfillMarkets,
}

internal sealed record SourceFile(string Path, SourceKind Kind, long Bytes);

/// <summary>The files of one series and UTC day: the recorded file and the backfill's, each plain or .gz.</summary>
internal sealed record DaySources(string Series, DateOnly Day, IReadOnlyList<SourceFile> Files)
{
    private static readonly (string Kind, SourceKind Source)[] BackfillKinds =
    [
        ("trades", SourceKind.BackfillTrades),
        ("candles-1m", SourceKind.BackfillCandles),
        ("candles-1h", SourceKind.BackfillCandles),
        ("candles-1d", SourceKind.BackfillCandles),
        ("markets", SourceKind.BackfillMarkets),
    ];

    public long Bytes => Files.Sum(f => f.Bytes);

    public static DaySources Find(string dataDirectory, string series, DateOnly day)
    {
        var prefix = DayFileName.PrefixOf(series);
        var files = new List<SourceFile>();
        Add(files, Path.Combine(dataDirectory, DayFileName.Of(prefix, day)), SourceKind.Recorded);
        var backfill = DayFileName.BackfillDirectoryOf(dataDirectory, series);
        foreach (var (kind, source) in BackfillKinds)
        {
            Add(files, Path.Combine(backfill, DayFileName.OfBackfill(prefix, kind, day)), source);
        }

        return new DaySources(series, day, files);
    }

    private static void Add(List<SourceFile> files, string plainPath, SourceKind kind)
    {
        if (DayFiles.Locate(plainPath) is { } path)
        {
            files.Add(new SourceFile(path, kind, new FileInfo(path).Length));
        }
    }
}
