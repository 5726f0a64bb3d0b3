using KxCollector.Kalshi.Index;
using KxCollector.Kalshi;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Settlements;
using KxCollector.Pricing;
using KxCollector.Recording;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Hosting;

/// <summary>
/// Runs each recorded series' two loops, for the series there at start and for every one that joins later: its tick
/// loop (BRTI series every second with exchange prices, the others every COLLECTION_INTERVAL_SECONDS with markets
/// only) and its market poll. The primary (first) series' ticks feed the shared <see cref="TickStats"/> that
/// status.json and the systemd watchdog read, through the primary sink; the others keep their own counts. The tick
/// loops hand their lines to the <see cref="RecordHandOff"/> (which the host stops after this, writing what is still
/// queued). On stop the tick loops finish their line first, then the polls save their state.
/// </summary>
internal sealed partial class SeriesLoops : IHostedService
{
    private readonly OfficialIndexBoard? _officialBoard;
    private readonly SeriesRegistry _registry;
    private readonly TimeProvider _time;
    private readonly BrtiProxy _proxy;
    private readonly BrtiHistory _history;
    private readonly TickStats _primaryStats;
    private readonly Func<DailyJsonlWriter, IRecordSink> _primarySink;
    private readonly ILoggerFactory _loggers;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly RecordHandOff? _handOff;
    private readonly Lock _gate = new();
    private readonly List<BackgroundService> _ticks = [];
    private readonly List<BackgroundService> _polls = [];
    private bool _stopping;

    public SeriesLoops(
        SeriesRegistry registry,
        TimeProvider time,
        BrtiProxy proxy,
        BrtiHistory history,
        TickStats primaryStats,
        Func<DailyJsonlWriter, IRecordSink> primarySink,
        ILoggerFactory loggers,
        IHostApplicationLifetime lifetime,
        OfficialIndexBoard? officialBoard = null,
        RecordHandOff? handOff = null)
    {
        _handOff = handOff;
        _officialBoard = officialBoard;
        _lifetime = lifetime;
        _logger = loggers.CreateLogger<SeriesLoops>();
        _registry = registry;
        _time = time;
        _proxy = proxy;
        _history = history;
        _primaryStats = primaryStats;
        _primarySink = primarySink;
        _loggers = loggers;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registry.Follow(Start);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        List<BackgroundService> ticks;
        List<BackgroundService> polls;
        lock (_gate)
        {
            _stopping = true;
            ticks = [.. _ticks];
            polls = [.. _polls];
        }

        await Task.WhenAll(ticks.Select(t => t.StopAsync(cancellationToken)));
        await Task.WhenAll(polls.Select(p => p.StopAsync(cancellationToken)));
    }

    /// <summary>True when a loop stopped by failing (the process should then exit non-zero).</summary>
    public bool AnyFaulted()
    {
        lock (_gate)
        {
            return _ticks.Concat(_polls).Any(s => s.ExecuteTask?.IsFaulted == true);
        }
    }

    private void Start(KalshiSeries series)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            var primary = _ticks.Count == 0;
            var tick = new TickService(
                _time,
                _proxy,
                series.Board,
                primary ? _primarySink(series.Writer) : series.Writer,
                primary ? _primaryStats : new TickStats(),
                _history,
                _loggers.CreateLogger<TickService>(),
                series.TickPeriodSeconds,
                series.SettlesOnBrti,
                series.OfficialIndexId is { } indexId && _officialBoard is not null ? new OfficialIndexTick(_officialBoard, indexId) : null,
                _handOff);
            var poll = new KalshiMarketService(series.Tracker, _time, _loggers.CreateLogger<KalshiMarketService>());
            _ticks.Add(tick);
            _polls.Add(poll);

            // Both start synchronously up to their first await; neither blocks the caller.
            _ = poll.StartAsync(CancellationToken.None);
            _ = tick.StartAsync(CancellationToken.None);
            StopHostIfFaulted(tick, series.Series);
            StopHostIfFaulted(poll, series.Series);
        }
    }

    /// <summary>As the host does for its own services (BackgroundServiceExceptionBehavior.StopHost): a loop that dies stops the process.</summary>
    private void StopHostIfFaulted(BackgroundService service, string series) =>
        service.ExecuteTask?.ContinueWith(
            task =>
            {
                LogLoopFailed(_logger, series, service.GetType().Name, task.Exception);
                _lifetime.StopApplication();
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);

    [LoggerMessage(EventId = 901, Level = LogLevel.Critical, Message = "{Series}: the {Loop} failed; stopping the collector")]
    private static partial void LogLoopFailed(ILogger logger, string series, string loop, Exception? exception);
}
