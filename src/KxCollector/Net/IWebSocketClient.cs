using System.Net.WebSockets;

namespace KxCollector.Net;

/// <summary>What the receive loop should do after a message.</summary>
internal enum MessageAction
{
    Continue,

    /// <summary>The venue asked for a new connection: open and set one up beside this one, then close this one.</summary>
    HandOver,
}

/// <summary>
/// A venue's side of a <see cref="ReconnectingWebSocket"/>: what to send when a socket opens, what to do with each
/// whole message, and what runs beside the receive loop. The event methods let each user log under its own stable
/// event ids and keep its own health counters; they run on the transport's loop and must not block.
/// </summary>
internal interface IWebSocketClient
{
    /// <summary>Before each connect, on a fresh socket's options: request headers (Kalshi signs every upgrade afresh).</summary>
    void ConfigureConnect(ClientWebSocketOptions options)
    {
    }

    /// <summary>Right after the socket opens, within the handshake timeout (Coinbase drops clients that wait over 5 s to subscribe).</summary>
    Task OnOpenedAsync(WebSocketConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs beside the receive loop for as long as one connection lives; cancelled when it ends. Returning ends
    /// nothing; throwing ends the connection, with the exception's message as the reason.
    /// </summary>
    Task RunWhileConnectedAsync(WebSocketConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>One whole message, reassembled from its fragments in a pooled buffer valid only during the call.</summary>
    MessageAction OnMessage(ReadOnlySpan<byte> message, WebSocketMessageType type, DateTimeOffset receivedAt);

    /// <summary>A message above <see cref="WebSocketSettings.MaxMessageBytes"/> was read to its end and dropped.</summary>
    void OnMessageTooLarge(int limit, DateTimeOffset receivedAt);

    void OnConnecting(Uri url);

    /// <summary>Connected and set up (for a handover too): the next message belongs to this connection.</summary>
    void OnConnected(WebSocketConnection connection, bool handover);

    /// <summary>No usable connection came of an attempt; during a handover the current connection stays.</summary>
    void OnConnectFailed(string reason, bool handover);

    /// <summary>The connection is over and the next one starts from scratch (after the backoff).</summary>
    void OnConnectionLost(string reason, TimeSpan uptime);

    void OnHandoverRequested();

    /// <summary>The old connection closed after the new one took over; no backoff.</summary>
    void OnHandedOver(TimeSpan uptime);

    void OnReconnectScheduled(TimeSpan delay, int attempt);

    /// <summary>The watchdog is about to abort a connection that received nothing for <paramref name="silentFor"/>.</summary>
    void OnSilent(TimeSpan silentFor, TimeSpan limit);

    /// <summary>The peer sent a close frame; the connection is then lost with that as the reason.</summary>
    void OnClosedByPeer(string status, string description)
    {
    }

    /// <summary>A failure that is not a socket's ordinary end: a bug, which costs a reconnect, never the process.</summary>
    void OnUnexpectedFailure(Exception exception, string where);

    void OnStopped()
    {
    }
}
