using System.Globalization;

namespace KxCollector.Store.Cli;

/// <summary>
/// Shows an import's progress: on a terminal, one bar redrawn in place; otherwise (a log, a pipe, CI) a plain line
/// every few seconds, so a captured log stays readable.
/// </summary>
internal sealed class ProgressDisplay
{
    public static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);
    private const int BarWidth = 30;

    private readonly TextWriter _output;
    private readonly bool _terminal;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly string _label;
    private int _lastWidth;

    /// <param name="label">The verb named on each plain line (import, export).</param>
    public ProgressDisplay(TextWriter output, bool terminal, TimeProvider time, string label = "import")
    {
        _label = label;
        _output = output;
        _terminal = terminal;
        _time = time;
        _start = time.GetTimestamp();
    }

    public TimeSpan Interval => _terminal ? TerminalInterval : PlainInterval;

    public void Show(ImportProgress p)
    {
        var c = CultureInfo.InvariantCulture;
        var elapsed = _time.GetElapsedTime(_start).TotalSeconds;
        var fraction = p.TotalBytes > 0 ? Math.Clamp((double)p.BytesDone / p.TotalBytes, 0, 1) : 1;
        var rate = elapsed > 0 ? p.RowsStaged / elapsed : 0;
        var eta = fraction > 0.001 && fraction < 1 ? TimeSpan.FromSeconds(elapsed * (1 - fraction) / fraction) : TimeSpan.Zero;
        var file = Path.GetFileName(p.CurrentFile);
        if (_terminal)
        {
            var filled = (int)Math.Round(fraction * BarWidth);
            var line = string.Create(c, $"[{new string('#', filled)}{new string('-', BarWidth - filled)}] {fraction * 100,5:F1}%  {Size(p.BytesDone)}/{Size(p.TotalBytes)}  {p.RowsStaged:N0} rows  {rate:N0} rows/s  ETA {eta:h\\:mm\\:ss}  {file}");
            var pad = Math.Max(0, _lastWidth - line.Length);
            _lastWidth = line.Length;
            _output.Write("\r" + line + new string(' ', pad));
            _output.Flush();
        }
        else
        {
            _output.WriteLine(string.Create(c, $"{_label}: {fraction * 100:F1}% ({Size(p.BytesDone)} of {Size(p.TotalBytes)}), {p.Lines:N0} lines, {p.RowsStaged:N0} rows, {rate:N0} rows/s, now {file}"));
        }
    }

    /// <summary>Leaves the bar's line so the summary starts on a fresh one.</summary>
    public void Finish()
    {
        if (_terminal && _lastWidth > 0)
        {
            _output.WriteLine();
        }
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F2} GB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F1} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F0} KB"),
    };
}
