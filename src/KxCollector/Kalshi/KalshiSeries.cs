using KxCollector.Backfill;
using KxCollector.Configuration;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Rest;
using KxCollector.Kalshi.Settlements;
using KxCollector.Kalshi.Stream;
using KxCollector.Recording;
using Microsoft.Extensions.Logging;
using KxCollector.Pricing;

namespace KxCollector.Kalshi;

/// <summary>
/// Everything that follows one series: its data file, state file, settlement recorder, market board (what its ticks
/// write) and tracker. Series share the REST client, the stream and the BRTI history; nothing else.
/// </summary>
internal sealed class KalshiSeries
{
    public required string Series { get; init; }

    /// <summary>True for series settling on BRTI (KXBTC…): exchange prices and brti in ticks and settlement lines.</summary>
    public required bool SettlesOnBrti { get; init; }

    public required int TickPeriodSeconds { get; init; }

    /// <summary>The CF Benchmarks index the series settles on (OFFICIAL_INDEX_MAP), or null.</summary>
    public string? OfficialIndexId { get; init; }

    public required DailyJsonlWriter Writer { get; init; }

    public required KalshiStateFile State { get; init; }

    public required SettlementRecorder Recorder { get; init; }

    public required MarketBoard Board { get; init; }

    public required MarketTracker Tracker { get; init; }

    /// <summary>The TARGET_SPORTS sport it was found for; null for a SERIES_TICKER series.</summary>
    public string? Sport { get; init; }

    /// <summary>When it joined the recorded set (start-up, or when a sports poll found it).</summary>
    public DateTimeOffset AddedAt { get; init; }

    /// <summary>The hole its own data file showed when it joined (null: none), for gap filling.</summary>
    public Downtime? Downtime { get; init; }

    /// <summary>The series as the stream recorder sees it.</summary>
    public StreamSeries Stream => _stream ??= new StreamSeries(Series, Writer, Tracker);

    private StreamSeries? _stream;

    /// <summary>
    /// Builds one series' pieces. Its hole is read from its own file now, before its first new tick can hide it.
    /// </summary>
    public static KalshiSeries Create(
        string series,
        string? sport,
        CollectorOptions options,
        SeriesFiles files,
        IKalshiMarketSource source,
        BrtiHistory history,
        StreamBoard stream,
        TimeProvider time,
        ILoggerFactory loggers,
        KalshiActivity activity,
        Index.OfficialIndexBoard? officialBoard = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(loggers);
        var now = time.GetUtcNow();
        var prefix = Recording.DayFileName.PrefixOf(series);
        var brti = CollectorOptions.SettlesOnBrti(series);
        var downtime = Recording.Downtime.Detect(options.OutputDirectory, prefix, now);
        var writer = files.For(series);
        var state = KalshiStateFile.Load(options.OutputDirectory, prefix, loggers.CreateLogger<KalshiStateFile>());
        var indexId = officialBoard is null ? null : options.OfficialIndexes.IndexOf(series);
        var official = indexId is null ? null : new Index.OfficialSettlementSource(officialBoard!, indexId, options.OutputDirectory, prefix);
        var recorder = new SettlementRecorder(writer, history, state, options.OutputDirectory, prefix, loggers.CreateLogger<SettlementRecorder>(), brti, downtime, activity, official);
        var board = new MarketBoard(stream, options.BookDepth);
        var tracker = new MarketTracker(source, board, recorder, state, series, options.Kalshi, time, loggers.CreateLogger<MarketTracker>(), activity);
        return new KalshiSeries
        {
            Series = series,
            SettlesOnBrti = brti,
            TickPeriodSeconds = options.TickIntervalSecondsOf(series),
            OfficialIndexId = indexId,
            Writer = writer,
            State = state,
            Recorder = recorder,
            Board = board,
            Tracker = tracker,
            Sport = sport,
            AddedAt = now,
            Downtime = downtime,
        };
    }
}
