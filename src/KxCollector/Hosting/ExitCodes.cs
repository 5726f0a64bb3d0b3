namespace KxCollector.Hosting;

/// <summary>
/// Process exit codes from sysexits.h. systemd's RestartPreventExitStatus lists Config and TempFail so that a bad
/// configuration or a second instance does not restart in a loop.
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>EX_UNAVAILABLE: a `db` command could not reach the database.</summary>
    public const int Unavailable = 69;

    /// <summary>A fault at run time (an unexpected exception): systemd restarts the service.</summary>
    public const int Software = 70;

    /// <summary>EX_TEMPFAIL: another collector holds the output folder's lock.</summary>
    public const int AlreadyRunning = 75;

    /// <summary>EX_CONFIG: a configuration value is unusable.</summary>
    public const int Config = 78;
}
