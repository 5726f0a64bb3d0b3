using System.Globalization;
using KxCollector.Configuration;
using KxCollector.Hosting;
using KxCollector.Store.Cli;
using KxCollector.Cli;

namespace KxCollector.Export;

/// <summary>
/// `kxcollector export --series S[,…] --from DAY [--to DAY] --format parquet|csv --out DIR`: the recorded and
/// backfilled files of OUTPUT_DIR (plain or .gz) as flat tables, one file per table, series and UTC day. Exit 0 when
/// every file was written or kept, 1 when some could not be (named in the summary; the rest are written), 2 for a
/// usage error, 130 when interrupted (run it again: finished files are kept).
/// </summary>
internal static class ExportCommand
{
    public static async Task<int> RunAsync(
        string series, string from, string? to, string format, string output, string? envFile, TextWriter stdout, TextWriter errors, bool terminal, CancellationToken ct)
    {
        var cwd = Directory.GetCurrentDirectory();
        string dataDirectory;
        try
        {
            var reader = new SettingsReader(EnvironmentSources.Merge(envFile, cwd, Environment.GetEnvironmentVariables()));
            dataDirectory = CollectorOptionsLoader.ResolveOutputDirectory(reader, cwd);
        }
        catch (ConfigurationException ex)
        {
            await errors.WriteLineAsync($"kxcollector export: {ex.Message}");
            return ExitCodes.Config;
        }

        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        var (request, error, note) = ExportRequest.Parse(series, from, to, format, output, today);
        if (note is not null)
        {
            await errors.WriteLineAsync($"kxcollector export: {note}");
        }

        if (request is null)
        {
            await errors.WriteLineAsync($"kxcollector export: {error}");
            return ExitCodes.UsageError;
        }

        using var interrupt = new ConsoleInterrupt(ct);
        return await RunAsync(request, dataDirectory, stdout, errors, terminal, TimeProvider.System, interrupt.Token);
    }

    public static async Task<int> RunAsync(ExportRequest request, string dataDirectory, TextWriter stdout, TextWriter errors, bool terminal, TimeProvider time, CancellationToken ct)
    {
        var run = new ExportRun(request, dataDirectory, time);
        await using var display = new ConsoleProgress(errors, terminal, ImportCommand.ProgressLineInterval, time, d => ImportCommand.ProgressLine(run.Progress, d, "export"));
        display.Start();
        try
        {
            await run.RunAsync(ct);
            await display.StopAsync(lastLine: true);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await display.StopAsync();
            await errors.WriteLineAsync("kxcollector export: interrupted; run the same command again to finish (finished files are kept)");
            await stdout.WriteLineAsync(run.Summary());
            return ExitCodes.Interrupted;
        }

        foreach (var failure in run.Failures)
        {
            await errors.WriteLineAsync($"kxcollector export: {failure}");
        }

        await stdout.WriteLineAsync(run.Summary());
        return run.Failures.Count > 0 ? ExitCodes.ProblemsFound : ExitCodes.Ok;
    }
}
