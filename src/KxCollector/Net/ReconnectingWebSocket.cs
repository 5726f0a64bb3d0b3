using System.Net.WebSockets;

namespace KxCollector.Net;

/// <summary>
/// The one WebSocket transport: keeps a connection to one URL up until stopped. Connect and set up within a handshake
/// timeout, receive whole messages (fragments reassembled in one pooled buffer, a size limit), abort a silent link,
/// reconnect with one <see cref="Backoff"/> that starts over after a stable connection, and move to a new connection
/// when the venue asks (<see cref="MessageAction.HandOver"/>). One receive loop per connection; each message is
/// handed to the <see cref="IWebSocketClient"/> on that loop, with no thread hop. Every failure ends in a reconnect.
/// </summary>
internal sealed partial class ReconnectingWebSocket
{
    /// <summary>Where an unexpected failure happened, as <see cref="IWebSocketClient.OnUnexpectedFailure"/> names it.</summary>
    public const string Connect = "connect";
    public const string ReceiveLoop = "receive loop";
    public const string ConnectionTask = "connection task";
    public const string Handover = "handover";

    private readonly WebSocketSettings _settings;
    private readonly IWebSocketClient _client;
    private readonly TimeProvider _time;
    private readonly Backoff _backoff;
    private Task<WebSocketConnection?>? _handover;

    public ReconnectingWebSocket(WebSocketSettings settings, IWebSocketClient client, TimeProvider time, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(time);
        _settings = settings;
        _client = client;
        _time = time;
        _backoff = new Backoff(settings.Backoff, time, settings.StablePeriod, random);
        _buffer = new ReceiveBuffer(settings.InitialBufferBytes, settings.MaxMessageBytes);
    }

    public WebSocketSettings Settings => _settings;

    /// <summary>Runs until <paramref name="stop"/>; returns quietly then (a shutdown is not a fault).</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        WebSocketConnection? connection = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                connection ??= await TryConnectAsync(handover: false, stop);
                if (connection is null)
                {
                    await DelayBeforeReconnectAsync(stop);
                    continue;
                }

