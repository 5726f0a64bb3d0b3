using System.Globalization;
using System.Text;
using KxCollector.Cli;

namespace KxCollector.Backfill;

/// <summary>
/// What a backfill's progress line says (units done, records written, request rate, ETA), drawn by the shared
/// <see cref="ConsoleProgress"/>: a bar on a terminal, one plain line every <see cref="LineInterval"/> when redirected.
/// The ETA extrapolates the rate of units done by this run.
/// </summary>
internal sealed class BackfillProgress : IAsyncDisposable
{
    public static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(10);
    private const int BarWidth = 24;

    private readonly string _series;
    private readonly BackfillStats _stats;
    private readonly Func<(long Requests, long Retries)> _requests;
    private readonly ConsoleProgress _display;

    public BackfillProgress(string series, BackfillStats stats, Func<(long Requests, long Retries)> requests, TextWriter output, bool terminal, TimeProvider time)
    {
        _series = series;
        _stats = stats;
        _requests = requests;
        _display = new ConsoleProgress(output, terminal, LineInterval, time, _ => Line());
    }

    public TimeSpan Elapsed => _display.Elapsed;

    public void Start() => _display.Start();

    public ValueTask DisposeAsync() => _display.DisposeAsync();

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
        if (!_display.Terminal)
        {
            return $"backfill {_series}: {counts}";
        }

        return $"{_series} {ConsoleProgress.Bar(fraction, BarWidth)} {counts}";
    }

    private static string Format(TimeSpan span) => ConsoleProgress.Duration(span);
}
