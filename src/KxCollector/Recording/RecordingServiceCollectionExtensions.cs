using KxCollector.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
        return services;
    }
}
