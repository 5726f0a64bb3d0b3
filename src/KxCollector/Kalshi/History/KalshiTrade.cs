namespace KxCollector.Kalshi.History;

/// <summary>One public trade from GET /markets/trades or /historical/trades. Prices in dollars, count in contracts.</summary>
internal sealed record KalshiTrade
{
    public required string TradeId { get; init; }

    public required string Ticker { get; init; }

    public required DateTimeOffset CreatedTime { get; init; }

    public decimal? YesPrice { get; init; }

    public decimal? NoPrice { get; init; }

    public decimal? Count { get; init; }

    /// <summary>"yes" or "no": Kalshi's deprecated taker side (may be missing from newer responses).</summary>
    public string? TakerSide { get; init; }

    /// <summary>"yes" or "no": the outcome the taker bought.</summary>
    public string? TakerOutcomeSide { get; init; }

    /// <summary>"bid" or "ask": the book side the taker hit.</summary>
    public string? TakerBookSide { get; init; }

    public bool? IsBlockTrade { get; init; }
}

/// <summary>One page of trades; a null cursor ends paging.</summary>
internal sealed record TradesPage(IReadOnlyList<KalshiTrade> Trades, string? Cursor);
