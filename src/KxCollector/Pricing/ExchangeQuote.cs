namespace KxCollector.Pricing;

/// <summary>
/// One exchange's best bid and offer as published on the board. Immutable: a feed publishes a new instance
/// and the tick reads whichever reference is current, so no reader ever sees a half-updated quote.
/// </summary>
internal sealed class ExchangeQuote
{
    private ExchangeQuote(decimal bid, decimal ask, DateTimeOffset? exchangeTime, DateTimeOffset receivedAt)
    {
        Bid = bid;
        Ask = ask;
        Mid = DecimalMath.Normalize((bid + ask) / 2m);
        ExchangeTime = exchangeTime;
        ReceivedAt = receivedAt;
    }

    public decimal Bid { get; }

    public decimal Ask { get; }

    /// <summary>(bid + ask) / 2, exact in decimal, trailing zeros removed.</summary>
    public decimal Mid { get; }

    /// <summary>The exchange's own timestamp for this quote, when its feed carries one (Kraken's ticker does not).</summary>
    public DateTimeOffset? ExchangeTime { get; }

    /// <summary>Local time the frame carrying this quote was received; staleness is judged from this.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>
    /// Builds a quote, refusing what no real book shows: a non-positive price or a crossed book (bid above ask).
    /// A rejected quote leaves the previous one on the board, where staleness will retire it.
    /// </summary>
    public static bool TryCreate(decimal bid, decimal ask, DateTimeOffset? exchangeTime, DateTimeOffset receivedAt, out ExchangeQuote? quote)
    {
        if (bid <= 0m || ask <= 0m || bid > ask)
        {
            quote = null;
            return false;
        }

        quote = new ExchangeQuote(bid, ask, exchangeTime, receivedAt);
        return true;
    }
}
