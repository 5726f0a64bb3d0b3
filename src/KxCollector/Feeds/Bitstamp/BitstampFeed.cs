using System.Net.WebSockets;
using KxCollector.Configuration;
using KxCollector.Net;
using KxCollector.Pricing;
using Microsoft.Extensions.Logging;

namespace KxCollector.Feeds.Bitstamp;

/// <summary>
/// Bitstamp WebSocket v2 <c>order_book_btcusd</c> (a full top-100 snapshot per message). Bitstamp's heartbeat is
/// client-initiated, so this feed sends <c>bts:heartbeat</c> on a timer: the answers keep the silence watchdog fed
/// on a calm book. Its <c>bts:request_reconnect</c> is handled by the base class's handover.
/// </summary>
internal sealed class BitstampFeed : ExchangeFeed
{
    private static readonly ReadOnlyMemory<byte> Subscribe =
        """{"event":"bts:subscribe","data":{"channel":"order_book_btcusd"}}"""u8.ToArray();

    private static readonly ReadOnlyMemory<byte> Heartbeat = """{"event":"bts:heartbeat"}"""u8.ToArray();

    public BitstampFeed(CollectorOptions options, PriceBoard board, FeedHealthRegistry health, TimeProvider time, FeedTimings timings, ILogger<BitstampFeed> logger)
        : base(Exchange.Bitstamp, options.BitstampWebSocketUrl, options, board, health, time, timings, logger)
    {
    }

    /// <summary>At most a third of the silence timeout, so two lost answers in a row still do not trip the watchdog.</summary>
    internal TimeSpan HeartbeatInterval => Timings.BitstampHeartbeatInterval < SilenceTimeout / 3
        ? Timings.BitstampHeartbeatInterval
        : SilenceTimeout / 3;

    protected override ReadOnlyMemory<byte> SubscribeMessage => Subscribe;

    protected override ParsedFrame Parse(ReadOnlySpan<byte> message) => BitstampFrameParser.Parse(message);

    protected override async Task RunWhileConnectedAsync(WebSocketConnection connection, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await connection.SendAsync(Heartbeat, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            LogHeartbeatSendFailed(Logger, Exchange, ex.Message);
        }
    }
}
