using System.Globalization;
using System.Text;

namespace KxCollector.Backfill;

/// <summary>
/// Shows how a backfill is going: on a terminal a bar redrawn in place (units done, records written, request rate,
/// ETA); when the output is redirected (a log, systemd, CI) one plain line every <see cref="LineInterval"/>, so a
/// log never fills with carriage returns. The ETA extrapolates the rate of units done by this run.
/// </summary>
internal sealed class BackfillProgress : IAsyncDisposable
{
    public static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan BarInterval = TimeSpan.FromMilliseconds(250);
    private const int BarWidth = 24;

    private readonly string _series;
    private readonly BackfillStats _stats;
    private readonly Func<(long Requests, long Retries)> _requests;
    private readonly TextWriter _output;
    private readonly bool _terminal;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _lastWidth;
    private bool _disposed;

    public BackfillProgress(string series, BackfillStats stats, Func<(long Requests, long Retries)> requests, TextWriter output, bool terminal, TimeProvider time)
    {
        _series = series;
        _stats = stats;
        _requests = requests;
        _output = output;
        _terminal = terminal;
        _time = time;
        _started = time.GetTimestamp();
    }

    public TimeSpan Elapsed => _time.GetElapsedTime(_started);

    public void Start() => _loop = LoopAsync(_stop.Token);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        if (_terminal && _lastWidth > 0)
        {
            await _output.WriteLineAsync();
        }

        _stop.Dispose();
    }

    /// <summary>The closing summary: what was written, what it cost, how long it took.</summary>
    public string Summary(string outcome)
    {
        var (requests, retries) = _requests();
        var s = _stats;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"backfill {_series} {outcome}: {s.Markets} markets, {s.Trades} trades, {s.Candles} candles written");
        if (s.AlreadyPresent > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({s.AlreadyPresent} already present)");
        }

        text.Append(CultureInfo.InvariantCulture, $"; {s.UnitsDone}/{s.UnitsTotal} units");
        if (s.UnitsSkipped > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({s.UnitsSkipped} done by an earlier run)");
        }

        if (s.UnitsFailed > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", {s.UnitsFailed} refused by Kalshi");
        }

        if (s.MarketsUnsettled > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", {s.MarketsUnsettled} markets not settled yet");
        }

        text.Append(CultureInfo.InvariantCulture, $"; {requests} requests, {retries} retries; elapsed {Format(Elapsed)}");
        return text.ToString();
    }

    internal string Line()
    {
        var (requests, retries) = _requests();
        var s = _stats;
        var elapsed = Elapsed;
        var rate = elapsed.TotalSeconds > 0 ? requests / elapsed.TotalSeconds : 0;
        var total = Math.Max(s.UnitsTotal, 1);
        var fraction = Math.Clamp(s.UnitsDone / (double)total, 0, 1);
        var worked = s.UnitsDone - s.UnitsSkipped;
        var remaining = s.UnitsTotal - s.UnitsDone;
        var eta = worked > 0 && remaining > 0 ? Format(elapsed * (remaining / (double)worked)) : (remaining == 0 && s.UnitsTotal > 0 ? "0s" : "?");
        var counts = string.Create(
            CultureInfo.InvariantCulture,
            $"{s.UnitsDone}/{s.UnitsTotal} units, {s.Markets} markets, {s.Trades} trades, {s.Candles} candles, {requests} requests ({rate:F1}/s), {retries} retries, ETA {eta}");
        if (!_terminal)
        {
            return $"backfill {_series}: {counts}";
        }

        var filled = (int)Math.Round(fraction * BarWidth);
        return string.Create(CultureInfo.InvariantCulture, $"{_series} [{new string('#', filled)}{new string('-', BarWidth - filled)}] {fraction * 100,5:F1}% {counts}");
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_terminal ? BarInterval : LineInterval, _time);
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

        if (_terminal)
        {
            await DrawAsync();
        }
    }

    private async Task DrawAsync()
    {
        var line = Line();
        if (_terminal)
        {
            // Pad over the previous, possibly longer, bar instead of clearing the line (no ANSI needed).
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

    private static string Format(TimeSpan span) =>
        span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h{span.Minutes:00}m{span.Seconds:00}s")
            : span.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m{span.Seconds:00}s")
                : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:F1}s");
}
