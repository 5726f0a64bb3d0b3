namespace KxCollector.Configuration;

/// <summary>
/// The feeds' fixed timings. Not user settings (the silence timeout is, in <c>CollectorOptions</c>); a separate
/// object so tests can shorten them instead of waiting out production values.
/// </summary>
internal sealed record FeedTimings
{
    public static FeedTimings Default { get; } = new();

    /// <summary>TCP + TLS + upgrade + sending the subscription; a venue slower than this is treated as down.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(0.5);

    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection that lived this long was healthy: its loss restarts the backoff from the base.</summary>
    public TimeSpan StablePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often Bitstamp is sent <c>bts:heartbeat</c>. Bitstamp only answers, never volunteers, so on a calm book
    /// these answers are what keeps the silence watchdog quiet; the feed also caps it at a third of the silence timeout.
    /// </summary>
    public TimeSpan BitstampHeartbeatInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest message kept; a bigger one is read to its end, dropped and counted as malformed.</summary>
    public int MaxMessageBytes { get; init; } = 4 * 1024 * 1024;
}
