using KxCollector.Archive;
using KxCollector.Export.Tables;
using KxCollector.Store.Ingest;
using KxCollector.Store.Records;
using KxCollector.Recording;

namespace KxCollector.Export;

/// <summary>What one series' day gave: the files written (with their rows), kept, failed, and the lines skipped.</summary>
internal sealed class DayOutcome
{
    public List<(string Path, long Rows)> Written { get; } = [];

    public List<string> Kept { get; } = [];

    /// <summary>"file: why" for each output file not written and each source file that could not be read.</summary>
    public List<string> Failures { get; } = [];

    public long Lines { get; set; }

    public long Rows { get; set; }

    /// <summary>Lines that gave no row (unparseable, a record missing its key field), with where the first was.</summary>
    public long SkippedLines { get; set; }

    public string? FirstSkipped { get; set; }
}

/// <summary>
/// Writes the tables of one series and UTC day from its source files, read through the store's parser so the
/// export sees every record exactly as the database does. Trades of the recorded file and the backfill are merged,
/// one per trade_id (the recorded line wins), and put in time order; every other table keeps the file's order.
/// </summary>
internal sealed class DayExporter(string outputDirectory, ExportFormat format)
{
    public static readonly IReadOnlyList<string> TableNames =
        [TicksTable.Shape.Name, QuotesTable.Shape.Name, BooksTable.Shape.Name, TradesTable.Shape.Name, SettlementsTable.Shape.Name,
         LifecycleTable.Shape.Name, IndexTable.Shape.Name, CandlesTable.Shape.Name, GamesTable.Shape.Name];

    private const string SourceFailure = "cannot read its source ";

    private readonly RecordParser _parser = new();
    private readonly StoreBatch _batch = new();
    private readonly List<BookLevelRow> _levels = [];

    /// <summary>Bytes of source files read so far (compressed bytes for a .gz), for the progress display.</summary>
    public long BytesRead { get; private set; }

    public long RowsWritten { get; private set; }

    public long LinesRead { get; private set; }

    public string Extension => format == ExportFormat.Parquet ? ".parquet" : ".csv";

    /// <summary>Where a table's file for a series and day goes: OUT/&lt;table&gt;/&lt;series lower-case&gt;-YYYY-MM-DD.parquet.</summary>
    public string PathOf(string table, string series, DateOnly day) =>
        Path.Combine(outputDirectory, table, $"{series.ToLowerInvariant()}-{day:yyyy-MM-dd}{Extension}");

    /// <summary>True when every table of the day is written already: nothing to read.</summary>
    public bool IsComplete(string series, DateOnly day) => TableNames.All(t => File.Exists(PathOf(t, series, day)));

    public async Task<DayOutcome> ExportAsync(DaySources day, CancellationToken ct)
    {
        var outcome = new DayOutcome();
        var o = new Outputs();
        try
        {
            o.Ticks = await OpenAsync(TicksTable.Shape, day, ct);
            o.Quotes = await OpenAsync(QuotesTable.Shape, day, ct);
            o.Books = await OpenAsync(BooksTable.Shape, day, ct);
            o.Trades = await OpenAsync(TradesTable.Shape, day, ct);
            o.Settlements = await OpenAsync(SettlementsTable.Shape, day, ct);
            o.Lifecycle = await OpenAsync(LifecycleTable.Shape, day, ct);
            o.Index = await OpenAsync(IndexTable.Shape, day, ct);
            o.Candles = await OpenAsync(CandlesTable.Shape, day, ct);
            o.Games = await OpenAsync(GamesTable.Shape, day, ct);
            o.Seal();

            var trades = new List<TradeRow>();
            var candles = new List<CandleRow>();
            foreach (var source in day.Files)
            {
                var before = BytesRead;
                try
                {
                    await ReadAsync(source, day.Series, o, trades, candles, outcome, ct);
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    // A corrupt .gz or an unreadable file: the tables it feeds would be incomplete, so they are not written.
                    outcome.Failures.Add($"{source.Path}: cannot be read ({ex.Message}); not written: {string.Join(", ", o.FedBy(source.Kind).Select(t => Path.GetFileName(Path.GetDirectoryName(t.Path))))}");
                    foreach (var table in o.FedBy(source.Kind))
                    {
                        await table.FailAsync(SourceFailure + source.Path);
                    }
                }

                BytesRead = before + source.Bytes;
            }

            foreach (var trade in trades.DistinctBy(t => t.TradeId, StringComparer.Ordinal).OrderBy(t => t.Timestamp))
            {
                o.Trades.Add(trade);
                await FlushIfFullAsync(o.Trades, ct);
            }

            foreach (var candle in candles.DistinctBy(c => (c.Ticker, c.PeriodMinutes, c.EndPeriod)).OrderBy(c => c.EndPeriod).ThenBy(c => c.PeriodMinutes))
            {
                o.Candles.Add(candle);
                await FlushIfFullAsync(o.Candles, ct);
            }

            foreach (var table in o.All)
            {
                if (await table.CompleteAsync(ct) is { } rows)
                {
                    outcome.Written.Add((table.Path, rows));
                    RowsWritten += rows;
                }
                else if (table.Failure is null)
                {
                    outcome.Kept.Add(table.Path);
                }
                else if (!table.Failure.StartsWith(SourceFailure, StringComparison.Ordinal))
                {
                    outcome.Failures.Add($"{table.Path}: {table.Failure}");
                }
            }

            outcome.Rows = outcome.Written.Sum(w => w.Rows);
            return outcome;
        }
        finally
        {
            // Disposing a completed file does nothing; an unfinished one (an error, Ctrl-C) leaves no temporary behind.
            o.Seal();
            foreach (var table in o.All)
            {
                await table.DisposeAsync();
            }
        }
    }

