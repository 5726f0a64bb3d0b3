// A frozen copy of the Kalshi frame parser as it was before the typed frames (main at 207f675), kept only so the
// benchmark can report the new parser's figures against the old one's in the same run. Not used by the collector.
using KxCollector.Kalshi.Stream;

namespace KxCollector.Benchmarks.Baseline;

internal enum OldKalshiFrameType
{
    Unknown,
    Subscribed,
    Unsubscribed,
    Ok,
    Error,
    Ticker,
    OrderbookSnapshot,
    OrderbookDelta,
    Trade,
    Lifecycle,
}

/// <summary>
/// One WebSocket v2 message, reduced to the fields the collector reads. The <c>msg</c> object is read as a union of
/// every channel's fields because JSON does not promise that <c>type</c> comes before <c>msg</c>; which fields
/// matter is decided by <see cref="Type"/> afterwards. Prices are dollars, counts contracts, exact decimals.
/// </summary>
internal sealed class OldKalshiFrame
{
    public OldKalshiFrameType Type { get; set; }

    /// <summary>The "type" as sent, for logs about types we do not know.</summary>
    public string? TypeText { get; set; }

    /// <summary>The id of the command this answers (acks, ok, errors).</summary>
    public long? Id { get; set; }

    /// <summary>The subscription id, from the top level or from msg (Kalshi's pages show both).</summary>
    public long? Sid { get; set; }

    /// <summary>Per-subscription sequence number (order books, trades; newer frames on more channels).</summary>
    public long? Seq { get; set; }

    public string? Channel { get; set; }

    public string? MarketTicker { get; set; }

    /// <summary>ticker: the last trade price; orderbook_delta: the level that changed.</summary>
    public decimal? PriceDollars { get; set; }

    public decimal? YesBidDollars { get; set; }

    public decimal? YesAskDollars { get; set; }

    public decimal? Volume { get; set; }

    public decimal? OpenInterest { get; set; }

    public long? TsMs { get; set; }

    /// <summary>orderbook_snapshot sides; null when Kalshi left the key out (an empty side).</summary>
    public List<BookLevel>? YesLevels { get; set; }

    public List<BookLevel>? NoLevels { get; set; }

    public decimal? Delta { get; set; }

    public string? Side { get; set; }

    public string? TradeId { get; set; }

    public decimal? YesPriceDollars { get; set; }

    public decimal? NoPriceDollars { get; set; }

    public decimal? Count { get; set; }

    /// <summary>Kalshi's deprecated taker side ("yes"/"no"); newer frames may leave it out.</summary>
    public string? TakerSide { get; set; }

    /// <summary>The outcome the taker bought: "yes" or "no".</summary>
    public string? TakerOutcomeSide { get; set; }

    /// <summary>The book side the taker hit: "bid" or "ask".</summary>
    public string? TakerBookSide { get; set; }

    public bool? IsBlockTrade { get; set; }

    public string? EventType { get; set; }

    public string? Result { get; set; }

    /// <summary>
    /// The payout per YES contract in fixed-point dollars as sent ("1.0000"/"0.0000" for a binary market): never the
    /// index value the market settled on, which only REST's expiration_value gives.
    /// </summary>
    public string? SettlementValueText { get; set; }

    public long? OpenTs { get; set; }

    public long? CloseTs { get; set; }

    public long? DeterminationTs { get; set; }

    public long? SettledTs { get; set; }

    /// <summary>error: Kalshi's code (a number today; kept as text so a string code is not an error of ours).</summary>
    public string? ErrorCode { get; set; }

    /// <summary>error: the inner msg text.</summary>
    public string? ErrorMessage { get; set; }
}
