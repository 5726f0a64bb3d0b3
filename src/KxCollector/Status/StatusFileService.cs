using System.Buffers;
using System.Text.Json;
using KxCollector.Configuration;
using KxCollector.Recording;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Status;

/// <summary>
/// Replaces OUTPUT_DIR/status.json about once a second. Written to a temporary file and renamed over the old one, so
/// a reader (botctl, healthcheck.sh, a person's `cat`) sees the whole previous or the whole new document, never half.
/// Not fsynced: it describes the present, and losing it to a power cut loses nothing.
/// <para>While the primary series ticks, the file is written right after each tick's line reaches its file, on the
/// thread that wrote the line (in the daemon the records' writer thread; one wake-up a second for both). A fallback
/// timer writes it when no tick-side write came for <see cref="FallbackAfter"/> (no series yet with TARGET_SPORTS
/// alone, or the tick loop stalled) and then every <see cref="Interval"/>, so the file never goes stale. The ticks do
/// not touch that timer: when it comes due after a recent tick-side write it only re-aims itself at that write plus
/// <see cref="FallbackAfter"/>, so while ticks flow it wakes about once every two seconds and writes nothing. A
/// tick-side write that fails or takes longer than <see cref="SlowWrite"/> hands the writing to that timer for
/// <see cref="OffTickFor"/>: a slow disk must not hold up the lines queued behind it.</para>
/// </summary>
internal sealed partial class StatusFileService : BackgroundService, ITickObserver
{
    public const string FileName = "status.json";
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long after a tick-side write the timer writes on its own: over two seconds, so a tick a few hundred
    /// milliseconds late never has the timer write too. Stale for botctl is <see cref="StatusReport.StatusStaleAfter"/>
    /// (5 s). Not pushed back at every tick: the runtime's timer thread, once armed for a due time, wakes then even if
    /// the timer was pushed later meanwhile, and hands that empty wake to a pool thread, so pushing cost one timer
    /// firing a second for nothing (docs/BENCHMARKS.md).
    /// </summary>
    public static readonly TimeSpan FallbackAfter = TimeSpan.FromSeconds(2.5);

    /// <summary>A tick-side write slower than this moves the writing onto the timer (a write costs ~0.1-0.3 ms).</summary>
    public static readonly TimeSpan SlowWrite = TimeSpan.FromMilliseconds(50);

    /// <summary>How long the writing stays on the fallback timer after a slow or failed tick-side write.</summary>
    public static readonly TimeSpan OffTickFor = TimeSpan.FromMinutes(1);

    private readonly StatusSnapshotBuilder _builder;
    private readonly IEnumerable<IStatusContributor> _contributors;
    private readonly TimeProvider _time;
    private readonly ILogger<StatusFileService> _logger;
    private readonly TickStats? _ticks;
    private readonly string _path;
    private readonly string _temporaryPath;
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(8192);
    private Utf8JsonWriter? _json;
    private ITimer? _fallback;
    private long _offTickUntilTicks;
    private long? _lastTickWrite;
    private bool _failing;
    private bool _stopped;

    /// <param name="ticks">The primary series' tick counters, whose ticks the file rides on; null: the timer alone writes it.</param>
    public StatusFileService(
        CollectorOptions options,
        StatusSnapshotBuilder builder,
        IEnumerable<IStatusContributor> contributors,
        TimeProvider time,
        ILogger<StatusFileService> logger,
        TickStats? ticks = null)
    {
        _builder = builder;
        _contributors = contributors;
        _time = time;
        _logger = logger;
        _ticks = ticks;
        _path = Path.Combine(options.OutputDirectory, FileName);
        _temporaryPath = _path + ".tmp";
    }

    /// <summary>How long the last write took (build, serialize, write, rename).</summary>
    public TimeSpan LastWriteCost { get; private set; }

    /// <summary>Writes done after a tick's line and by the fallback timer since start.</summary>
    public long TickWrites { get; private set; }

    public long TimerWrites { get; private set; }

    public static string PathIn(string outputDirectory) => Path.Combine(outputDirectory, FileName);

