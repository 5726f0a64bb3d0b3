namespace KxCollector.Kalshi.Markets;

/// <summary>
/// One market as the REST API describes it, reduced to what the collector uses. Prices are dollars and counts are
/// contracts, both exact decimals from the fixed-point strings; null where Kalshi sent nothing.
/// </summary>
internal sealed record KalshiMarket
{
    public required string Ticker { get; init; }

    public string? EventTicker { get; init; }

    /// <summary>As Kalshi reports it: initialized, inactive, active, closed, determined, disputed, amended, finalized.</summary>
    public string Status { get; init; } = string.Empty;

    public DateTimeOffset? OpenTime { get; init; }

    /// <summary>When trading stops.</summary>
    public DateTimeOffset? CloseTime { get; init; }

    public DateTimeOffset? ExpectedExpirationTime { get; init; }

    /// <summary>floor_strike: for KXBTC15M the opening 60-second BRTI average; null until Kalshi sets it.</summary>
    public decimal? FloorStrike { get; init; }

    public decimal? CapStrike { get; init; }

    public decimal? YesBid { get; init; }

    public decimal? YesAsk { get; init; }

    public decimal? NoBid { get; init; }

    public decimal? NoAsk { get; init; }

    public decimal? LastPrice { get; init; }

    public decimal? Volume { get; init; }

    public decimal? OpenInterest { get; init; }

    /// <summary>"yes", "no", or empty until the market is determined.</summary>
    public string Result { get; init; } = string.Empty;

    /// <summary>expiration_value parsed defensively ("" is null, a thousands separator is accepted).</summary>
    public decimal? ExpirationValue { get; init; }

    /// <summary>expiration_value as sent, for the log when it cannot be parsed.</summary>
    public string? ExpirationValueText { get; init; }

    public DateTimeOffset? SettlementTime { get; init; }

    public bool HasResult => Result.Length > 0;

    /// <summary>Kalshi's word for a market whose result is final; the result of a finalized market will not change.</summary>
    public bool IsFinalized => Status == "finalized";
}
