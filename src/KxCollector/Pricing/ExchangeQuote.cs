namespace KxCollector.Pricing;

/// <summary>
/// One exchange's best bid and offer as published on the board: a value, copied in and out of the board's slots, so
/// publishing a quote allocates nothing (at 500 frames a second per venue the old per-frame object was most of what
/// the process allocated, and what kept the GC's young generation filling).
/// </summary>
internal readonly record struct ExchangeQuote
{
    private ExchangeQuote(decimal bid, decimal ask, DateTimeOffset? exchangeTime, DateTimeOffset receivedAt)
    {
        Bid = bid;
        Ask = ask;
        ExchangeTime = exchangeTime;
        ReceivedAt = receivedAt;
    }

    public decimal Bid { get; }

    public decimal Ask { get; }

    /// <summary>
    /// (bid + ask) / 2, exact in decimal, trailing zeros removed. Computed when read (the tick reads it once a second),
    /// not for every frame: the two decimal divisions were a tenth of the quote path.
    /// </summary>
    public decimal Mid => DecimalMath.Normalize((Bid + Ask) / 2m);

    /// <summary>The exchange's own timestamp for this quote, when its feed carries one (Kraken's ticker does not).</summary>
    public DateTimeOffset? ExchangeTime { get; }

    /// <summary>Local time the frame carrying this quote was received; staleness is judged from this.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>
    /// Builds a quote, refusing what no real book shows: a non-positive price or a crossed book (bid above ask).
    /// A rejected quote leaves the previous one on the board, where staleness will retire it.
    /// </summary>
    public static bool TryCreate(decimal bid, decimal ask, DateTimeOffset? exchangeTime, DateTimeOffset receivedAt, out ExchangeQuote quote)
    {
        if (bid <= 0m || ask <= 0m || bid > ask)
        {
            quote = default;
            return false;
        }

        quote = new ExchangeQuote(bid, ask, exchangeTime, receivedAt);
        return true;
    }
}
