using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using KxCollector.Cli;
using KxCollector.Configuration;

namespace KxCollector.Hosting.Systemd;

internal static class SystemdServiceCollectionExtensions
{
    /// <summary>
    /// Microsoft.Extensions.Hosting.Systemd for what it does — READY=1 once every service has started, STOPPING=1 as
    /// shutdown begins, SIGTERM as a graceful stop — registered by AddSystemd only when systemd started this process;
    /// and ours for what it lacks: STATUS= lines and the watchdog ping tied to tick progress (<see cref="SystemdNotifyService"/>).
    /// AddSystemd also sets Microsoft's console logger to systemd's format; that logger is not used (Serilog writes the
    /// console, with the journal's priority prefix of its own: <see cref="LoggingSetup.JournalOutputTemplate"/>).
    /// </summary>
    public static IServiceCollection AddSystemdNotify(this IServiceCollection services)
    {
        services.AddSystemd();

        // Not under systemd AddSystemd registers no notifier; ours then gets the library's, which is disabled unless
        // $NOTIFY_SOCKET is set.
        services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.AddSingleton(_ => SystemdEnvironment.FromEnvironment());
        services.AddHostedService<SystemdNotifyService>();
        return services;
    }
}
