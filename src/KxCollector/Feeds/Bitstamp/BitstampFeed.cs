using System.Net.WebSockets;
using KxCollector.Configuration;
using KxCollector.Net;
using KxCollector.Pricing;
using Microsoft.Extensions.Logging;

namespace KxCollector.Feeds.Bitstamp;

/// <summary>
/// Bitstamp WebSocket v2 <c>order_book_btcusd</c> (a full top-100 snapshot per message). Bitstamp's heartbeat is
/// client-initiated, so this feed sends <c>bts:heartbeat</c> whenever the link goes quiet: the answers keep the
/// silence watchdog fed on a calm book. Its <c>bts:request_reconnect</c> is handled by the base class's handover.
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

    private long _heartbeatsSent;

    /// <summary>Heartbeats sent since start, over every connection.</summary>
    internal long HeartbeatsSent => Interlocked.Read(ref _heartbeatsSent);

    protected override ReadOnlyMemory<byte> SubscribeMessage => Subscribe;

    protected override ParsedFrame Parse(ReadOnlySpan<byte> message) => BitstampFrameParser.Parse(message);

    /// <summary>
    /// Heartbeats only on a quiet link: any frame already tells the silence watchdog the link lives, so a heartbeat
    /// (and its answer, a second frame to wake for) goes out only once nothing came for most of an interval, and then
    /// every interval while it stays quiet: as many answers before the watchdog's timeout as with a fixed beat. The
    /// check is due an interval after the last frame, so a flowing link costs one timer wake an interval, no send.
    /// </summary>
    protected override async Task RunWhileConnectedAsync(WebSocketConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var interval = HeartbeatInterval;

        // An answer arrives a round trip after its heartbeat: still "quiet" at the next check, so the beat goes on.
        var quietEnough = interval * 0.75;
        try
        {
            while (true)
            {
                var quietFor = Time.GetElapsedTime(connection.LastActivity);
                if (quietFor >= quietEnough)
                {
                    await connection.SendAsync(Heartbeat, cancellationToken);
                    Interlocked.Increment(ref _heartbeatsSent);
                    quietFor = TimeSpan.Zero;
                }

                await Task.Delay(interval - quietFor, Time, cancellationToken);
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
