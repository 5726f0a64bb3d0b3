using System.Net.WebSockets;

namespace KxCollector.Net;

/// <summary>
/// One open WebSocket and what the transport knows about it. A WebSocket allows one send and one receive at a time;
/// the receive side is only ever the transport's loop, the send side is shared (subscriptions, Bitstamp heartbeats,
/// Kalshi's control loop, the close of a handover), hence the send lock.
/// </summary>
internal sealed class WebSocketConnection : IDisposable
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TimeProvider _time;
    private long _lastActivity;
    private string? _abortReason;

    public WebSocketConnection(WebSocket socket, TimeProvider time)
    {
        Socket = socket;
        _time = time;
        OpenedAt = time.GetTimestamp();
        _lastActivity = OpenedAt;
    }

    public WebSocket Socket { get; }

    /// <summary>Monotonic timestamp (TimeProvider.GetTimestamp) of when the socket opened.</summary>
    public long OpenedAt { get; }

    /// <summary>Monotonic timestamp of the last bytes received, for the silence watchdog.</summary>
    public long LastActivity => Volatile.Read(ref _lastActivity);

    /// <summary>Why this side killed the socket (silence, handover, a failed control loop), when it did; null when the venue or network did.</summary>
    public string? AbortReason => Volatile.Read(ref _abortReason);

    public void MarkActivity() => Volatile.Write(ref _lastActivity, _time.GetTimestamp());

    public async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await Socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Kills the socket at once; a pending receive fails, which ends the receive loop. The first reason given sticks.</summary>
    public void Abort(string reason)
    {
        Interlocked.CompareExchange(ref _abortReason, reason, null);
        Socket.Abort();
    }

    /// <summary>
    /// Says goodbye with a close frame (a courtesy the venue may log), then aborts without waiting for its echo:
    /// this side has already moved on and a venue that never answers must not hold it up.
    /// </summary>
    public async Task CloseAsync(string reason, CancellationToken cancellationToken)
    {
        Interlocked.CompareExchange(ref _abortReason, reason, null);
        using var timeout = new CancellationTokenSource(CloseTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _sendLock.WaitAsync(linked.Token);
            try
            {
                if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, linked.Token);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Best effort only: the abort below ends the connection either way.
        }
        finally
        {
            Socket.Abort();
        }
    }

    public void Dispose()
    {
        Socket.Dispose();
        _sendLock.Dispose();
    }
}
