namespace KxCollector.Cli;

/// <summary>
/// Every exit code of every verb, in one place so two verbs never give one number two meanings by accident. Above 63
/// they are sysexits.h's: systemd's RestartPreventExitStatus lists Config and TempFail so that a bad configuration or
/// a second instance does not restart in a loop. 1 and 3 are a verb's "it ran, and here is the bad news" (status
/// follows the LSB's 3 = not running); 2 is a command line that does not parse, as for most Unix tools.
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>`verify` found a problem; `db import` could not read some files (the rest are imported); `backfill`: Kalshi refused some units.</summary>
    public const int ProblemsFound = 1;

    /// <summary>`status`: the collector records but something is wrong (e.g. no fresh feed).</summary>
    public const int Unhealthy = 1;

    /// <summary>An unknown option, a missing argument, a path that does not exist.</summary>
    public const int UsageError = 2;

    /// <summary>`status`: no tick within --max-tick-age, today's file missing after midnight's grace, or never ran.</summary>
    public const int NotRecording = 3;

    /// <summary>EX_UNAVAILABLE: a `db` command could not reach the database.</summary>
    public const int Unavailable = 69;

    /// <summary>A fault at run time (an unexpected exception): systemd restarts the service.</summary>
    public const int Software = 70;

    /// <summary>EX_TEMPFAIL: another collector holds the output folder's lock (or Kalshi stayed unreachable for `backfill`).</summary>
    public const int AlreadyRunning = 75;

    /// <summary>EX_CONFIG: a configuration value is unusable.</summary>
    public const int Config = 78;

    /// <summary>128 + SIGINT, as shells report it: Ctrl-C or SIGTERM stopped a resumable verb; run it again to continue.</summary>
    public const int Interrupted = 130;
}
