namespace KxCollector.Pricing;

/// <summary>
/// The BRTI proxy of docs/venues.md: the median of the fresh exchange mids (middle of three, mean of two, the one of one),
/// rounded to cents like the BRTI itself. A quote older than the stale limit counts as absent, never carried.
/// </summary>
internal sealed class BrtiProxy
{
    private readonly PriceBoard _board;
    private readonly TimeSpan _staleAfter;

    public BrtiProxy(PriceBoard board, TimeSpan staleAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(staleAfter, TimeSpan.Zero);
        _board = board;
        _staleAfter = staleAfter;
    }

    public IndexSample Sample(DateTimeOffset now)
    {
        var coinbase = FreshMid(_board.Read(Exchange.Coinbase), now);
        var kraken = FreshMid(_board.Read(Exchange.Kraken), now);
        var bitstamp = FreshMid(_board.Read(Exchange.Bitstamp), now);
        return new IndexSample(coinbase, kraken, bitstamp, Median(coinbase, kraken, bitstamp));
    }

    /// <summary>Whether the exchange's latest quote would be written (not null) at <paramref name="now"/>; status reports use it.</summary>
    public bool IsFresh(Exchange exchange, DateTimeOffset now) => IsFresh(_board.Read(exchange), now);

    private decimal? FreshMid(ExchangeQuote? quote, DateTimeOffset now) => IsFresh(quote, now) ? quote!.Value.Mid : null;

    private bool IsFresh(ExchangeQuote? quote, DateTimeOffset now) => quote is { } q && now - q.ReceivedAt <= _staleAfter;

    /// <summary>Median of the non-null values, rounded half up to cents; null when all are null.</summary>
    internal static decimal? Median(decimal? a, decimal? b, decimal? c)
    {
        Span<decimal> values = stackalloc decimal[3];
        var count = 0;
        if (a is { } va) values[count++] = va;
        if (b is { } vb) values[count++] = vb;
        if (c is { } vc) values[count++] = vc;

        var present = values[..count];
        present.Sort();
        decimal? median = count switch
        {
            0 => null,
            1 => present[0],
            2 => (present[0] + present[1]) / 2m,
            _ => present[1],
        };
        return median is { } m ? DecimalMath.RoundHalfUp(m, 2) : null;
    }
}
