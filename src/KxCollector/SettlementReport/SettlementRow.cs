namespace KxCollector.SettlementReport;

/// <summary>
/// One settled market as our files recorded it: Kalshi's <c>expiration_value</c> and result, and the three numbers a
/// backtest could have used in its place (the official prints' window mean, Kalshi's published windowed average, our
/// proxy's window mean), each with its error against <c>expiration_value</c> and whether it implies the same result.
/// </summary>
internal sealed record SettlementRow(
    string Ticker,
    DateTimeOffset? CloseTime,
    string? Result,
    decimal? Strike,
    decimal? ExpirationValue,
    Measure Official,
    Measure Kalshi,
    Measure Proxy);

/// <summary>
/// A number beside <c>expiration_value</c>: its value, its error (value − expiration_value, dollars) and whether the
/// result it implies (YES when value ≥ strike, the rule of KXBTC15M's <c>greater_or_equal</c> floor strike) is Kalshi's.
/// Each is null when the number, the expiration value, the strike or a yes/no result is missing.
/// </summary>
internal readonly record struct Measure(decimal? Value, decimal? Error, bool? Agrees)
{
    public static Measure Of(decimal? value, decimal? expirationValue, decimal? strike, string? result)
    {
        var error = value is { } v && expirationValue is { } e ? v - e : (decimal?)null;
        bool? agrees = value is { } x && strike is { } k && result is "yes" or "no" ? (x >= k) == (result == "yes") : null;
        return new Measure(value, error, agrees);
    }
}

/// <summary>How one measure did over all rows: how many had it, median and p99 absolute error, agreement with results.</summary>
internal sealed record MeasureSummary(int Count, decimal? MedianAbsError, decimal? P99AbsError, int Compared, int Agreeing)
{
    /// <summary>Agreeing rows as a percentage of the rows with a result to compare, or null when none.</summary>
    public decimal? AgreementPercent => Compared == 0 ? null : Math.Round(100m * Agreeing / Compared, 2, MidpointRounding.AwayFromZero);

    public static MeasureSummary Of(IEnumerable<Measure> measures)
    {
        var list = measures.ToList();
        var errors = list.Where(m => m.Error is not null).Select(m => Math.Abs(m.Error!.Value)).Order().ToList();
        var compared = list.Where(m => m.Agrees is not null).ToList();
        return new MeasureSummary(
            list.Count(m => m.Value is not null),
            Median(errors),
            NearestRank(errors, 0.99),
            compared.Count,
            compared.Count(m => m.Agrees == true));
    }

    /// <summary>The middle value (the mean of the two middle ones for an even count).</summary>
    private static decimal? Median(List<decimal> sorted) => sorted.Count == 0 ? null
        : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
        : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    /// <summary>The nearest-rank percentile: the smallest value with at least that share of values at or below it.</summary>
    private static decimal? NearestRank(List<decimal> sorted, double share) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Count) - 1, 0, sorted.Count - 1)];
}
