namespace KxCollector.Kalshi.Stream;

/// <summary>One price level of a book side: price in dollars, size in contracts (both exact).</summary>
internal readonly record struct BookLevel(decimal Price, decimal Size);

/// <summary>
/// One Kalshi WebSocket v2 message, reduced to the fields the collector reads: one record per message type, made by
/// <see cref="KalshiFrameParser"/> only when the type has what it needs, so a handler reads its fields without
/// checks. Prices are dollars, counts contracts, exact decimals.
/// </summary>
internal abstract record KalshiFrame;

/// <summary>A subscription is live: <see cref="Sid"/> (from the top level or from msg; Kalshi's pages show both) carries the channel.</summary>
internal sealed record SubscribedFrame : KalshiFrame
{
    /// <summary>The id of the command this answers.</summary>
    public long? Id { get; init; }

    public required long Sid { get; init; }

    public string? Channel { get; init; }
}

/// <summary>The answer to an update_subscription or list_subscriptions; some carry the sid's next seq.</summary>
internal sealed record OkFrame : KalshiFrame
{
    public long? Id { get; init; }

    public long? Sid { get; init; }

    public long? Seq { get; init; }
}

internal sealed record UnsubscribedFrame : KalshiFrame
{
    public long? Id { get; init; }

    public long? Sid { get; init; }

    public long? Seq { get; init; }
}

internal sealed record ErrorFrame : KalshiFrame
{
    public long? Id { get; init; }

    /// <summary>Set when the error ends one subscription (codes 10 and 25), possibly with no id.</summary>
    public long? Sid { get; init; }

    /// <summary>Kalshi's code (a number today; kept as text so a string code is not an error of ours).</summary>
    public string? Code { get; init; }

    /// <summary>The inner msg text.</summary>
    public string? Message { get; init; }
}

/// <summary>ticker (and ticker_v2): fields left out keep the values of the previous message.</summary>
internal sealed record TickerFrame : KalshiFrame
{
    public required string MarketTicker { get; init; }

    /// <summary>The last trade price.</summary>
    public decimal? PriceDollars { get; init; }

    public decimal? YesBidDollars { get; init; }

    public decimal? YesAskDollars { get; init; }

    public decimal? Volume { get; init; }

    public decimal? OpenInterest { get; init; }

    public long? TsMs { get; init; }
}

internal sealed record OrderbookSnapshotFrame : KalshiFrame
{
    /// <summary>Set when the snapshot answers our get_snapshot (no "ok" comes for it).</summary>
    public long? Id { get; init; }

    public required long Sid { get; init; }

    public required long Seq { get; init; }

    public required string MarketTicker { get; init; }

    /// <summary>Null when Kalshi left the key out (an empty side).</summary>
    public List<BookLevel>? YesLevels { get; init; }

    public List<BookLevel>? NoLevels { get; init; }
}

internal sealed record OrderbookDeltaFrame : KalshiFrame
{
    public required long Sid { get; init; }

    public required long Seq { get; init; }

    public required string MarketTicker { get; init; }

    /// <summary>"yes" or "no".</summary>
    public required string Side { get; init; }

    /// <summary>The level that changed.</summary>
    public required decimal PriceDollars { get; init; }

    public required decimal Delta { get; init; }

    public long? TsMs { get; init; }
}

internal sealed record TradeFrame : KalshiFrame
{
    public long? Sid { get; init; }

    public long? Seq { get; init; }

    public required string MarketTicker { get; init; }

    public required string TradeId { get; init; }

    public decimal? YesPriceDollars { get; init; }

    public decimal? NoPriceDollars { get; init; }

    public decimal? Count { get; init; }

    /// <summary>Kalshi's deprecated taker side ("yes"/"no"); newer frames may leave it out.</summary>
    public string? TakerSide { get; init; }

    /// <summary>The outcome the taker bought: "yes" or "no".</summary>
    public string? TakerOutcomeSide { get; init; }

    /// <summary>The book side the taker hit: "bid" or "ask".</summary>
    public string? TakerBookSide { get; init; }

    public bool? IsBlockTrade { get; init; }

    public long? TsMs { get; init; }
}

/// <summary>market_lifecycle_v2.</summary>
internal sealed record LifecycleFrame : KalshiFrame
{
    public required string MarketTicker { get; init; }

    public required string EventType { get; init; }

    public string? Result { get; init; }

    /// <summary>
    /// The payout per YES contract in fixed-point dollars as sent ("1.0000"/"0.0000" for a binary market): never the
    /// index value the market settled on, which only REST's expiration_value gives.
    /// </summary>
    public string? SettlementValueText { get; init; }

    public long? OpenTs { get; init; }

    public long? CloseTs { get; init; }

    public long? DeterminationTs { get; init; }

    public long? SettledTs { get; init; }
}

/// <summary>cfbenchmarks_value: the official index print, read from the same bytes by the index's own reader (about one a second).</summary>
internal sealed record IndexValueFrame : KalshiFrame
{
    public static IndexValueFrame Instance { get; } = new();
}

/// <summary>A type the collector does not use (or one Kalshi added later): ignored by design.</summary>
internal sealed record UnknownFrame(string? Type) : KalshiFrame;
