namespace KxCollector.Configuration;

/// <summary>
/// ENABLE_LIVE_STREAMING, ENABLE_REST_POLLING and ENABLE_HISTORICAL_BACKFILL, as the sports users' older collector
/// named them. Each defaults to true; turning both the stream and the poll off is refused (nothing would be recorded).
/// </summary>
internal sealed record CollectorSwitches
{
    public static CollectorSwitches AllOn { get; } = new();

    /// <summary>The Kalshi WebSocket (real-time quotes, books, trade and lifecycle lines).</summary>
    public bool LiveStreaming { get; init; } = true;

    /// <summary>The REST poll of the open markets at KALSHI_POLL_SECONDS; off, the markets are listed only at KALSHI_DISCOVERY_SECONDS.</summary>
    public bool RestPolling { get; init; } = true;

    /// <summary>Gap filling after downtime (trades, candles and results of the hole, src backfill).</summary>
    public bool HistoricalBackfill { get; init; } = true;
}
