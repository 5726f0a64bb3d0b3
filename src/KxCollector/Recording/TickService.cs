using KxCollector.Kalshi.Settlements;
using KxCollector.Pricing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Recording;

/// <summary>
/// Samples the price board and the market state once per whole UTC second and appends one tick line.
/// The PeriodicTimer's period is re-aimed after every tick at the next whole second, so the loop never drifts.
/// Each UTC second gets at most one tick: an early wake waits for its second, a late one is written late, and a
/// second lost to a stall longer than a second is counted (it cannot be sampled after the fact).
/// </summary>
internal sealed partial class TickService : BackgroundService
{
    private readonly TimeProvider _time;
    private readonly BrtiProxy _proxy;
    private readonly ITickMarketsWriter _markets;
    private readonly IRecordSink _sink;
    private readonly TickStats _stats;
    private readonly BrtiHistory _brtiHistory;
    private readonly ILogger<TickService> _logger;
    private readonly TickFormatter _formatter = new();
    private long _lastSecond;
    private bool _heldBack;

    public TickService(TimeProvider time, BrtiProxy proxy, ITickMarketsWriter markets, IRecordSink sink, TickStats stats, BrtiHistory brtiHistory, ILogger<TickService> logger)
    {
        _time = time;
        _proxy = proxy;
        _markets = markets;
        _sink = sink;
        _stats = stats;
        _brtiHistory = brtiHistory;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var start = _time.GetUtcNow();
        _lastSecond = TickSchedule.SecondOf(start);
        using var timer = new PeriodicTimer(TickSchedule.DelayToNextSecond(start), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                OnTimer();
                timer.Period = TickSchedule.DelayToNextSecond(_time.GetUtcNow());
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // The line in progress finished above (ticks are synchronous); make everything durable before exit.
            _sink.FlushToDisk();
        }
    }

    /// <summary>One timer wake: writes the tick of the current second unless that second already has one.</summary>
    internal void OnTimer()
    {
        var now = _time.GetUtcNow();
        var second = TickSchedule.SecondOf(now);
        if (second <= _lastSecond)
        {
            if (second < _lastSecond - 1 && !_heldBack)
            {
                _heldBack = true;
                LogClockSteppedBack(_logger, _lastSecond - second);
            }

            return;
        }

        if (second > _lastSecond + 1 && _stats.LastTickAt is not null)
        {
            var skipped = second - _lastSecond - 1;
            _stats.RecordSkippedSeconds(skipped);
            LogSecondsSkipped(_logger, skipped);
        }

        _lastSecond = second;
        _heldBack = false;
        var sample = _proxy.Sample(now);
        var line = _formatter.Format(now, sample, _markets);
        var written = _sink.Append(now, line);

        // Settlement lines average the brti of the ticks before each close; keep it without re-reading the files.
        _brtiHistory.Record(now, sample.Brti);
        _stats.RecordTick(now, written);
    }

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "The tick loop woke {Seconds} s late; those seconds have no tick (was the process stalled?)")]
    private static partial void LogSecondsSkipped(ILogger logger, long seconds);

    [LoggerMessage(EventId = 321, Level = LogLevel.Warning, Message = "The wall clock stepped back by {Seconds} s; ticks resume when it passes the last written second, so no second is written twice")]
    private static partial void LogClockSteppedBack(ILogger logger, long seconds);
}
