using KxCollector.Kalshi.Settlements;
using KxCollector.Pricing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Recording;

/// <summary>
/// Samples the price board and the market state once per whole UTC second (or once per period of N seconds for
/// series ticking slower, aligned to UTC seconds divisible by N) and appends one tick line to its series' file.
/// The loop has a thread of its own and sleeps in the kernel until the next boundary (<see cref="TickWait"/>), so
/// neither a busy thread pool nor the runtime's timer queue stands between a second and its tick.
/// Each period gets at most one tick: an early wake waits for its period, a late one is written late, and a
/// period lost to a stall is counted in seconds (it cannot be sampled after the fact).
/// <para>In the daemon the loop only samples and formats: the line goes to the file through <see cref="RecordHandOff"/>'s
/// writer thread, so a write that blocks (an ext4 journal commit behind another file's fsync can hold one for a
/// second) delays that line, not the next tick. Lines still reach each file one write each, in order.</para>
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
    private readonly TickFormatter _formatter;
    private readonly int _period;
    private readonly bool _exchangePrices;
    private readonly IOfficialIndexSource? _officialIndex;
    private readonly RecordHandOff? _handOff;
    private long _lastSecond;
    private bool _heldBack;
    private TimeSpan _lastTickWork;
    private DateTimeOffset? _lastTickAt;

    /// <param name="periodSeconds">Seconds between ticks; 1 for BRTI series.</param>
    /// <param name="exchangePrices">False for series that do not settle on BRTI: no exchange keys, no brti history.</param>
    /// <param name="handOff">Where the tick's line goes on its way to <paramref name="sink"/>, so a write that blocks
    /// never makes the next tick late; null writes it on the tick thread.</param>
    public TickService(
        TimeProvider time,
        BrtiProxy proxy,
        ITickMarketsWriter markets,
        IRecordSink sink,
        TickStats stats,
        BrtiHistory brtiHistory,
        ILogger<TickService> logger,
        int periodSeconds = 1,
        bool exchangePrices = true,
        IOfficialIndexSource? officialIndex = null,
        RecordHandOff? handOff = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(periodSeconds, 1);
        _handOff = handOff;
        _period = periodSeconds;
        _exchangePrices = exchangePrices;
        _formatter = new TickFormatter(exchangePrices, officialIndex is not null);
        _officialIndex = officialIndex;
        _time = time;
        _proxy = proxy;
        _markets = markets;
        _sink = sink;
        _stats = stats;
        _brtiHistory = brtiHistory;
        _logger = logger;
    }

    /// <summary>Runs the loop on a thread of its own (see <see cref="TickWait"/>); the task ends when the loop does.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => DedicatedThread.Run("kx-tick", RunLoop, stoppingToken);

    private void RunLoop(CancellationToken stoppingToken)
    {
        var wait = TickWait.For(_time);
        _lastSecond = PeriodStart(TickSchedule.SecondOf(_time.GetUtcNow()));
        try
        {
            // Re-aimed at the next boundary from the clock after every wake, so the loop never drifts.
            while (wait.Wait(TickSchedule.DelayToNextPeriod(_time.GetUtcNow(), _period), stoppingToken))
            {
                OnTimer();
            }
        }
        finally
        {
            // Written on this thread, the last line is in the file: make it durable before exit. Handed over, it may
            // still be queued; the hand-off writes it at its own stop, after this loop's, and the file's disposal
            // fsyncs it.
            if (_handOff is null)
            {
                _sink.FlushToDisk();
            }
        }
    }

    /// <summary>One timer wake: writes the tick of the current second unless that second already has one.</summary>
    internal void OnTimer()
    {
        var now = _time.GetUtcNow();
        var second = PeriodStart(TickSchedule.SecondOf(now));
        if (second <= _lastSecond)
        {
            if (second < _lastSecond - _period && !_heldBack)
            {
                _heldBack = true;
                LogClockSteppedBack(_logger, _lastSecond - second);
            }

            return;
        }

        if (second > _lastSecond + _period && _lastTickAt is { } lastTickAt)
        {
            var skipped = second - _lastSecond - _period;
            _stats.RecordSkippedSeconds(skipped);

            // What the warning needs to tell a stall apart: a long previous tick (its work held the loop) or a short one
            // (the thread was not run: the process stopped, or the machine gave it no CPU).
            LogSecondsSkipped(_logger, skipped, (long)_lastTickWork.TotalMilliseconds, (long)(now - lastTickAt).TotalMilliseconds);
        }

        var started = _time.GetTimestamp();
        _lastTickAt = now;
        _lastSecond = second;
        _heldBack = false;
        var sample = _proxy.Sample(now);
        var line = _formatter.Format(now, sample, _markets, _officialIndex?.Read(now));

        // Settlement lines average the brti of the ticks before each close; keep it without re-reading the files.
        // Only BRTI series feed it: a sports tick has no brti and must not overwrite the BTC tick of that second.
        if (_exchangePrices)
        {
            _brtiHistory.Record(now, sample.Brti);
        }

        if (_handOff is null)
        {
            _stats.RecordTick(now, _sink.Append(now, line));
        }
        else
        {
            _stats.RecordSampled(now);
            _handOff.Append(_sink, now, line, _stats);
        }

        _lastTickWork = _time.GetElapsedTime(started);
    }

    /// <summary>The first second of the period a second falls in (the second itself when ticking every second).</summary>
    private long PeriodStart(long second) => second - (((second % _period) + _period) % _period);

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "The tick loop woke {Seconds} s late; those seconds have no tick (was the process stalled? the previous tick took {PreviousTickMs} ms and was sampled {SinceMs} ms ago)")]
    private static partial void LogSecondsSkipped(ILogger logger, long seconds, long previousTickMs, long sinceMs);

    [LoggerMessage(EventId = 321, Level = LogLevel.Warning, Message = "The wall clock stepped back by {Seconds} s; ticks resume when it passes the last written second, so no second is written twice")]
    private static partial void LogClockSteppedBack(ILogger logger, long seconds);
}
