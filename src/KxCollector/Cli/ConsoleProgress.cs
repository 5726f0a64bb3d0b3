using System.Globalization;

namespace KxCollector.Cli;

/// <summary>
/// The progress display of every long-running verb (backfill, db import, …): on a terminal one bar redrawn in place,
/// padded over the previous one (no ANSI needed); when the output is redirected (a log, systemd, CI) one plain line
/// every <c>lineInterval</c>, so a captured log stays readable and never fills with carriage returns. The verb only
/// says what a line reads: <c>describe</c> is called with this display (for <see cref="Elapsed"/>, <see cref="Terminal"/>).
/// </summary>
internal sealed class ConsoleProgress : IAsyncDisposable
{
    public static readonly TimeSpan BarInterval = TimeSpan.FromMilliseconds(250);

    private readonly TextWriter _output;
    private readonly TimeSpan _lineInterval;
    private readonly TimeProvider _time;
    private readonly Func<ConsoleProgress, string> _describe;
    private readonly long _started;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _drawing = new(1, 1);
    private Task? _loop;
    private int _lastWidth;
    private bool _stopped;

    public ConsoleProgress(TextWriter output, bool terminal, TimeSpan lineInterval, TimeProvider time, Func<ConsoleProgress, string> describe)
    {
        _output = output;
        Terminal = terminal;
        _lineInterval = lineInterval;
        _time = time;
        _describe = describe;
        _started = time.GetTimestamp();
    }

    /// <summary>True when drawing a bar in place; false for plain lines.</summary>
    public bool Terminal { get; }

    public TimeSpan Interval => Terminal ? BarInterval : _lineInterval;

    public TimeSpan Elapsed => _time.GetElapsedTime(_started);

    /// <summary>Draws every <see cref="Interval"/> until stopped.</summary>
    public void Start() => _loop = LoopAsync(_stop.Token);

    /// <summary>
    /// Stops drawing; a bar is drawn once more with the final state and its line ended, so what follows starts on a
    /// fresh one. <paramref name="lastLine"/> also prints a last plain line when the output is redirected.
    /// </summary>
    public async Task StopAsync(bool lastLine = false)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        if (Terminal || lastLine)
        {
            await DrawAsync();
        }

        if (Terminal && _lastWidth > 0)
        {
            await _output.WriteLineAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        _drawing.Dispose();
    }

    /// <summary>"[######------]  25.0%": the share done as a bar of <paramref name="width"/> characters and a percentage.</summary>
    public static string Bar(double fraction, int width)
    {
        fraction = double.IsFinite(fraction) ? Math.Clamp(fraction, 0, 1) : 0;
        var filled = (int)Math.Round(fraction * width);
        return string.Create(CultureInfo.InvariantCulture, $"[{new string('#', filled)}{new string('-', width - filled)}] {fraction * 100,5:F1}%");
    }

    /// <summary>A duration for people: "12.5s", "3m07s", "2h05m09s".</summary>
    public static string Duration(TimeSpan span) =>
        span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h{span.Minutes:00}m{span.Seconds:00}s")
            : span.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m{span.Seconds:00}s")
                : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:F1}s");

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await DrawAsync();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task DrawAsync()
    {
        await _drawing.WaitAsync();
        try
        {
            var line = _describe(this);
            if (Terminal)
            {
                var padded = line.Length < _lastWidth ? line + new string(' ', _lastWidth - line.Length) : line;
                _lastWidth = line.Length;
                await _output.WriteAsync("\r" + padded);
            }
            else
            {
                await _output.WriteLineAsync(line);
            }

            await _output.FlushAsync();
        }
        finally
        {
            _drawing.Release();
        }
    }
}
