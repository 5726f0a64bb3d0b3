namespace KxCollector.Hosting.Systemd;

/// <summary>
/// sd_notify(3): tells the service manager about state changes. An interface in front of the OS boundary so the
/// service logic can be tested without a socket.
/// </summary>
internal interface ISystemdNotifier
{
    /// <summary>True when the process was started with $NOTIFY_SOCKET (a Type=notify unit); otherwise Notify does nothing.</summary>
    bool IsEnabled { get; }

    /// <summary>Sends one datagram of newline-separated assignments (READY=1, STATUS=…). Returns false if it could not be sent.</summary>
    bool Notify(string state);
}
