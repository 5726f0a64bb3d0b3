namespace KxCollector.Pricing;

/// <summary>
/// The latest quote of each exchange. Lock-free: each feed is the only writer of its own slot and publishes an
/// immutable <see cref="ExchangeQuote"/> with a volatile write; the tick reads the three references with volatile
/// reads. A reader can never block a feed, and a feed can never stall the tick.
/// </summary>
internal sealed class PriceBoard
{
    private readonly ExchangeQuote?[] _quotes = new ExchangeQuote?[ExchangeNames.Count];

    public void Publish(Exchange exchange, ExchangeQuote quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        Volatile.Write(ref _quotes[(int)exchange], quote);
    }

    public ExchangeQuote? Read(Exchange exchange) => Volatile.Read(ref _quotes[(int)exchange]);
}
