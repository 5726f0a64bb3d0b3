using KxCollector.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Recording;

internal static class RecordingServiceCollectionExtensions
{
    /// <summary>
    /// The daily files: one writer per series (<see cref="SeriesFiles"/>), the primary series' file that status and
    /// health follow (<see cref="PrimaryFile"/>), and the tick loops' counters.
    /// </summary>
    public static IServiceCollection AddRecording(this IServiceCollection services, CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<TickStats>();
        services.AddSingleton<IAppendFileOpener, AppendOnlyFileOpener>();
        services.AddSingleton(sp => new SeriesFiles(options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IAppendFileOpener>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<PrimaryFile>();

        // Registered before every feature that hands lines over (the Kalshi stream): the host stops hosted services in
        // reverse order, so this one drains the last of them after the stream has stopped, before the files close.
        services.AddSingleton<RecordHandOff>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<RecordHandOff>());
        return services;
    }
}
