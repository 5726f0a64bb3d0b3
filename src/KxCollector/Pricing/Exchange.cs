namespace KxCollector.Pricing;

/// <summary>The exchanges whose mids make up the BRTI proxy. The values index the price board.</summary>
internal enum Exchange
{
    Coinbase = 0,
    Kraken = 1,
    Bitstamp = 2,
}

internal static class ExchangeNames
{
    public const int Count = 3;

    public static readonly Exchange[] All = [Exchange.Coinbase, Exchange.Kraken, Exchange.Bitstamp];

    /// <summary>The lower-case name used as the tick's JSON key and in logs.</summary>
    public static string Key(this Exchange exchange) => exchange switch
    {
        Exchange.Coinbase => "coinbase",
        Exchange.Kraken => "kraken",
        Exchange.Bitstamp => "bitstamp",
        _ => throw new ArgumentOutOfRangeException(nameof(exchange), exchange, null),
    };
}
