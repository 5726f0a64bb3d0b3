using KxCollector.Configuration;
using KxCollector.Pricing;
using Microsoft.Extensions.Logging;

namespace KxCollector.Feeds.Coinbase;

/// <summary>
/// Coinbase Exchange's public feed: <c>ticker</c> for the quote and <c>heartbeat</c> (once a second) for liveness,
/// because the ticker only moves on trades and can be quiet for many seconds in a calm market.
/// </summary>
internal sealed class CoinbaseFeed : ExchangeFeed
{
    private static readonly ReadOnlyMemory<byte> Subscribe =
        """{"type":"subscribe","product_ids":["BTC-USD"],"channels":["ticker","heartbeat"]}"""u8.ToArray();

    public CoinbaseFeed(CollectorOptions options, PriceBoard board, FeedHealthRegistry health, TimeProvider time, FeedTimings timings, ILogger<CoinbaseFeed> logger)
        : base(Exchange.Coinbase, options.CoinbaseWebSocketUrl, options, board, health, time, timings, logger)
    {
    }

    protected override ReadOnlyMemory<byte> SubscribeMessage => Subscribe;

    protected override ParsedFrame Parse(ReadOnlySpan<byte> message) => CoinbaseFrameParser.Parse(message);
}
