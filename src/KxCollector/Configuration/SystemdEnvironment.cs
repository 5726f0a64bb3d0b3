using System.Collections;
using System.Globalization;

namespace KxCollector.Configuration;

/// <summary>What systemd passes to a service in its environment, parsed once at start-up.</summary>
internal sealed record SystemdEnvironment(TimeSpan? WatchdogInterval, bool JournalStream)
{
    public const string WatchdogUsecVariable = "WATCHDOG_USEC";
    public const string WatchdogPidVariable = "WATCHDOG_PID";
    public const string JournalStreamVariable = "JOURNAL_STREAM";

    public static SystemdEnvironment None { get; } = new(null, false);

    public static SystemdEnvironment FromEnvironment() => Parse(Environment.GetEnvironmentVariables(), Environment.ProcessId);

    /// <summary>
    /// WATCHDOG_USEC is the unit's WatchdogSec in microseconds. WATCHDOG_PID, when present, names the process the
    /// watchdog is meant for: a child that inherited the variables must not ping on its parent's behalf.
    /// </summary>
    public static SystemdEnvironment Parse(IDictionary environment, int processId)
    {
        ArgumentNullException.ThrowIfNull(environment);
        TimeSpan? watchdog = null;
        if (environment[WatchdogUsecVariable] is string usecText &&
            long.TryParse(usecText, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0)
        {
            var forUs = environment[WatchdogPidVariable] is not string pidText ||
                (int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid == processId);
            if (forUs)
            {
                watchdog = TimeSpan.FromMicroseconds(usec);
            }
        }

        var journal = environment[JournalStreamVariable] is string stream && stream.Length > 0;
        return new SystemdEnvironment(watchdog, journal);
    }
}
