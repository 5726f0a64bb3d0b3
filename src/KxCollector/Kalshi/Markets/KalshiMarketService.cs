using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi.Markets;

/// <summary>Runs the <see cref="MarketTracker"/> at the times it asks for, until the host stops.</summary>
internal sealed partial class KalshiMarketService : BackgroundService
{
    private readonly MarketTracker _tracker;
    private readonly TimeProvider _time;
    private readonly ILogger<KalshiMarketService> _logger;

    public KalshiMarketService(MarketTracker tracker, TimeProvider time, ILogger<KalshiMarketService> logger)
    {
        _tracker = tracker;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var pause = TimeSpan.Zero;
                try
                {
                    await _tracker.PollAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // A bug in one poll must not stop the ticks (they run in this process too): log, keep state, go on.
                    LogPollCrashed(_logger, ex);
                    pause = TimeSpan.FromSeconds(5);
                }

                var delay = _tracker.NextPollAt - _time.GetUtcNow();
                // A lifecycle event from the stream cuts the wait short (a result or a new market is to be read now).
                await _tracker.WaitAsync(delay > pause ? delay : pause, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _tracker.SaveState();
        }
    }

    [LoggerMessage(EventId = 439, Level = LogLevel.Error, Message = "Kalshi market poll failed unexpectedly; retrying in 5 s")]
    private static partial void LogPollCrashed(ILogger logger, Exception exception);
}
