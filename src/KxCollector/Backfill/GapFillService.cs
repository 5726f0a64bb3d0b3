using System.Threading.Channels;
using KxCollector.Configuration;
using KxCollector.Kalshi.Rest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using KxCollector.Recording;
using KxCollector.Kalshi.History;

namespace KxCollector.Backfill;

/// <summary>
/// After downtime, fills each series' hole in the background (the one its own data file shows, see
/// <see cref="DowntimeProbe"/>), one series after the other: the trades and 1-minute candles of every market that traded
/// during it, and the market records (result, expiration_value, strike) of those that settled, into the same
/// OUTPUT_DIR/backfill/&lt;SERIES&gt;/ files `kxcollector backfill` writes (so the two never write a record twice).
/// It shares the daemon's REST client and its request budget, and starts after the tracker's own start-up look-ups.
/// Settlement lines stay the settlement recorder's alone (it already looks up markets settled while down); it marks
/// those of markets that closed during the hole "src":"backfill". A failure is retried later; the journal makes
/// each retry continue where the last one stopped, and holes not yet filled are remembered across restarts
/// (<see cref="PendingGaps"/>).
/// </summary>
internal sealed partial class GapFillService : BackgroundService
{
    public static readonly TimeSpan DefaultStartDelay = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);

    private readonly Channel<(string Series, Downtime? Downtime)> _series = Channel.CreateUnbounded<(string, Downtime?)>();
    private readonly KalshiRestClient _rest;
    private readonly CollectorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _startDelay;

    /// <summary>Fills the holes of the configured series (<see cref="CollectorOptions.Series"/>) and ends.</summary>
    public GapFillService(DowntimeProbe downtimes, KalshiRestClient rest, CollectorOptions options, TimeProvider time, ILogger<GapFillService> logger, TimeSpan startDelay)
        : this(rest, options, time, logger, startDelay)
    {
        ArgumentNullException.ThrowIfNull(downtimes);
        foreach (var series in options.Series)
        {
            _series.Writer.TryWrite((series, downtimes.For(series)));
        }

        _series.Writer.Complete();
    }

    /// <summary>Fills the hole of every recorded series, those there at start and each one that joins later.</summary>
    public GapFillService(Kalshi.SeriesRegistry registry, KalshiRestClient rest, CollectorOptions options, TimeProvider time, ILogger<GapFillService> logger, TimeSpan startDelay)
        : this(rest, options, time, logger, startDelay)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Follow(s => _series.Writer.TryWrite((s.Series, s.Downtime)));
    }

    private GapFillService(KalshiRestClient rest, CollectorOptions options, TimeProvider time, ILogger<GapFillService> logger, TimeSpan startDelay)
    {
        ArgumentNullException.ThrowIfNull(options);
        _rest = rest;
        _options = options;
        _time = time;
        _logger = logger;
        _startDelay = startDelay;
    }

    /// <summary>The counters of the last hole filled (tests read them); set once every pending hole is filled.</summary>
    public BackfillStats? Completed { get; private set; }

    private BackfillStats? _last;

    private BackfillStats? _current;

    /// <summary>The counters of the fill running now (metrics read its progress); null between fills.</summary>
    public BackfillStats? Current => Volatile.Read(ref _current);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delayed = false;
        try
        {
            while (await _series.Reader.WaitToReadAsync(stoppingToken))
            {
                while (_series.Reader.TryRead(out var next))
                {
                    var (series, downtime) = next;
                    var pending = PendingGaps.Load(_options.OutputDirectory, DayFileName.PrefixOf(series), _logger);
                    if (downtime is not null)
                    {
                        LogGapFound(_logger, series, downtime.LastTick, downtime.Restart, downtime.Length.TotalMinutes);
                        pending.Add(downtime.FillFrom, downtime.Restart);
                        pending.Save();
                    }

                    if (pending.Gaps.Count == 0)
                    {
                        continue;
                    }

                    // After the trackers' own start-up look-ups, once.
                    if (!delayed)
                    {
                        delayed = true;
                        await Task.Delay(_startDelay, _time, stoppingToken);
                    }

                    await FillAsync(series, pending, stoppingToken);
                }

                if (_last is not null)
                {
                    Completed = _last;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped mid-fill: the journal keeps what is done; the next start sees the same hole and continues.
        }
    }

    private async Task FillAsync(string series, PendingGaps pending, CancellationToken stoppingToken)
    {
        foreach (var (from, to) in pending.Gaps.ToList())
        {
            var request = new BackfillRequest
            {
                Series = series,
                From = from,
                To = to,
                WindowOnly = true,
                Interval = CandleInterval.OneMinute,
            };
            while (!await TryFillAsync(request, stoppingToken))
            {
                await Task.Delay(RetryDelay, _time, stoppingToken);
            }

            pending.Remove(from, to);
            pending.Save();
        }
    }

    private async Task<bool> TryFillAsync(BackfillRequest request, CancellationToken cancellationToken)
    {
        BackfillRunner runner;
        try
        {
            using var store = BackfillStore.TryOpen(_options.OutputDirectory, request.Series, _logger, out var holder);
            if (store is null)
            {
                LogFolderBusy(_logger, holder ?? "?");
                return false;
            }

            runner = new BackfillRunner(new KalshiHistoryClient(_rest, _logger), store, _logger);
            Volatile.Write(ref _current, runner.Stats);
            try
            {
                await runner.RunAsync(request, cancellationToken);
            }
            finally
            {
                Volatile.Write(ref _current, null);
            }
        }
        catch (KalshiApiException ex)
        {
            LogFillFailed(_logger, ex.Message);
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Reconstructing the past must never stop the recording of the present (a faulted service stops the
            // host): a full disk, a bug, anything — log it and try again later; the journal keeps what is done.
            LogFillCrashed(_logger, ex);
            return false;
        }

        var s = runner.Stats;
        _last = s;
        LogFilled(_logger, request.Series, s.Markets, s.Trades, s.Candles, s.UnitsFailed);
        return true;
    }

    [LoggerMessage(EventId = 810, Level = LogLevel.Information, Message = "{Series}: no ticks from {LastTick:o} to {Restart:o} ({Minutes:F1} min down): filling the hole with Kalshi's trades, 1-minute candles and results (src backfill)")]
    private static partial void LogGapFound(ILogger logger, string series, DateTimeOffset lastTick, DateTimeOffset restart, double minutes);

    [LoggerMessage(EventId = 811, Level = LogLevel.Information, Message = "{Series}: gap filled, {Markets} market results, {Trades} trades, {Candles} candles written ({Refused} units refused by Kalshi)")]
    private static partial void LogFilled(ILogger logger, string series, long markets, long trades, long candles, long refused);

    [LoggerMessage(EventId = 812, Level = LogLevel.Warning, Message = "Gap filling stopped ({Reason}); trying again in a minute")]
    private static partial void LogFillFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 814, Level = LogLevel.Error, Message = "Gap filling failed unexpectedly; trying again in a minute")]
    private static partial void LogFillCrashed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 813, Level = LogLevel.Information, Message = "A backfill (PID {Pid}) is writing the backfill folder; gap filling waits for it")]
    private static partial void LogFolderBusy(ILogger logger, string pid);
}
