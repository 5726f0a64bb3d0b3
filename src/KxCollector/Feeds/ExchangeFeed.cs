using System.Net.WebSockets;
using KxCollector.Configuration;
using KxCollector.Net;
using KxCollector.Pricing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Feeds;

/// <summary>
/// What the three exchange feeds share, over the one transport (<see cref="ReconnectingWebSocket"/>: handshake
/// timeout, reassembly, silence watchdog, backoff, handover): parse messages onto the price board and keep the
/// feed's health and logs. A venue supplies its URL, subscription, parser and any client heartbeat. The feed never
/// stops by itself: every failure ends in a reconnect, and only host shutdown ends the loop.
/// </summary>
internal abstract partial class ExchangeFeed : BackgroundService, IWebSocketClient
{
    private readonly PriceBoard _board;
    private readonly FeedHealth _health;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ReconnectingWebSocket _socket;
    private readonly LogThrottle _malformedLog;
    private readonly LogThrottle _errorLog;
    private readonly LogThrottle _rejectedLog;

    protected ExchangeFeed(
        Exchange exchange,
        Uri url,
        CollectorOptions options,
        PriceBoard board,
        FeedHealthRegistry health,
        TimeProvider time,
        FeedTimings timings,
        ILogger logger,
        Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(timings);
        Exchange = exchange;
        _board = board;
        _health = health[exchange];
        _time = time;
        Timings = timings;
        SilenceTimeout = options.FeedSilenceTimeout;
        _logger = logger;
        var settings = new WebSocketSettings
        {
            Url = url,
            HandshakeTimeout = timings.HandshakeTimeout,
            SilenceTimeout = SilenceTimeout,
            Backoff = new BackoffPolicy(timings.BackoffBase, timings.BackoffCap),
            StablePeriod = timings.StablePeriod,
            MaxMessageBytes = timings.MaxMessageBytes,
        };
        _socket = new ReconnectingWebSocket(settings, this, time, random);
        _malformedLog = new LogThrottle(time, LogThrottle.OncePerMinute);
        _errorLog = new LogThrottle(time, LogThrottle.OncePerMinute);
        _rejectedLog = new LogThrottle(time, LogThrottle.OncePerMinute);
    }

    public Exchange Exchange { get; }

    protected FeedTimings Timings { get; }

    protected TimeSpan SilenceTimeout { get; }

    protected TimeProvider Time => _time;

    protected ILogger Logger => _logger;

    /// <summary>The subscription sent right after the socket opens (Coinbase drops clients that wait over 5 s).</summary>
    protected abstract ReadOnlyMemory<byte> SubscribeMessage { get; }

    /// <summary>Turns one whole message into a verdict, without allocating on the quote path.</summary>
    protected abstract ParsedFrame Parse(ReadOnlySpan<byte> message);

    /// <summary>
    /// Runs beside the receive loop for as long as one connection lives (Bitstamp sends its heartbeats here).
    /// Cancelled when the connection ends; should return quietly then, and on a failed send.
    /// </summary>
    protected virtual Task RunWhileConnectedAsync(WebSocketConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let host start-up carry on while the first connect is in flight.
        await Task.Yield();
        await _socket.RunAsync(stoppingToken);
    }

    Task IWebSocketClient.OnOpenedAsync(WebSocketConnection connection, CancellationToken cancellationToken) =>
        connection.SendAsync(SubscribeMessage, cancellationToken);

    Task IWebSocketClient.RunWhileConnectedAsync(WebSocketConnection connection, CancellationToken cancellationToken) =>
        RunWhileConnectedAsync(connection, cancellationToken);

    MessageAction IWebSocketClient.OnMessage(ReadOnlySpan<byte> message, WebSocketMessageType type, DateTimeOffset receivedAt)
    {
        _health.MarkFrame(receivedAt);
        return HandleMessage(message, receivedAt) == FrameKind.ReconnectRequested ? MessageAction.HandOver : MessageAction.Continue;
    }

    void IWebSocketClient.OnMessageTooLarge(int limit, DateTimeOffset receivedAt)
    {
        _health.MarkFrame(receivedAt);
        OnMalformed($"message larger than {limit} bytes", []);
    }

    void IWebSocketClient.OnConnecting(Uri url) => LogConnecting(_logger, Exchange, url);

    void IWebSocketClient.OnConnected(WebSocketConnection connection, bool handover)
    {
        _health.MarkConnected(_time.GetUtcNow());
        LogConnected(_logger, Exchange, _socket.Settings.Url);
    }

    void IWebSocketClient.OnConnectFailed(string reason, bool handover)
    {
        if (handover)
        {
            LogHandoverFailed(_logger, Exchange, reason);
            return;
        }

        _health.MarkDisconnected(reason);
        LogConnectFailed(_logger, Exchange, _socket.Settings.Url, reason);
    }

    void IWebSocketClient.OnConnectionLost(string reason, TimeSpan uptime)
    {
        _health.MarkDisconnected(reason);
        LogConnectionLost(_logger, Exchange, uptime.TotalSeconds, reason);
    }

    void IWebSocketClient.OnHandoverRequested() => LogReconnectRequested(_logger, Exchange);

    void IWebSocketClient.OnHandedOver(TimeSpan uptime)
    {
        LogHandedOver(_logger, Exchange, uptime.TotalSeconds);
        _health.MarkReconnecting();
    }

    void IWebSocketClient.OnReconnectScheduled(TimeSpan delay, int attempt)
    {
        _health.MarkReconnecting();
        LogReconnectScheduled(_logger, Exchange, delay.TotalSeconds, attempt);
    }

    void IWebSocketClient.OnSilent(TimeSpan silentFor, TimeSpan limit) =>
        LogSilence(_logger, Exchange, silentFor.TotalSeconds, limit.TotalSeconds);

    void IWebSocketClient.OnUnexpectedFailure(Exception exception, string where)
    {
        switch (where)
        {
            case ReconnectingWebSocket.ReceiveLoop:
                LogUnexpectedFailure(_logger, exception, Exchange);
                break;
            case ReconnectingWebSocket.Connect:
                // Reported as the failed connect it caused (event 202), as before the one transport.
                break;
            default:
                LogSideTaskFailed(_logger, exception, Exchange, where);
                break;
        }
    }

    void IWebSocketClient.OnStopped()
    {
        _health.MarkDisconnected(error: null);
        LogStopped(_logger, Exchange);
    }
}
