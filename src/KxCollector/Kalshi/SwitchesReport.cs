using KxCollector.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi;

/// <summary>Says once at start-up, per ENABLE_* switch turned off, what the collector will not record.</summary>
internal sealed partial class SwitchesReport : IHostedService
{
    private readonly CollectorOptions _options;
    private readonly ILogger _logger;

    public SwitchesReport(CollectorOptions options, ILogger<SwitchesReport> logger)
    {
        _options = options;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var switches = _options.Switches;
        if (!switches.LiveStreaming)
        {
            LogStreamOff(_logger);
        }

        if (!switches.RestPolling)
        {
            LogPollOff(_logger, _options.Kalshi.DiscoveryInterval.TotalSeconds);
        }

        if (!switches.HistoricalBackfill)
        {
            LogBackfillOff(_logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 910, Level = LogLevel.Warning, Message = "ENABLE_LIVE_STREAMING=false: no Kalshi WebSocket. Lost: real-time quotes (ticks carry the REST poll's, src \"rest\", up to ~15 s stale behind Kalshi's CDN), order books (BOOK_DEPTH writes null books), trade lines and lifecycle lines")]
    private static partial void LogStreamOff(ILogger logger);

    [LoggerMessage(EventId = 911, Level = LogLevel.Warning, Message = "ENABLE_REST_POLLING=false: the open markets are listed only every {Seconds} s (KALSHI_DISCOVERY_SECONDS). Lost: REST quotes between those lists (a market the stream has not sent shows an old quote with a growing age_ms), and new markets and results are found only at that pace or from lifecycle events. Game live data is still polled (GAME_POLL_SECONDS)")]
    private static partial void LogPollOff(ILogger logger, double seconds);

    [LoggerMessage(EventId = 912, Level = LogLevel.Warning, Message = "ENABLE_HISTORICAL_BACKFILL=false: no gap filling after downtime. Lost: the trades, 1-minute candles and market results of a hole the collector left (settlement lines of markets closed while down are still written; `kxcollector backfill` can fill holes later)")]
    private static partial void LogBackfillOff(ILogger logger);
}