                var next = await RunConnectionAsync(connection, stop);
                connection.Dispose();
                connection = next;
                if (next is null)
                {
                    await DelayBeforeReconnectAsync(stop);
                }
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // Shutdown aborts the socket under a pending receive or send, which may surface as a WebSocketException
            // rather than a cancellation: either way it is the expected end, not a fault that would fail the exit code.
        }
        finally
        {
            connection?.Dispose();
            _buffer.Dispose();
            _client.OnStopped();
        }
    }

    /// <summary>Opens a socket and sets it up, both within the handshake timeout; null when that fails.</summary>
    private async Task<WebSocketConnection?> TryConnectAsync(bool handover, CancellationToken stop)
    {
        _client.OnConnecting(_settings.Url);
        var socket = new ClientWebSocket();
        if (_settings.KeepAliveInterval is { } keepAlive)
        {
            socket.Options.KeepAliveInterval = keepAlive;
        }

        using var timeout = new CancellationTokenSource(_settings.HandshakeTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token);
        WebSocketConnection? connection = null;
        try
        {
            _client.ConfigureConnect(socket.Options);
            await socket.ConnectAsync(_settings.Url, linked.Token);
            connection = new WebSocketConnection(socket, _time);
            await _client.OnOpenedAsync(connection, linked.Token);
        }
        catch (Exception ex) when (!stop.IsCancellationRequested)
        {
            (connection as IDisposable ?? socket).Dispose();
            var reason = timeout.IsCancellationRequested
                ? $"no connection and subscription within {_settings.HandshakeTimeout.TotalSeconds:0.#} s"
                : DescribeFailure(ex);
            if (!IsSocketFailure(ex))
            {
                _client.OnUnexpectedFailure(ex, Connect);
            }

            _client.OnConnectFailed(reason, handover);
            return null;
        }
        catch
        {
            (connection as IDisposable ?? socket).Dispose();
            throw;
        }

        _backoff.MarkConnected();
        _client.OnConnected(connection, handover);
        return connection;
    }

    /// <summary>
    /// Lives one connection: the receive loop, the silence watchdog and the client's own task side by side, until the
    /// link ends. Returns the connection to carry on with when the venue asked for a handover, else null.
    /// </summary>
    private async Task<WebSocketConnection?> RunConnectionAsync(WebSocketConnection connection, CancellationToken stop)
    {
        using var connectionEnd = CancellationTokenSource.CreateLinkedTokenSource(stop);

        // One registration per connection instead of one per receive: shutdown aborts the socket, which ends the loop.
        using var abortOnStop = stop.UnsafeRegister(static state => ((WebSocketConnection)state!).Socket.Abort(), connection);
        using var watchdog = new SilenceWatchdog(connection, _settings.SilenceTimeout, _client, _time);
        var sideTask = RunSideTaskAsync(connection, connectionEnd.Token);
        _handover = null;
        string reason;
        try
        {
            reason = await ReceiveAsync(connection, stop);
        }
        catch (Exception ex) when (!stop.IsCancellationRequested)
        {
            // A failing socket is the normal end of a connection; anything else is a bug, but one that must cost a
            // reconnect, never the process.
            if (!IsSocketFailure(ex))
            {
                _client.OnUnexpectedFailure(ex, ReceiveLoop);
            }

            reason = connection.AbortReason ?? DescribeFailure(ex);
        }
        finally
        {
            await connectionEnd.CancelAsync();
            connection.Socket.Abort();
            await sideTask;
            if (stop.IsCancellationRequested && _handover is not null)
            {
                (await ObserveAsync(_handover))?.Dispose();
            }
        }

        stop.ThrowIfCancellationRequested();
        var uptime = _time.GetElapsedTime(connection.OpenedAt);
        var handover = _handover is null ? null : await ObserveAsync(_handover);
        _handover = null;
        if (handover is not null)
        {
            _client.OnHandedOver(uptime);
            return handover;
        }

        _client.OnConnectionLost(reason, uptime);
        return null;
    }

    /// <summary>The client's task for this connection; if it throws, the connection ends with its message as the reason.</summary>
    private async Task RunSideTaskAsync(WebSocketConnection connection, CancellationToken connectionEnd)
    {
        try
        {
            await _client.RunWhileConnectedAsync(connection, connectionEnd);
        }
        catch (OperationCanceledException) when (connectionEnd.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            if (!IsSocketFailure(ex))
            {
                _client.OnUnexpectedFailure(ex, ConnectionTask);
            }

            connection.Abort(DescribeFailure(ex));
        }
    }

    private async Task DelayBeforeReconnectAsync(CancellationToken stop)
    {
        var delay = _backoff.NextDelay();
        _client.OnReconnectScheduled(delay, _backoff.Attempt);
        await Task.Delay(delay, _time, stop);
    }

    /// <summary>The venue asked for a new connection: it is opened and set up before the old one is closed.</summary>
    private async Task<WebSocketConnection?> HandOverAsync(WebSocketConnection current, CancellationToken stop)
    {
        _client.OnHandoverRequested();
        var next = await TryConnectAsync(handover: true, stop);
        if (next is not null)
        {
            await current.CloseAsync("reconnect requested by the venue", stop);
        }

        return next;
    }

    /// <summary>Waits for the handover so none is left running or unobserved; a failure is reported, never thrown.</summary>
    private async Task<WebSocketConnection?> ObserveAsync(Task<WebSocketConnection?> task)
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
            _client.OnUnexpectedFailure(ex, Handover);
            return null;
        }
    }

    private static bool IsSocketFailure(Exception ex) =>
        ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or HttpRequestException;

    internal static string DescribeFailure(Exception ex) =>
        ex.InnerException is { } inner && ex is WebSocketException or HttpRequestException
            ? $"{ex.Message} ({inner.Message})"
            : ex.Message;
}
