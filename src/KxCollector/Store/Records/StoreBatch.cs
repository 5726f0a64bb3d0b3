namespace KxCollector.Store.Records;

/// <summary>
/// The rows parsed from a run of whole lines, waiting to go to the database in one transaction, with how far into
/// each file those lines reach (saved in the same transaction).
/// </summary>
internal sealed class StoreBatch
{
    private readonly Dictionary<string, MarketMetadataDelta> _metadata = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileProgress> _files = new(StringComparer.Ordinal);

    public List<IndexTickRow> IndexTicks { get; } = [];

    public List<SnapshotRow> Snapshots { get; } = [];

    public List<DepthRow> Depth { get; } = [];

    public List<TradeRow> Trades { get; } = [];

    public List<SettlementRow> Settlements { get; } = [];

    public List<LifecycleRow> Lifecycle { get; } = [];

    public List<CandleRow> Candles { get; } = [];

    /// <summary>Official index prints; the store has no table for them yet (the export reads them).</summary>
    public List<IndexPrintRow> IndexPrints { get; } = [];

    /// <summary>Sports game states; the store has no table for them yet (the export reads them).</summary>
    public List<GameRow> Games { get; } = [];

    public IReadOnlyCollection<MarketMetadataDelta> Metadata => _metadata.Values;

    /// <summary>Per file (path relative to the data folder): where the last whole line in this batch ends.</summary>
    public IReadOnlyDictionary<string, FileProgress> Files => _files;

    /// <summary>Lines in this batch, stored or skipped.</summary>
    public long Lines { get; private set; }

    /// <summary>Lines that gave no row: unknown record types, unparseable text, records missing a key field.</summary>
    public long SkippedLines { get; private set; }

    /// <summary>The newest record time ("ts") in the batch: how far the data reaches, for the store's lag.</summary>
    public DateTime? NewestRecord { get; private set; }

    /// <summary>Monotonic timestamp of the first line added, for the flush-interval rule; null while empty.</summary>
    public long? FirstLineTimestamp { get; private set; }

    /// <summary>Rows to insert, metadata not counted (it is one small upsert per market).</summary>
    public int RowCount => IndexTicks.Count + Snapshots.Count + Depth.Count + Trades.Count + Settlements.Count + Lifecycle.Count + Candles.Count;

    public bool IsEmpty => Lines == 0;

    public MarketMetadataDelta MetadataFor(string ticker)
    {
        if (!_metadata.TryGetValue(ticker, out var delta))
        {
            delta = new MarketMetadataDelta(ticker);
            _metadata.Add(ticker, delta);
        }

        return delta;
    }

    public void NoteRecordTime(DateTime ts)
    {
        if (NewestRecord is null || ts > NewestRecord)
        {
            NewestRecord = ts;
        }
    }

    /// <summary>Counts a consumed line and moves its file's position past it.</summary>
    public void LineConsumed(string? file, long endOffset, long lineNumber, bool skipped, long timestamp)
    {
        Lines++;
        if (skipped)
        {
            SkippedLines++;
        }

        FirstLineTimestamp ??= timestamp;
        if (file is not null)
        {
            _files[file] = new FileProgress(endOffset, lineNumber);
        }
    }

    public void Clear()
    {
        IndexTicks.Clear();
        Snapshots.Clear();
        Depth.Clear();
        Trades.Clear();
        Settlements.Clear();
        Lifecycle.Clear();
        Candles.Clear();
        IndexPrints.Clear();
        Games.Clear();
        _metadata.Clear();
        _files.Clear();
        Lines = 0;
        SkippedLines = 0;
        FirstLineTimestamp = null;
        NewestRecord = null;
    }
}

/// <summary>A file position at a line boundary: the byte just past a line's '\n', and how many lines precede it.</summary>
internal readonly record struct FileProgress(long Offset, long Lines);
