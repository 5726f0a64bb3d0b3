using System.Buffers;
using System.Net.WebSockets;
using KxCollector.Configuration;
using KxCollector.Pricing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Feeds;

/// <summary>
/// What the three exchange feeds share: connect and subscribe with a handshake timeout, receive and parse messages
/// onto the price board, abort a silent link, reconnect with backoff, and move to a new connection when a venue asks.
/// A venue supplies its URL, subscription, parser and any client heartbeat. The feed never stops by itself: every
/// failure ends in a reconnect, and only host shutdown ends the loop.
/// </summary>
internal abstract partial class ExchangeFeed : BackgroundService
{
    private const int InitialBufferBytes = 16 * 1024;

    private readonly Uri _url;
    private readonly PriceBoard _board;
    private readonly FeedHealth _health;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ReconnectBackoff _backoff;
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
        _url = url;
        _board = board;
        _health = health[exchange];
        _time = time;
        Timings = timings;
        SilenceTimeout = options.FeedSilenceTimeout;
        _logger = logger;
        _backoff = new ReconnectBackoff(time, timings.BackoffBase, timings.BackoffCap, timings.StablePeriod, random ?? Random.Shared.NextDouble);
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
    protected virtual Task RunWhileConnectedAsync(FeedConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let host start-up carry on while the first connect is in flight.
        await Task.Yield();
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        FeedConnection? connection = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                connection ??= await TryConnectAsync(handover: false, stoppingToken);
                if (connection is null)
                {
                    await DelayBeforeReconnectAsync(stoppingToken);
                    continue;
                }

                var next = await RunConnectionAsync(connection, stoppingToken);
                connection.Dispose();
                connection = next;
                if (next is null)
                {
                    await DelayBeforeReconnectAsync(stoppingToken);
                }
                else
                {
                    _health.MarkReconnecting();
                }
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown aborts the socket under a pending receive or send, which may surface as a WebSocketException
            // rather than a cancellation: either way it is the expected end, not a fault that would fail the exit code.
        }
        finally
        {
            connection?.Dispose();
            _health.MarkDisconnected(error: null);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            LogStopped(_logger, Exchange);
        }
    }

    /// <summary>Opens a socket and sends the subscription, both within the handshake timeout; null when that fails.</summary>
    private async Task<FeedConnection?> TryConnectAsync(bool handover, CancellationToken stoppingToken)
    {
        LogConnecting(_logger, Exchange, _url);
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(Timings.HandshakeTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        FeedConnection? connection = null;
        try
        {
            await socket.ConnectAsync(_url, linked.Token);
            connection = new FeedConnection(socket, _time);
            await connection.SendAsync(SubscribeMessage, linked.Token);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            if (connection is not null)
            {
                connection.Dispose();
            }
            else
            {
                socket.Dispose();
            }

            var reason = timeout.IsCancellationRequested
                ? $"no connection and subscription within {Timings.HandshakeTimeout.TotalSeconds:0.#} s"
                : DescribeFailure(ex);
            if (handover)
            {
                LogHandoverFailed(_logger, Exchange, reason);
            }
            else
            {
                _health.MarkDisconnected(reason);
                LogConnectFailed(_logger, Exchange, _url, reason);
            }

            return null;
        }
        catch
        {
            (connection as IDisposable ?? socket).Dispose();
            throw;
        }

        _health.MarkConnected(_time.GetUtcNow());
        _backoff.MarkConnected();
        LogConnected(_logger, Exchange, _url);
        return connection;
    }

    /// <summary>
    /// Lives one connection: the receive loop, the silence watchdog and the venue's own task side by side, until the
    /// link ends. Returns the connection to carry on with when the venue asked for a handover, else null.
    /// </summary>
    private async Task<FeedConnection?> RunConnectionAsync(FeedConnection connection, CancellationToken stoppingToken)
    {
        using var connectionEnd = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var watchdog = WatchSilenceAsync(connection, connectionEnd.Token);
        var venueTask = RunWhileConnectedAsync(connection, connectionEnd.Token);
        _handover = null;
        string reason;
        try
        {
            reason = await ReceiveAsync(connection, stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // A failing socket is the normal end of a connection; anything else is a bug, but one that must cost a
            // reconnect, never the daemon.
            if (ex is not (WebSocketException or OperationCanceledException or IOException or ObjectDisposedException))
            {
                LogUnexpectedFailure(_logger, ex, Exchange);
            }

            reason = connection.AbortReason ?? DescribeFailure(ex);
        }
        finally
        {
            await connectionEnd.CancelAsync();
            connection.Socket.Abort();
            await ObserveAsync(watchdog, "silence watchdog");
            await ObserveAsync(venueTask, "connection task");
            if (stoppingToken.IsCancellationRequested && _handover is not null)
            {
                (await ObserveAsync(_handover, "handover"))?.Dispose();
            }
        }

        stoppingToken.ThrowIfCancellationRequested();
        var uptime = _time.GetElapsedTime(connection.OpenedAt);
        var handover = _handover is null ? null : await _handover;
        _handover = null;
        if (handover is not null)
        {
            LogHandedOver(_logger, Exchange, uptime.TotalSeconds);
            return handover;
        }

        _health.MarkDisconnected(reason);
        LogConnectionLost(_logger, Exchange, uptime.TotalSeconds, reason);
        return null;
    }

    private async Task DelayBeforeReconnectAsync(CancellationToken stoppingToken)
    {
        _health.MarkReconnecting();
        var delay = _backoff.NextDelay();
        LogReconnectScheduled(_logger, Exchange, delay.TotalSeconds, _backoff.Attempt);
        await Task.Delay(delay, _time, stoppingToken);
    }

    /// <summary>Bitstamp's request_reconnect: a new connection is opened and subscribed before the old one is closed.</summary>
    private async Task<FeedConnection?> HandOverAsync(FeedConnection current, CancellationToken stoppingToken)
    {
        LogReconnectRequested(_logger, Exchange);
        var next = await TryConnectAsync(handover: true, stoppingToken);
        if (next is not null)
        {
            await current.CloseAsync("reconnect requested by the venue", stoppingToken);
        }

        return next;
    }

    /// <summary>Waits for a side task so none is left running or unobserved; a failure is logged, never thrown.</summary>
    private async Task<T?> ObserveAsync<T>(Task<T?> task, string what)
        where T : class
    {
        try
        {
            return await task;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (Exception ex)
        {
            LogSideTaskFailed(_logger, ex, Exchange, what);
            return null;
        }
    }

    private async Task ObserveAsync(Task task, string what)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            LogSideTaskFailed(_logger, ex, Exchange, what);
        }
    }

    private static string DescribeFailure(Exception ex) =>
        ex.InnerException is { } inner && ex is WebSocketException or HttpRequestException
            ? $"{ex.Message} ({inner.Message})"
            : ex.Message;
}
