using KxCollector.Records;

namespace KxCollector.Kalshi.History;

/// <summary>
/// One candlestick, from the live or the historical endpoint (which name the same fields with and without the
/// "_dollars"/"_fp" suffixes). Prices in dollars, counts in contracts; any of them may be null.
/// </summary>
internal sealed record KalshiCandle
{
    /// <summary>end_period_ts: the inclusive end of the period.</summary>
    public required DateTimeOffset End { get; init; }

    public Ohlc YesBid { get; init; } = Ohlc.Empty;

    public Ohlc YesAsk { get; init; } = Ohlc.Empty;

    public Ohlc Price { get; init; } = Ohlc.Empty;

    /// <summary>price.mean: the volume-weighted mean trade price of the period.</summary>
    public decimal? PriceMean { get; init; }

    /// <summary>price.previous: the last trade price before the period.</summary>
    public decimal? PricePrevious { get; init; }

    public decimal? Volume { get; init; }

    public decimal? OpenInterest { get; init; }
}

/// <summary>GET /historical/cutoff: data older than these instants is served only by the /historical endpoints.</summary>
internal sealed record HistoricalCutoff(DateTimeOffset MarketSettled, DateTimeOffset TradesCreated)
{
    /// <summary>No cutoff (an environment without the historical tier): everything is live.</summary>
    public static readonly HistoricalCutoff None = new(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
}
