using KxCollector.Configuration;
using KxCollector.Kalshi.Rest;
using KxCollector.Kalshi.Settlements;
using KxCollector.Kalshi.Stream;
using KxCollector.Recording;
using Microsoft.Extensions.Logging;
using KxCollector.Pricing;

namespace KxCollector.Kalshi;

/// <summary>
/// The one home of "which series are recorded": the SERIES_TICKER series from the start, and the sports' series as
/// they are found (at start-up, and mid-season without a restart). Everything that works per series follows it: the
/// tick and market loops (<see cref="Hosting.SeriesLoops"/>), the stream's subscriptions and recorder, status, the
/// game poll and gap filling. A series joins once and never leaves (its file, state and loops live until shutdown).
/// Readers get an immutable snapshot without a lock; joining takes one.
/// </summary>
internal sealed partial class SeriesRegistry
{
    private readonly Index.OfficialIndexBoard? _officialBoard;
    private readonly Lock _gate = new();
    private readonly List<Action<KalshiSeries>> _followers = [];
    private readonly CollectorOptions _options;
    private readonly SeriesFiles _files;
    private readonly IKalshiMarketSource _source;
    private readonly BrtiHistory _history;
    private readonly StreamBoard _stream;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly KalshiActivity _activity;
    private readonly PrimaryFile _primary;
    private readonly ILogger _logger;
    private KalshiSeries[] _all = [];
    private StreamSeries[] _streamView = [];

    public SeriesRegistry(
        CollectorOptions options,
        SeriesFiles files,
        IKalshiMarketSource source,
        BrtiHistory history,
        StreamBoard stream,
        TimeProvider time,
        ILoggerFactory loggers,
        KalshiActivity activity,
        PrimaryFile primary,
        Index.OfficialIndexBoard? officialBoard = null)
    {
        _officialBoard = officialBoard;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options;
        _files = files;
        _source = source;
        _history = history;
        _stream = stream;
        _time = time;
        _loggers = loggers;
        _activity = activity;
        _primary = primary;
        _logger = loggers.CreateLogger<SeriesRegistry>();
        foreach (var series in options.Series)
        {
            TryAdd(series, sport: null);
        }
    }

    /// <summary>Every recorded series, in the order they joined (the first is the primary one).</summary>
    public IReadOnlyList<KalshiSeries> All => Volatile.Read(ref _all);

    /// <summary>The series as the stream recorder sees them.</summary>
    public IReadOnlyList<StreamSeries> StreamView => Volatile.Read(ref _streamView);

    public KalshiSeries? Find(string series) => All.FirstOrDefault(s => s.Series == series);

    /// <summary>The recorded series an event or market ticker belongs to ("SERIES-…"), or null.</summary>
    public KalshiSeries? SeriesOf(string ticker)
    {
        foreach (var series in All)
        {
            if (ticker.Length > series.Series.Length && ticker[series.Series.Length] == '-' &&
                ticker.StartsWith(series.Series, StringComparison.Ordinal))
            {
                return series;
            }
        }

        return null;
    }

    /// <summary>Records a series from now on; false when it already is. Followers are told before this returns.</summary>
    public bool TryAdd(string series, string? sport)
    {
        lock (_gate)
        {
            if (Find(series) is not null)
            {
                return false;
            }

            var added = KalshiSeries.Create(series, sport, _options, _files, _source, _history, _stream, _time, _loggers, _activity, _officialBoard);
            _primary.Bind(series, added.Writer);
            Volatile.Write(ref _all, [.. _all, added]);
            Volatile.Write(ref _streamView, [.. _streamView, added.Stream]);
            if (sport is not null)
            {
                LogSeriesJoined(_logger, series, sport);
            }

            foreach (var follower in _followers)
            {
                follower(added);
            }

            return true;
        }
    }

    /// <summary>
    /// Calls <paramref name="onAdded"/> for every series recorded now and for each one that joins later (under the
    /// registry's lock, so none is missed or told twice; keep it short and never call back into <see cref="TryAdd"/>).
    /// </summary>
    public void Follow(Action<KalshiSeries> onAdded)
    {
        ArgumentNullException.ThrowIfNull(onAdded);
        lock (_gate)
        {
            foreach (var series in _all)
            {
                onAdded(series);
            }

            _followers.Add(onAdded);
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "{Series} joins the recorded series ({Sport}): its own file, tick loop and market poll")]
    private static partial void LogSeriesJoined(ILogger logger, string series, string sport);
}