    private async Task<TableOutput<TRow>> OpenAsync<TRow>(ExportTable<TRow> table, DaySources day, CancellationToken ct) =>
        await TableOutput<TRow>.OpenAsync(table, format, PathOf(table.Name, day.Series, day.Day), ct);

    private async Task ReadAsync(SourceFile source, string series, Outputs o, List<TradeRow> trades, List<CandleRow> candles, DayOutcome outcome, CancellationToken ct)
    {
        using var stream = DayFiles.OpenRead(source.Path);
        var reader = new LineReader(stream, 0);
        long lineNumber = 0;
        while (true)
        {
            reader.Read((line, _) =>
            {
                lineNumber++;
                LinesRead++;
                var result = _parser.Parse(line, series, _batch);
                if (result is LineOutcome.Unparseable or LineOutcome.Rejected)
                {
                    outcome.SkippedLines++;
                    outcome.FirstSkipped ??= $"{source.Path} line {lineNumber}";
                }

                Route(o, trades, candles);
                return !o.AnyFull;
            });
            foreach (var table in o.All)
            {
                await FlushIfFullAsync(table, ct);
            }

            if (reader.AtEnd)
            {
                break;
            }
        }

        outcome.Lines += lineNumber;
        if (reader.TrailingBytes > 0)
        {
            // A last line without its newline (the recorder was killed mid-write and never reopened the file).
            outcome.SkippedLines++;
            outcome.FirstSkipped ??= $"{source.Path} line {lineNumber + 1} (no newline)";
        }
    }

    private static async Task FlushIfFullAsync(ITableOutput table, CancellationToken ct)
    {
        if (table.Full)
        {
            await table.FlushAsync(ct);
        }
    }

    private void Route(Outputs o, List<TradeRow> trades, List<CandleRow> candles)
    {
        foreach (var tick in _batch.IndexTicks)
        {
            o.Ticks.Add(tick);
        }

        foreach (var quote in _batch.Snapshots)
        {
            o.Quotes.Add(quote);
        }

        foreach (var depth in _batch.Depth)
        {
            _levels.Clear();
            BooksTable.AddLevels(depth, "yes", depth.YesBook, _levels);
            BooksTable.AddLevels(depth, "no", depth.NoBook, _levels);
            foreach (var level in _levels)
            {
                o.Books.Add(level);
            }
        }

        trades.AddRange(_batch.Trades);
        candles.AddRange(_batch.Candles);
        foreach (var settlement in _batch.Settlements)
        {
            o.Settlements.Add(settlement);
        }

        foreach (var lifecycle in _batch.Lifecycle)
        {
            o.Lifecycle.Add(lifecycle);
        }

        foreach (var print in _batch.IndexPrints)
        {
            o.Index.Add(print);
        }

        foreach (var game in _batch.GameStates)
        {
            o.Games.Add(game);
        }

        _batch.Clear();
    }

    private sealed class Outputs
    {
        public TableOutput<IndexTickRow> Ticks { get; set; } = null!;

        public TableOutput<SnapshotRow> Quotes { get; set; } = null!;

        public TableOutput<BookLevelRow> Books { get; set; } = null!;

        public TableOutput<TradeRow> Trades { get; set; } = null!;

        public TableOutput<SettlementRow> Settlements { get; set; } = null!;

        public TableOutput<LifecycleRow> Lifecycle { get; set; } = null!;

        public TableOutput<IndexPrintRow> Index { get; set; } = null!;

        public TableOutput<CandleRow> Candles { get; set; } = null!;

        public TableOutput<GameStateRow> Games { get; set; } = null!;

        /// <summary>The tables opened so far (all nine once <see cref="Seal"/> ran).</summary>
        public ITableOutput[] All { get; private set; } = [];

        public bool AnyFull
        {
            get
            {
                foreach (var table in All)
                {
                    if (table.Full)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        public void Seal() =>
            All = new ITableOutput?[] { Ticks, Quotes, Books, Trades, Settlements, Lifecycle, Index, Candles, Games }.OfType<ITableOutput>().ToArray();

        public IEnumerable<ITableOutput> FedBy(SourceKind kind) => kind switch
        {
            SourceKind.Recorded => All,
            SourceKind.BackfillTrades => [Trades],
            SourceKind.BackfillCandles => [Candles],
            _ => [],
        };
    }
}