    /// <summary>Writes the file once and hooks onto the ticks before the host goes on (ExecuteAsync runs later, elsewhere).</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _fallback = _time.CreateTimer(static state => ((StatusFileService)state!).OnFallback(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        OnFallback();
        _ticks?.ObserveTicks(this);
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Unhooks from the ticks and stops the timer; a write under way finishes first.</summary>
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _ticks?.ObserveTicks(null);
        lock (_gate)
        {
            _stopped = true;
            _fallback?.Dispose();
            _json?.Dispose();
            _json = null;
        }

        return base.StopAsync(cancellationToken);
    }

    // Nothing to run: the ticks and the fallback timer do the writing.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// After the primary tick's line is in its file: writes the file now unless the writing is off the ticks
    /// for a while, or the timer is writing it this very moment (the tick never waits for that).
    /// </summary>
    public void OnTick(DateTimeOffset at)
    {
        if (_time.GetUtcNow().UtcTicks < Volatile.Read(ref _offTickUntilTicks) || !_gate.TryEnter())
        {
            return;
        }

        try
        {
            if (!_stopped)
            {
                WriteAndArm(onTick: true);
            }
        }
        finally
        {
            _gate.Exit();
        }
    }

    private void OnFallback()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            // A tick wrote it less than the fallback delay ago: not due yet, only re-aimed at that write's deadline.
            if (_lastTickWrite is { } tickWrite && _time.GetElapsedTime(tickWrite) is var sinceTick && sinceTick < FallbackAfter)
            {
                _fallback?.Change(FallbackAfter - sinceTick, Timeout.InfiniteTimeSpan);
                return;
            }

            WriteAndArm(onTick: false);
        }
    }

    /// <summary>
    /// One write. A good tick-side write leaves the fallback timer alone (it checks the time of that write when it
    /// comes due); any other write re-aims it a second out.
    /// </summary>
    private void WriteAndArm(bool onTick)
    {
        var started = _time.GetTimestamp();
        var written = WriteOnce();
        LastWriteCost = _time.GetElapsedTime(started);
        if (onTick)
        {
            TickWrites++;
            if (written && LastWriteCost <= SlowWrite)
            {
                _lastTickWrite = _time.GetTimestamp();
                return;
            }

            // A failure is already logged once per outage; a slow write is told each time it moves the writing.
            Volatile.Write(ref _offTickUntilTicks, (_time.GetUtcNow() + OffTickFor).UtcTicks);
            if (written)
            {
                LogMovedOffTick(_logger, LastWriteCost.TotalMilliseconds, OffTickFor.TotalSeconds);
            }
        }
        else
        {
            TimerWrites++;
        }

        _fallback?.Change(Interval, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Builds and replaces the file; failures are logged (once per outage) and never stop the collector.</summary>
    internal bool WriteOnce()
    {
        try
        {
            // One buffer and one JSON writer for the life of the service: the document is ~2 KB, rebuilt every second.
            _buffer.ResetWrittenCount();
            if (_json is null)
            {
                _json = new Utf8JsonWriter(_buffer, StatusJson.WriterOptions);
            }
            else
            {
                _json.Reset(_buffer);
            }

            StatusJson.Write(_json, _builder.Build(), _contributors);
            _json.Flush();
            using (var handle = File.OpenHandle(_temporaryPath, FileMode.Create, FileAccess.Write))
            {
                RandomAccess.Write(handle, _buffer.WrittenSpan, 0);
            }

            File.Move(_temporaryPath, _path, overwrite: true);
            if (_failing)
            {
                _failing = false;
                LogStatusWriteResumed(_logger, _path);
            }

            return true;
        }
#pragma warning disable CA1031 // A status report must never take the recorder down, whatever a contributor throws.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!_failing)
            {
                _failing = true;
                LogStatusWriteFailed(_logger, _path, ex.Message);
            }

            return false;
        }
    }

    [LoggerMessage(EventId = 520, Level = LogLevel.Warning, Message = "Cannot write the status file {Path}: {Reason}. Recording goes on; retrying every second")]
    private static partial void LogStatusWriteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 521, Level = LogLevel.Information, Message = "Writing the status file {Path} again")]
    private static partial void LogStatusWriteResumed(ILogger logger, string path);

    [LoggerMessage(EventId = 522, Level = LogLevel.Warning, Message = "The status file write after a tick took {Milliseconds:F1} ms; writing it from its own timer for {Seconds:F0} s so the lines queued behind it are not held up")]
    private static partial void LogMovedOffTick(ILogger logger, double milliseconds, double seconds);
}
