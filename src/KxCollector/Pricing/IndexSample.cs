namespace KxCollector.Pricing;

/// <summary>What one tick records of the BTC index: each exchange's mid (null when stale or absent) and the proxy.</summary>
internal readonly record struct IndexSample(decimal? Coinbase, decimal? Kraken, decimal? Bitstamp, decimal? Brti)
{
    public decimal? MidOf(Exchange exchange) => exchange switch
    {
        Exchange.Coinbase => Coinbase,
        Exchange.Kraken => Kraken,
        Exchange.Bitstamp => Bitstamp,
        _ => throw new ArgumentOutOfRangeException(nameof(exchange), exchange, null),
    };
}
