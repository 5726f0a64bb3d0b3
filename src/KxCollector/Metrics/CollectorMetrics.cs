using KxCollector.Backfill;
using KxCollector.Feeds;
using KxCollector.Kalshi;
using KxCollector.Kalshi.Stream;
using KxCollector.Pricing;
using KxCollector.Recording;
using KxCollector.Status;
using KxCollector.Store;
using Prometheus;

namespace KxCollector.Metrics;

/// <summary>
/// The collector's Prometheus metrics. Nothing here counts anything itself: at each scrape the values are read from
/// the counters the services already keep (<see cref="TickStats"/>, <see cref="FeedHealth"/>, <see cref="StreamStats"/>,
/// <see cref="StoreStats"/>, <see cref="BackfillStats"/>, the status snapshot), so /metrics, status.json and /health can
/// never disagree and the hot paths gain no work. The one exception is the tick offset histogram, whose distribution
/// cannot be read back from a total: the tick loop hands it each tick's offset (once a second).
/// Counters are set to the source's running total (<c>IncTo</c>), so they reset with the process, as Prometheus expects.
/// </summary>
internal sealed class CollectorMetrics
{
    /// <summary>Buckets of the tick offset, in seconds: a healthy tick lands a few milliseconds after its second.</summary>
    internal static readonly double[] OffsetBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    private readonly StatusSnapshotBuilder _status;
    private readonly TickStats _ticks;
    private readonly FeedHealthRegistry _feeds;
    private readonly PriceBoard _prices;
    private readonly BrtiProxy _proxy;
    private readonly Func<IReadOnlyList<KalshiSeries>> _series;
    private readonly StreamStats _stream;
    private readonly IReadOnlyList<IOfficialIndexStatus> _indexes;
    private readonly StoreStats? _store;
    private readonly Func<BackfillStats?> _backfill;
    private readonly TimeProvider _time;

    private readonly Counter _ticksWritten;
    private readonly Gauge _ticksWaiting;
    private readonly Counter _secondsSkipped;
    private readonly Gauge _missingToday;
    private readonly Gauge _lastTickAge;
    private readonly Gauge _lastTickTimestamp;
    private readonly Histogram _tickOffset;

    private readonly Gauge _feedConnected;
    private readonly Gauge _feedFresh;
    private readonly Gauge _quoteAge;
    private readonly Counter _feedReconnects;
    private readonly Counter _feedMalformed;
    private readonly Counter _feedFrames;
    private readonly Counter _feedRejected;

    private readonly Gauge _marketsTracked;
    private readonly Gauge _streamConnections;
    private readonly Counter _streamConnects;
    private readonly Counter _sequenceGaps;
    private readonly Counter _sequenceRepeats;
    private readonly Counter _streamMalformed;
    private readonly Counter _snapshots;
    private readonly Counter _tradesWritten;
    private readonly Counter _tradeRepeats;
    private readonly Counter _lifecycleWritten;
    private readonly Gauge _officialIndexAge;

    private readonly Gauge _storeConnected;
    private readonly Gauge _storeLag;
    private readonly Counter _storeRows;
    private readonly Counter _storeLines;
    private readonly Counter _storeSkipped;
    private readonly Gauge _storePending;

    private readonly Gauge _backfillRunning;
    private readonly Gauge _backfillPlanned;
    private readonly Gauge _backfillDone;
    private readonly Gauge _backfillFailed;

