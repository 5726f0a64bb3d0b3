using KxCollector.Configuration;
using KxCollector.Pricing;
using Microsoft.Extensions.Logging;

namespace KxCollector.Feeds.Kraken;

/// <summary>
/// Kraken WebSocket v2 <c>ticker</c> with <c>event_trigger: "bbo"</c>, so it publishes on every best bid/offer change
/// rather than only on trades. Kraken sends <c>heartbeat</c> by itself about once a second when idle, so no client
/// ping is needed for the silence watchdog; its <c>status</c>, acks and pongs are tolerated and ignored.
/// </summary>
internal sealed class KrakenFeed : ExchangeFeed
{
    private static readonly ReadOnlyMemory<byte> Subscribe =
        """{"method":"subscribe","params":{"channel":"ticker","symbol":["BTC/USD"],"event_trigger":"bbo"},"req_id":1}"""u8.ToArray();

    public KrakenFeed(CollectorOptions options, PriceBoard board, FeedHealthRegistry health, TimeProvider time, FeedTimings timings, ILogger<KrakenFeed> logger)
        : base(Exchange.Kraken, options.KrakenWebSocketUrl, options, board, health, time, timings, logger)
    {
    }

    protected override ReadOnlyMemory<byte> SubscribeMessage => Subscribe;

    protected override ParsedFrame Parse(ReadOnlySpan<byte> message) => KrakenFrameParser.Parse(message);
}
