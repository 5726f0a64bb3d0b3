using KxCollector.Recording;
using Microsoft.Extensions.Logging;

namespace KxCollector.Hosting.Debug;

/// <summary>
/// TEST-ONLY fault, armed by KX_DEBUG_STALL_TICKS_AFTER_SECONDS together with KX_DEBUG_ALLOW_FAULTS=1 (the loader
/// refuses the first without the second). Once the given time has passed since start, every append hangs until
/// shutdown, as a write to a hung disk would: ticks stop reaching the file (the tick loop samples on and its lines wait
/// behind the hung write) while the process stays alive, which is exactly the failure the systemd watchdog must
/// catch. The system tests use it to prove the watchdog restarts the collector.
/// </summary>
internal sealed partial class StallingRecordSink : IRecordSink
{
    private readonly IRecordSink _inner;
    private readonly TimeSpan _after;
    private readonly TimeProvider _time;
    private readonly CancellationToken _stopping;
    private readonly ILogger _logger;
    private readonly long _start;
    private int _stalled;

    public StallingRecordSink(IRecordSink inner, TimeSpan after, TimeProvider time, CancellationToken stopping, ILogger logger)
    {
        _inner = inner;
        _after = after;
        _time = time;
        _stopping = stopping;
        _logger = logger;
        _start = time.GetTimestamp();
        LogArmed(logger, after.TotalSeconds);
    }

    public bool Append(DateTimeOffset timestamp, ReadOnlySpan<byte> record)
    {
        if (_time.GetElapsedTime(_start) < _after)
        {
            return _inner.Append(timestamp, record);
        }

        if (Interlocked.Exchange(ref _stalled, 1) == 0)
        {
            LogStalling(_logger);
        }

        _stopping.WaitHandle.WaitOne();
        return false;
    }

    public void FlushToDisk() => _inner.FlushToDisk();

    [LoggerMessage(EventId = 590, Level = LogLevel.Warning, Message = "DEBUG FAULT ARMED: the tick loop will stall {Seconds:F0} s after start (KX_DEBUG_STALL_TICKS_AFTER_SECONDS); never use this in production")]
    private static partial void LogArmed(ILogger logger, double seconds);

    [LoggerMessage(EventId = 591, Level = LogLevel.Error, Message = "DEBUG FAULT: stalling the tick loop now, on purpose")]
    private static partial void LogStalling(ILogger logger);
}