    public CollectorMetrics(
        StatusSnapshotBuilder status,
        TickStats ticks,
        FeedHealthRegistry feeds,
        PriceBoard prices,
        BrtiProxy proxy,
        Func<IReadOnlyList<KalshiSeries>> series,
        StreamStats stream,
        IEnumerable<IOfficialIndexStatus> indexes,
        StoreStats? store,
        Func<BackfillStats?> backfill,
        TimeProvider time)
    {
        _status = status;
        _ticks = ticks;
        _feeds = feeds;
        _prices = prices;
        _proxy = proxy;
        _series = series;
        _stream = stream;
        _indexes = indexes.ToList();
        _store = store;
        _backfill = backfill;
        _time = time;

        Registry = Prometheus.Metrics.NewCustomRegistry();
        var f = Prometheus.Metrics.WithCustomRegistry(Registry);
        f.CreateGauge("kxcollector_build_info", "Always 1; the collector's version as a label.", "version").WithLabels(Cli.AppVersion.Value).Set(1);

        _ticksWritten = f.CreateCounter("kxcollector_ticks_written_total", "Tick lines of the primary series that reached its data file.");
        _ticksWaiting = f.CreateGauge("kxcollector_ticks_waiting_for_disk", "Ticks sampled but held in memory because the disk refused them (written when it works again).");
        _secondsSkipped = f.CreateCounter("kxcollector_tick_seconds_skipped_total", "Whole seconds without a tick because the tick loop woke more than a second late (a stall).");
        _missingToday = f.CreateGauge("kxcollector_today_missing_seconds", "Seconds of the current UTC day, since its first tick, that have no tick in today's file.");
        _lastTickAge = f.CreateGauge("kxcollector_last_tick_age_seconds", "Seconds since the last tick was sampled; absent before the first.", Suppressed());
        _lastTickTimestamp = f.CreateGauge("kxcollector_last_tick_timestamp_seconds", "Unix time of the last tick; absent before the first.", Suppressed());
        _tickOffset = f.CreateHistogram("kxcollector_tick_offset_seconds", "How long after its whole UTC second each tick was sampled.", new HistogramConfiguration { Buckets = OffsetBuckets });

        _feedConnected = f.CreateGauge("kxcollector_feed_connected", "1 while the venue's WebSocket is open and subscribed.", "venue");
        _feedFresh = f.CreateGauge("kxcollector_feed_fresh", "1 while the venue's latest quote is recent enough to be written (FEED_STALE_SECONDS).", "venue");
        _quoteAge = f.CreateGauge("kxcollector_feed_quote_age_seconds", "Seconds since the venue's latest quote was received; absent before its first quote.", Suppressed("venue"));
        _feedReconnects = f.CreateCounter("kxcollector_feed_reconnects_total", "Reconnect attempts of the venue's WebSocket.", "venue");
        _feedMalformed = f.CreateCounter("kxcollector_feed_malformed_frames_total", "Frames from the venue that could not be parsed (counted and skipped).", "venue");
        _feedFrames = f.CreateCounter("kxcollector_feed_frames_received_total", "Frames of any kind received from the venue.", "venue");
        _feedRejected = f.CreateCounter("kxcollector_feed_rejected_quotes_total", "Quotes from the venue rejected as crossed or non-positive.", "venue");

        _marketsTracked = f.CreateGauge("kxcollector_kalshi_markets_tracked", "Kalshi markets in the series' ticks (open, or closed and awaiting their result).", "series");
        _streamConnections = f.CreateGauge("kxcollector_kalshi_stream_connections", "Kalshi WebSocket connections open now.");
        _streamConnects = f.CreateCounter("kxcollector_kalshi_stream_connects_total", "Kalshi WebSocket connections opened.");
        _sequenceGaps = f.CreateCounter("kxcollector_kalshi_stream_sequence_gaps_total", "Kalshi stream sequence gaps (a frame missed; the books were re-snapshotted).");
        _sequenceRepeats = f.CreateCounter("kxcollector_kalshi_stream_sequence_repeats_total", "Kalshi stream frames whose seq was not new (re-snapshotted too).");
        _streamMalformed = f.CreateCounter("kxcollector_kalshi_stream_malformed_frames_total", "Kalshi stream frames that could not be parsed (counted and skipped).");
        _snapshots = f.CreateCounter("kxcollector_kalshi_stream_book_snapshots_total", "Order book snapshots received from the Kalshi stream.");
        _tradesWritten = f.CreateCounter("kxcollector_kalshi_trades_written_total", "trade lines written from the Kalshi stream.");
        _tradeRepeats = f.CreateCounter("kxcollector_kalshi_trade_repeats_total", "Trades received again (reconnect, second connection) and not written again.");
        _lifecycleWritten = f.CreateCounter("kxcollector_kalshi_lifecycle_written_total", "lifecycle lines written from the Kalshi stream.");
        _officialIndexAge = f.CreateGauge("kxcollector_official_index_age_seconds", "Seconds since the latest official index print's own second; absent until a print is received.", Suppressed("index"));

        _storeConnected = f.CreateGauge("kxcollector_store_connected", "1 while the database store is connected; absent without DATABASE_URL.", Suppressed());
        _storeLag = f.CreateGauge("kxcollector_store_lag_seconds", "At the store's last commit, how long after the newest record's ts it reached the database; absent before the first commit.", Suppressed());
        _storeRows = f.CreateCounter("kxcollector_store_rows_total", "Rows the store sent to the database, by outcome (inserted, or duplicate of a row already there).", "outcome");
        _storeLines = f.CreateCounter("kxcollector_store_lines_total", "Data file lines the store has read and committed; absent without DATABASE_URL.", new CounterConfiguration { SuppressInitialValue = true });
        _storeSkipped = f.CreateCounter("kxcollector_store_lines_skipped_total", "Data file lines the store could not parse and skipped; absent without DATABASE_URL.", new CounterConfiguration { SuppressInitialValue = true });
        _storePending = f.CreateGauge("kxcollector_store_pending_bytes", "Bytes of the data files not in the database yet; absent without DATABASE_URL.", Suppressed());

        _backfillRunning = f.CreateGauge("kxcollector_backfill_running", "1 while gap filling is backfilling a hole after downtime.");
        _backfillPlanned = f.CreateGauge("kxcollector_backfill_units_planned", "Units (a market's record, trades or candles) of the running gap fill; absent between fills.", Suppressed());
        _backfillDone = f.CreateGauge("kxcollector_backfill_units_done", "Units of the running gap fill done so far (written, found done, or refused); absent between fills.", Suppressed());
        _backfillFailed = f.CreateGauge("kxcollector_backfill_units_failed", "Units of the running gap fill Kalshi refused (left for a later run); absent between fills.", Suppressed());

        DotNetStats.Register(Registry);
        Registry.AddBeforeCollectCallback(Observe);
        ticks.ObserveOffsets(offset => _tickOffset.Observe(offset.TotalSeconds));
    }

