using System.Globalization;
using KxCollector.Store.Cli;

namespace KxCollector.Export;

/// <summary>One export: every requested series and day in turn, oldest first, with running figures for the progress bar.</summary>
internal sealed class ExportRun(ExportRequest request, string dataDirectory, TimeProvider time)
{
    private readonly DayExporter _exporter = new(request.OutputDirectory, request.Format);
    private readonly List<string> _failures = [];
    private readonly long _started = time.GetTimestamp();
    private long _totalBytes;
    private string _current = string.Empty;

    public IReadOnlyList<string> Failures => _failures;

    public int DaysExported { get; private set; }

    public int DaysComplete { get; private set; }

    public int FilesWritten { get; private set; }

    public int FilesKept { get; private set; }

    public long SkippedLines { get; private set; }

    public string? FirstSkipped { get; private set; }

    public ImportProgress Progress => new(
        _exporter.BytesRead, Interlocked.Read(ref _totalBytes), _exporter.LinesRead, _exporter.RowsWritten, _exporter.RowsWritten, _current);

    public async Task RunAsync(CancellationToken ct)
    {
        var days = new List<DaySources>();
        for (var day = request.From; day <= request.To; day = day.AddDays(1))
        {
            foreach (var series in request.Series)
            {
                var sources = DaySources.Find(dataDirectory, series, day);
                if (sources.Files.Count == 0)
                {
                    continue;
                }

                if (_exporter.IsComplete(series, day))
                {
                    DaysComplete++;
                    FilesKept += DayExporter.TableNames.Count;
                    continue;
                }

                days.Add(sources);
            }
        }

        _totalBytes = days.Sum(d => d.Bytes);
        foreach (var day in days)
        {
            ct.ThrowIfCancellationRequested();
            _current = day.Files[0].Path;
            var outcome = await _exporter.ExportAsync(day, ct);
            DaysExported++;
            FilesWritten += outcome.Written.Count;
            FilesKept += outcome.Kept.Count;
            _failures.AddRange(outcome.Failures);
            SkippedLines += outcome.SkippedLines;
            FirstSkipped ??= outcome.FirstSkipped;
        }
    }

    public string Summary()
    {
        var c = CultureInfo.InvariantCulture;
        var text = string.Create(c, $"Exported {DaysExported} series-day(s) ({string.Join(",", request.Series)}, {request.From:yyyy-MM-dd} … {request.To:yyyy-MM-dd}) to {request.OutputDirectory}: ");
        text += string.Create(c, $"{FilesWritten} file(s) written, {_exporter.RowsWritten:N0} rows; {FilesKept} already complete and kept");
        if (DaysComplete > 0)
        {
            text += string.Create(c, $" ({DaysComplete} day(s) not read again)");
        }

        if (_failures.Count > 0)
        {
            text += string.Create(c, $"; {_failures.Count} FAILED (listed above)");
        }

        if (SkippedLines > 0)
        {
            text += string.Create(c, $"; {SkippedLines:N0} line(s) skipped as unparseable or incomplete, the first at {FirstSkipped}");
        }

        return text + string.Create(c, $"; {time.GetElapsedTime(_started).TotalSeconds:F1} s");
    }
}
