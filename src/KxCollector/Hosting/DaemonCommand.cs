using KxCollector.Configuration;
using KxCollector.Recording;
using Microsoft.Extensions.Hosting;
using KxCollector.Cli;

namespace KxCollector.Hosting;

/// <summary>
/// The default verb: validate the configuration, take the output folder's lock, run the host until SIGTERM/Ctrl-C.
/// Everything that can be wrong with the configuration is found here, before any service starts.
/// </summary>
internal static class DaemonCommand
{
    public static async Task<int> RunAsync(string? envFile, bool debug, TextWriter errors)
    {
        var workingDirectory = Directory.GetCurrentDirectory();
        CollectorOptions options;
        try
        {
            var settings = EnvironmentSources.Merge(envFile, workingDirectory, Environment.GetEnvironmentVariables());
            options = CollectorOptionsLoader.Load(settings, workingDirectory);
        }
        catch (ConfigurationException ex)
        {
            await errors.WriteLineAsync($"kxcollector: configuration error: {ex.Message}");
            return ExitCodes.Config;
        }

        using var folderLock = OutputDirectoryLock.TryAcquire(options.OutputDirectory, out var holderPid);
        if (folderLock is null)
        {
            var holder = holderPid is null ? "another collector" : $"another collector (PID {holderPid})";
            await errors.WriteLineAsync($"kxcollector: {holder} is already writing to {options.OutputDirectory}; exiting without writing");
            return ExitCodes.AlreadyRunning;
        }

        await using var logger = LoggingSetup.Create(debug, options.LogFormat);
        using var host = CollectorHost.CreateBuilder(options, logger, TimeProvider.System).Build();
        try
        {
            await host.StartAsync();
            logger.Information(
                "KxCollector {Version} recording {Series} to {OutputDirectory} (PID {Pid})",
                AppVersion.Value, string.Join(",", options.Series.Concat(options.Sports.Sports.Select(sport => "TARGET_SPORTS " + sport.Name))), options.OutputDirectory, Environment.ProcessId);
            await host.WaitForShutdownAsync();
            logger.Information("Stopped cleanly");
        }
        catch (ConfigurationException ex)
        {
            // Some settings (a key file, a port) can only be checked as their service starts.
            logger.Fatal("Configuration error: {Message}", ex.Message);
            await errors.WriteLineAsync($"kxcollector: configuration error: {ex.Message}");
            return ExitCodes.Config;
        }

        return CollectorHost.AnyServiceFaulted(host) ? ExitCodes.Software : ExitCodes.Ok;
    }
}
