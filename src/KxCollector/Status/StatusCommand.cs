using System.Globalization;
using System.Text.Json;
using KxCollector.Configuration;
using KxCollector.Hosting;
using KxCollector.Recording;
using KxCollector.Cli;

namespace KxCollector.Status;

/// <summary>
/// `kxcollector status [--json] [--max-tick-age SECONDS]`: "is my data complete?" at a glance, for people (botctl
/// status) and scripts (healthcheck.sh). Reads today's data file itself, so the answer holds when the collector is
/// dead, and the collector's status.json for what only the process knows (feeds, Kalshi, PID).
/// Exit codes: 0 healthy; 1 recording but unhealthy (e.g. no fresh feed); 3 not recording (no tick within
/// --max-tick-age, today's file missing after midnight's grace, never ran); 78 unusable configuration.
/// </summary>
internal static class StatusCommand
{
    /// <summary>The default --max-tick-age: the same 5 s that makes /health answer 503.</summary>
    public static readonly TimeSpan DefaultMaxTickAge = TickLiveness.StalledAfter;

    /// <summary>After midnight UTC, today's file may take this long to appear before its absence counts as a fault.</summary>
    public static readonly TimeSpan TodayFileGrace = TimeSpan.FromMinutes(3);

    public static async Task<int> RunAsync(string? envFile, bool json, TimeSpan maxTickAge, TimeProvider time, TextWriter output, TextWriter errors)
    {
        string outputDirectory;
        string prefix;
        try
        {
            var cwd = Directory.GetCurrentDirectory();
            var reader = new SettingsReader(EnvironmentSources.Merge(envFile, cwd, Environment.GetEnvironmentVariables()));
            outputDirectory = CollectorOptionsLoader.ResolveOutputDirectory(reader, cwd);

            // The daemon's status, tick and watchdog follow its first series.
            prefix = DayFileName.PrefixOf(CollectorOptionsLoader.LoadSeries(reader)[0]);
        }
        catch (ConfigurationException ex)
        {
            await errors.WriteLineAsync($"kxcollector status: configuration error: {ex.Message}");
            return ExitCodes.Config;
        }

        var report = Build(outputDirectory, prefix, maxTickAge, time.GetUtcNow());
        await output.WriteAsync(json ? report.ToJson() : report.ToText());
        return report.ExitCode;
    }

    internal static StatusReport Build(string outputDirectory, string prefix, TimeSpan maxTickAge, DateTimeOffset now)
    {
        var date = DateOnly.FromDateTime(now.UtcDateTime);
        var today = new DayFileScanner().Scan(Path.Combine(outputDirectory, DayFileName.Of(prefix, date)), date);
        var status = ReadStatus(StatusFileService.PathIn(outputDirectory), out var statusError);

        var lastTick = today.LastTickAt ?? ReadTime(status, "tick", "last_at");
        var notRecording = new List<string>();
        if (lastTick is null)
        {
            notRecording.Add(status is null ? "no tick recorded: the collector has not run in this folder" : "no tick recorded yet");
        }
        else if (now - lastTick.Value > maxTickAge)
        {
            notRecording.Add($"last tick {Seconds(now - lastTick.Value)} ago (limit {Seconds(maxTickAge)})");
        }

        var midnight = new DateTimeOffset(date, TimeOnly.MinValue, TimeSpan.Zero);
        if (!today.Exists && now - midnight > TodayFileGrace)
        {
            notRecording.Add($"today's file {today.Path} does not exist");
        }

        var reported = new List<string>();
        if (status is not null && status.RootElement.TryGetProperty("problems", out var problems) && problems.ValueKind == JsonValueKind.Array)
        {
            reported.AddRange(problems.EnumerateArray().Select(p => p.GetString() ?? string.Empty));
        }

        var exit = notRecording.Count > 0 ? ExitCodes.NotRecording : reported.Count > 0 ? ExitCodes.Unhealthy : ExitCodes.Ok;
        return new StatusReport(now, outputDirectory, today, lastTick, status, statusError, notRecording, reported, DiskSpace.Of(outputDirectory), exit);
    }

    internal static string Seconds(TimeSpan span) => span.TotalSeconds < 100
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:F1} s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:F0} s");

    private static JsonDocument? ReadStatus(string path, out string? error)
    {
        error = null;
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            error = ex.Message;
            return null;
        }
    }

    internal static DateTimeOffset? ReadTime(JsonDocument? document, params string[] path)
    {
        if (document is null)
        {
            return null;
        }

        var element = document.RootElement;
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String && element.TryGetDateTimeOffset(out var value) ? value : null;
    }
}
