using KxCollector.Configuration;
using Microsoft.Extensions.Logging;

namespace KxCollector.Recording;

/// <summary>
/// One <see cref="DailyJsonlWriter"/> per recorded series (<c>&lt;series lower-case&gt;-YYYY-MM-DD.jsonl</c>), so each
/// series' ticks, settlements, trades, lifecycle and game lines go to its own UTC-daily file. The configured series'
/// writers exist from the start; a series found at run time gets its writer when it first asks. Owns and disposes them,
/// and the one <see cref="BackgroundFsync"/> thread their periodic fsyncs share.
/// </summary>
internal sealed class SeriesFiles : IDisposable
{
    private readonly Dictionary<string, DailyJsonlWriter> _writers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CollectorOptions _options;
    private readonly TimeProvider _time;
    private readonly IAppendFileOpener _opener;
    private readonly ILoggerFactory _loggers;
    private readonly BackgroundFsync _fsync = new();

    public SeriesFiles(CollectorOptions options, TimeProvider time, IAppendFileOpener opener, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options;
        _time = time;
        _opener = opener;
        _loggers = loggers;
        foreach (var series in options.Series)
        {
            For(series);
        }
    }

    public DailyJsonlWriter For(string series)
    {
        lock (_gate)
        {
            if (!_writers.TryGetValue(series, out var writer))
            {
                writer = new DailyJsonlWriter(
                    _options.OutputDirectory, DayFileName.PrefixOf(series), _time, _opener, _loggers.CreateLogger<DailyJsonlWriter>(), _fsync);
                _writers[series] = writer;
            }

            return writer;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var writer in _writers.Values)
            {
                writer.Dispose();
            }

            _fsync.Dispose();
        }
    }
}
