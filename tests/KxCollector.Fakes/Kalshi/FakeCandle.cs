namespace KxCollector.Fakes.Kalshi;

/// <summary>
/// One candlestick of a market. The fake renders it with the live names ("open_dollars", "volume_fp") or the
/// historical ones ("open", "volume") depending on the endpoint, as Kalshi does.
/// </summary>
public sealed record FakeCandle
{
    /// <summary>end_period_ts: the inclusive end of the period.</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>1, 60 or 1440 (period_interval).</summary>
    public int PeriodMinutes { get; init; } = 1;

    public FakeOhlc YesBid { get; init; } = new("0.5500", "0.5400", "0.5600", "0.5500");

    public FakeOhlc YesAsk { get; init; } = new("0.5700", "0.5600", "0.5800", "0.5700");

    public FakeOhlc Price { get; init; } = new("0.5600", "0.5500", "0.5700", "0.5600");

    public string? PriceMean { get; init; } = "0.5612";

    public string? PricePrevious { get; init; } = "0.5500";

    public string Volume { get; init; } = "120.00";

    public string OpenInterest { get; init; } = "4500.00";
}

/// <summary>Dollar strings; any may be null (a period without trades has no price).</summary>
public sealed record FakeOhlc(string? Open, string? Low, string? High, string? Close);
