namespace KxCollector.Net;

/// <summary>How one <see cref="ReconnectingWebSocket"/> connects, receives and retries; each user keeps its own values.</summary>
internal sealed record WebSocketSettings
{
    public required Uri Url { get; init; }

    /// <summary>TCP + TLS + upgrade + <see cref="IWebSocketClient.OnOpenedAsync"/> (a subscription); slower is treated as down.</summary>
    public required TimeSpan HandshakeTimeout { get; init; }

    /// <summary>No bytes at all for this long means a dead link (a half-open TCP connection can look open for minutes).</summary>
    public required TimeSpan SilenceTimeout { get; init; }

    public required BackoffPolicy Backoff { get; init; }

    /// <summary>A connection that lived this long was healthy: its loss restarts the backoff from the base.</summary>
    public required TimeSpan StablePeriod { get; init; }

    /// <summary>Largest message kept; a bigger one is read to its end, dropped and reported, and the connection stays.</summary>
    public required int MaxMessageBytes { get; init; }

    /// <summary>The receive buffer a connection starts with (pooled), and returns to after a message above 1 MB.</summary>
    public int InitialBufferBytes { get; init; } = 16 * 1024;

    /// <summary>WebSocket pings sent by the client (their pongs are not data: they do not feed the silence watchdog).</summary>
    public TimeSpan? KeepAliveInterval { get; init; }
}
