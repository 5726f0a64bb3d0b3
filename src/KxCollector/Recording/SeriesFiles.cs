using KxCollector.Configuration;
using Microsoft.Extensions.Logging;

namespace KxCollector.Recording;

/// <summary>
/// One <see cref="DailyJsonlWriter"/> per configured series (<c>&lt;series lower-case&gt;-YYYY-MM-DD.jsonl</c>), so each
/// series' ticks, settlements, trades and lifecycle lines go to its own UTC-daily file. Owns and disposes them.
/// </summary>
internal sealed class SeriesFiles : IDisposable
{
    private readonly Dictionary<string, DailyJsonlWriter> _writers = new(StringComparer.Ordinal);

    public SeriesFiles(CollectorOptions options, TimeProvider time, IAppendFileOpener opener, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        foreach (var series in options.Series)
        {
            _writers[series] = new DailyJsonlWriter(
                options.OutputDirectory, CollectorOptions.FilePrefixOf(series), time, opener, loggers.CreateLogger<DailyJsonlWriter>());
        }
    }

    public DailyJsonlWriter For(string series) => _writers[series];

    public void Dispose()
    {
        foreach (var writer in _writers.Values)
        {
            writer.Dispose();
        }
    }
}