    public CollectorRegistry Registry { get; }

    private static GaugeConfiguration Suppressed(params string[] labels) => new() { SuppressInitialValue = true, LabelNames = labels };

    private void Observe()
    {
        var now = _time.GetUtcNow();
        ObserveTicks(now);
        ObserveFeeds(now);
        ObserveKalshi(now);
        ObserveStore();
        ObserveBackfill();
    }

    private void ObserveTicks(DateTimeOffset now)
    {
        var snapshot = _status.Build();
        _ticksWritten.IncTo(_ticks.TicksWritten);
        _ticksWaiting.Set(snapshot.TicksWaitingForDisk);
        _secondsSkipped.IncTo(_ticks.SecondsSkipped);
        _missingToday.Set(snapshot.Today.MissingSecondsSinceFirstTickAt(now));
        if (_ticks.LastTickAt is { } last)
        {
            _lastTickAge.Set(Seconds(now - last));
            _lastTickTimestamp.Set(last.ToUnixTimeMilliseconds() / 1000.0);
        }
    }

    private void ObserveFeeds(DateTimeOffset now)
    {
        foreach (var feed in _feeds.All)
        {
            var venue = feed.Exchange.Key();
            _feedConnected.WithLabels(venue).Set(feed.Connected ? 1 : 0);
            _feedFresh.WithLabels(venue).Set(_proxy.IsFresh(feed.Exchange, now) ? 1 : 0);
            if (_prices.Read(feed.Exchange) is { } quote)
            {
                _quoteAge.WithLabels(venue).Set(Seconds(now - quote.ReceivedAt));
            }

            _feedReconnects.WithLabels(venue).IncTo(feed.Reconnects);
            _feedMalformed.WithLabels(venue).IncTo(feed.MalformedFrames);
            _feedFrames.WithLabels(venue).IncTo(feed.FramesReceived);
            _feedRejected.WithLabels(venue).IncTo(feed.RejectedQuotes);
        }
    }

    private void ObserveKalshi(DateTimeOffset now)
    {
        // The registry grows at run time (sports series found while running): read it at each scrape.
        foreach (var series in _series())
        {
            _marketsTracked.WithLabels(series.Series).Set(series.Board.Current.Count);
        }

        _streamConnections.Set(Math.Max(0, _stream.Connects - _stream.Disconnects));
        _streamConnects.IncTo(_stream.Connects);
        _sequenceGaps.IncTo(_stream.SequenceGaps);
        _sequenceRepeats.IncTo(_stream.SequenceDuplicates);
        _streamMalformed.IncTo(_stream.MalformedFrames);
        _snapshots.IncTo(_stream.Snapshots);
        _tradesWritten.IncTo(_stream.TradesWritten);
        _tradeRepeats.IncTo(_stream.TradeRepeats);
        _lifecycleWritten.IncTo(_stream.LifecycleWritten);
        foreach (var index in _indexes)
        {
            var age = _officialIndexAge.WithLabels(index.IndexId);
            if (index.LastPrintAt is { } printed)
            {
                age.Set(Seconds(now - printed));
            }
            else
            {
                age.Unpublish();
            }
        }
    }

    private void ObserveStore()
    {
        if (_store is null)
        {
            return;
        }

        _storeConnected.Set(_store.Connected ? 1 : 0);
        if (_store.LastLagMs is { } lag)
        {
            _storeLag.Set(lag / 1000.0);
        }

        _storeRows.WithLabels("inserted").IncTo(_store.RowsInserted);
        _storeRows.WithLabels("duplicate").IncTo(_store.RowsDuplicate);
        _storeLines.IncTo(_store.Lines);
        _storeSkipped.IncTo(_store.SkippedLines);
        _storePending.Set(_store.PendingBytes);
    }

    private void ObserveBackfill()
    {
        if (_backfill() is { } run)
        {
            _backfillRunning.Set(1);
            _backfillPlanned.Set(run.UnitsTotal);
            _backfillDone.Set(run.UnitsDone);
            _backfillFailed.Set(run.UnitsFailed);
        }
        else
        {
            _backfillRunning.Set(0);
            _backfillPlanned.Unpublish();
            _backfillDone.Unpublish();
            _backfillFailed.Unpublish();
        }
    }

    private static double Seconds(TimeSpan span) => Math.Max(0, span.TotalSeconds);
}
