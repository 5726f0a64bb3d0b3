using KxCollector.Records;
using System.Net.Sockets;
using KxCollector.Recording;
using KxCollector.Status;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using KxCollector.Cli;
using KxCollector.Configuration;

namespace KxCollector.Hosting.Systemd;

/// <summary>
/// What Microsoft.Extensions.Hosting.Systemd does not do for a Type=notify unit (its SystemdLifetime sends READY=1 and
/// STOPPING=1): STATUS= a one-line summary at start and every few seconds, and WATCHDOG=1 at half the unit's
/// WatchdogSec — but only while the tick loop is writing. A process that is alive but no longer recording must look
/// dead to systemd, so the watchdog kills and restarts it; pinging from a timer regardless of ticks would hide
/// exactly that failure. Sent over the library's notifier; does nothing without $NOTIFY_SOCKET.
/// </summary>
internal sealed partial class SystemdNotifyService : IHostedLifecycleService, IDisposable
{
    public static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly ISystemdNotifier _notifier;
    private readonly SystemdEnvironment _environment;
    private readonly TickStats _ticks;
    private readonly StatusSnapshotBuilder _status;
    private readonly TimeProvider _time;
    private readonly ILogger<SystemdNotifyService> _logger;
    private ITimer? _timer;
    private long _lastStatusTimestamp;
    private bool _withholding;
    private bool _stopping;
    private bool _notifyFailing;

    public SystemdNotifyService(ISystemdNotifier notifier, SystemdEnvironment environment, TickStats ticks, StatusSnapshotBuilder status, TimeProvider time, ILogger<SystemdNotifyService> logger)
    {
        _notifier = notifier;
        _environment = environment;
        _ticks = ticks;
        _status = status;
        _time = time;
        _logger = logger;
    }

    /// <summary>How often the timer runs: half the watchdog period (as sd_watchdog_enabled(3) advises), at most the status interval.</summary>
    public TimeSpan Period => _environment.WatchdogInterval is { } watchdog && watchdog / 2 < StatusInterval ? watchdog / 2 : StatusInterval;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        LogStarted(_logger, AppVersion.Value, Environment.ProcessId, _notifier.IsEnabled ? "under systemd, Type=notify" : "not under systemd notify");
        if (!_notifier.IsEnabled)
        {
            return Task.CompletedTask;
        }

        // Before the library's READY=1, which follows once every service's StartedAsync has run.
        Send("STATUS=" + _status.Build().Summary());
        lock (_gate)
        {
            _lastStatusTimestamp = _time.GetTimestamp();
            _timer = _time.CreateTimer(_ => OnTimer(), null, Period, Period);
        }

        if (_environment.WatchdogInterval is { } interval)
        {
            LogWatchdogEnabled(_logger, interval.TotalSeconds, Period.TotalSeconds);
        }

        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _stopping = true;
            _timer?.Dispose();
            _timer = null;
        }

        if (_notifier.IsEnabled)
        {
            Send("STATUS=stopping: finishing the current line and syncing the file");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    internal void OnTimer()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            // The watchdog first and from TickStats alone: it must not wait on the status file's disk read.
            if (_environment.WatchdogInterval is not null)
            {
                PingWatchdogIfTicking();
            }

            if (_time.GetElapsedTime(_lastStatusTimestamp) >= StatusInterval)
            {
                _lastStatusTimestamp = _time.GetTimestamp();
                Send("STATUS=" + _status.Build().Summary());
            }
        }
    }

    private void PingWatchdogIfTicking()
    {
        var lastTick = _ticks.LastTickAt;
        if (TickLiveness.IsAdvancing(lastTick, _status.StartedAt, _time.GetUtcNow()))
        {
            if (_withholding)
            {
                _withholding = false;
                LogWatchdogResumed(_logger);
            }

            Send("WATCHDOG=1");
        }
        else if (!_withholding)
        {
            _withholding = true;
            LogWatchdogWithheld(_logger, lastTick is null ? "never" : JsonTimestamps.ToText(lastTick.Value));
        }
    }

    private void Send(string state)
    {
        bool sent;
        try
        {
            _notifier.Notify(new ServiceState(state));
            sent = true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The library's notifier throws where sd_notify returns an error: a vanished socket must not stop the service.
            sent = false;
        }

        if (!sent && !_notifyFailing)
        {
            LogNotifyFailed(_logger, state.Split('\n')[0]);
        }

        // Logged once per outage: a vanished socket would otherwise log every few seconds for as long as it lasts.
        _notifyFailing = !sent;
    }

    [LoggerMessage(EventId = 504, Level = LogLevel.Information, Message = "KxCollector {Version} started as PID {Pid} ({Supervision})")]
    private static partial void LogStarted(ILogger logger, string version, int pid, string supervision);

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "systemd watchdog is {Seconds:F0} s; pinging every {Period:F1} s while ticks are being written")]
    private static partial void LogWatchdogEnabled(ILogger logger, double seconds, double period);

    [LoggerMessage(EventId = 501, Level = LogLevel.Error, Message = "The tick loop has stalled (last tick {LastTick}); withholding the watchdog ping so systemd restarts the collector")]
    private static partial void LogWatchdogWithheld(ILogger logger, string lastTick);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Ticks resumed; pinging the systemd watchdog again")]
    private static partial void LogWatchdogResumed(ILogger logger);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Could not notify systemd ({State}); further failures are not logged until one succeeds")]
    private static partial void LogNotifyFailed(ILogger logger, string state);
}
