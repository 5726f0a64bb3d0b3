using System.Collections.Concurrent;
using KxCollector.Configuration;
using KxCollector.Feeds;
using Microsoft.Extensions.Logging;

namespace KxCollector.Tests.Feeds;

/// <summary>Options and timings for feed tests: production shapes, windows short enough for a fast suite.</summary>
internal static class FeedTestOptions
{
    public static readonly TimeSpan SilenceTimeout = TimeSpan.FromSeconds(1.5);
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(2);

    /// <summary>Backoff kept small so a reconnect never waits long; the handshake timeout still bounds a hung connect.</summary>
    public static readonly FeedTimings FastTimings = new()
    {
        HandshakeTimeout = TimeSpan.FromSeconds(3),
        BackoffBase = TimeSpan.FromMilliseconds(100),
        BackoffCap = TimeSpan.FromMilliseconds(500),
        StablePeriod = TimeSpan.FromSeconds(30),
        BitstampHeartbeatInterval = TimeSpan.FromSeconds(2),
    };

    public static CollectorOptions Create(Uri coinbase, Uri kraken, Uri bitstamp, string outputDirectory, TimeSpan? silence = null) => new()
    {
        OutputDirectory = outputDirectory,
        SeriesTicker = "KXBTC15M",
        FeedStaleAfter = StaleAfter,
        FeedSilenceTimeout = silence ?? SilenceTimeout,
        CoinbaseWebSocketUrl = coinbase,
        KrakenWebSocketUrl = kraken,
        BitstampWebSocketUrl = bitstamp,
        Kalshi = new KalshiOptions
        {
            Environment = "demo",
            ApiBaseUrl = new Uri(KalshiOptions.DemoApiUrl),
            WebSocketUrl = new Uri(KalshiOptions.DemoWebSocketUrl),
        },
    };
}

