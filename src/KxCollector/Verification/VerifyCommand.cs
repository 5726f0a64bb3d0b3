using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using KxCollector.Configuration;
using KxCollector.Hosting;
using KxCollector.Cli;
using KxCollector.Recording;

namespace KxCollector.Verification;

/// <summary>
/// `kxcollector verify [FILES|DIR…] [--json]`: checks recorded files. Exit 0 when every file is clean, 1 when a
/// problem was found, 2 for a usage error (a path that does not exist, nothing to verify).
/// </summary>
internal static class VerifyCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> paths, bool json, string? envFile, TextWriter output, TextWriter errors)
    {
        var targets = paths.Count > 0 ? paths : [DefaultDataDirectory(envFile)];
        var gamePoll = GamePollInterval(envFile);
        var files = new List<string>();
        foreach (var target in targets)
        {
            if (Directory.Exists(target))
            {
                files.AddRange(Directory.EnumerateFiles(target)
                    .Where(DayFileName.IsDataFile)
                    .Order(StringComparer.Ordinal));

                // The backfill's files (backfill/<SERIES>/…) belong to the data folder too; they are reported apart.
                var backfill = Path.Combine(target, DayFileName.BackfillFolder);
                if (Directory.Exists(backfill))
                {
                    files.AddRange(Directory.EnumerateDirectories(backfill)
                        .SelectMany(Directory.EnumerateFiles)
                        .Where(DayFileName.IsDataFile)
                        .Order(StringComparer.Ordinal));
                }
            }
            else if (File.Exists(target))
            {
                files.Add(target);
            }
            else
            {
                await errors.WriteLineAsync($"kxcollector verify: no such file or folder: {target}");
                return ExitCodes.UsageError;
            }
        }

        if (files.Count == 0)
        {
            await errors.WriteLineAsync($"kxcollector verify: no .jsonl or .jsonl.gz files in {string.Join(", ", targets)}");
            return ExitCodes.UsageError;
        }

        var reports = new List<FileReport>();
        foreach (var file in files)
        {
            try
            {
                reports.Add(DataFileVerifier.Verify(file, gamePoll));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                var failed = new FileReport { Path = file };
                failed.Problems.Add($"cannot be read: {ex.Message}");
                reports.Add(failed);
            }
        }

        DataFileVerifier.FlagImplausibleExpirationValues(reports);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new VerifyDocument(reports, reports.All(r => r.Clean)), VerifyJsonContext.Default.VerifyDocument));
        }
        else
        {
            foreach (var report in reports)
            {
                await output.WriteAsync(Describe(report));
            }

            var bad = reports.Count(r => !r.Clean);
            await output.WriteLineAsync(bad == 0
                ? $"{reports.Count} file(s) verified: clean"
                : $"{reports.Count} file(s) verified: {bad} with problems");
        }

        return reports.All(r => r.Clean) ? ExitCodes.Ok : ExitCodes.ProblemsFound;
    }

    internal static string Describe(FileReport r)
    {
        var c = CultureInfo.InvariantCulture;
        var w = new StringWriter(c);
        w.WriteLine($"{r.Path}{(r.Day is { } d ? $"  ({d:yyyy-MM-dd})" : string.Empty)}");
        var byType = r.BackfilledByType.Count > 0 ? $" ({string.Join(", ", r.BackfilledByType.Select(p => $"{p.Key} {p.Value}"))})" : string.Empty;
        w.WriteLine($"  lines {r.Lines}, ticks {r.Ticks}, settlements {r.Settlements}, trades {r.Trades}, lifecycle {r.LifecycleEvents}, backfilled {r.BackfilledRecords}{byType}, unparseable {r.UnparseableLineCount}");
        if (r.UnparseableLines.Count > 0)
        {
            w.WriteLine($"  unparseable at line(s): {string.Join(", ", r.UnparseableLines)}{(r.UnparseableLineCount > r.UnparseableLines.Count ? ", …" : string.Empty)}");
        }

        if (r.FirstTick is { } first && r.LastTick is { } last)
        {
            w.WriteLine($"  ticks from {first.UtcDateTime:HH:mm:ss} to {last.UtcDateTime:HH:mm:ss} UTC; missing seconds {r.MissingSeconds}, duplicated seconds {r.DuplicatedSeconds}, in the wrong day's file {r.TicksInWrongFile}");
            foreach (var gap in r.LongestGaps)
            {
                w.WriteLine($"    gap {gap.From.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z … {gap.To.UtcDateTime:HH:mm:ss}Z ({gap.Seconds} s)");
            }

            w.WriteLine(string.Create(c, $"  tick offset p50 {r.OffsetP50Ms:F1} ms, p99 {r.OffsetP99Ms:F1} ms, max {r.OffsetMaxMs:F1} ms; off by more than 50 ms: {r.TicksOffOver50Ms}"));
            w.WriteLine($"  brti null {r.BrtiNullSeconds} s; null coinbase {r.ExchangeNulls["coinbase"]}, kraken {r.ExchangeNulls["kraken"]}, bitstamp {r.ExchangeNulls["bitstamp"]}");
        }

        if (r.MarketsWithoutSettlement.Count > 0)
        {
            w.WriteLine($"  markets with ticks but no settlement here: {r.MarketsWithoutSettlement.Count} ({string.Join(", ", r.MarketsWithoutSettlement.Take(10))}{(r.MarketsWithoutSettlement.Count > 10 ? ", …" : string.Empty)})");
        }

        if (r.ImplausibleExpirationValues.Count > 0)
        {
            var open = r.ImplausibleExpirationValues.Except(r.ImplausibleCorrectedByBackfill, StringComparer.Ordinal).ToList();
            w.WriteLine($"  settlements with an implausible expiration_value: {r.ImplausibleExpirationValues.Count}, corrected by a backfilled market record: {r.ImplausibleCorrectedByBackfill.Count}{(open.Count > 0 ? $" (to re-fetch: {string.Join(", ", open.Take(10))}{(open.Count > 10 ? ", …" : string.Empty)})" : string.Empty)}");
        }

        if (r.GameLines > 0)
        {
            w.WriteLine($"  game lines {r.GameLines} of {r.Games} game(s); stretches of a game with no line for more than three poll intervals: {r.GameSilenceCount}");
            foreach (var silence in r.LongestGameSilences)
            {
                w.WriteLine($"    {silence.MilestoneId}: {silence.From.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z … {silence.To.UtcDateTime:HH:mm:ss}Z ({silence.Seconds} s)");
            }
        }

        w.WriteLine(r.Clean ? "  OK" : $"  PROBLEMS: {string.Join("; ", r.Problems)}");
        return w.ToString();
    }

    /// <summary>GAME_POLL_SECONDS as the daemon reads it; its default when unset or unreadable (verify only reports with it).</summary>
    private static TimeSpan GamePollInterval(string? envFile)
    {
        var cwd = Directory.GetCurrentDirectory();
        try
        {
            var settings = EnvironmentSources.Merge(envFile, cwd, Environment.GetEnvironmentVariables());
            return new SettingsReader(settings).PositiveSeconds(SettingKeys.GamePollSeconds, SportsOptions.DefaultGamePollSeconds, 300);
        }
        catch (ConfigurationException)
        {
            return DataFileVerifier.DefaultGamePoll;
        }
    }

    /// <summary>With no path given, verify OUTPUT_DIR as the daemon would resolve it (without creating it).</summary>
    internal static string DefaultDataDirectory(string? envFile)
    {
        var cwd = Directory.GetCurrentDirectory();
        try
        {
            var settings = EnvironmentSources.Merge(envFile, cwd, Environment.GetEnvironmentVariables());
            return CollectorOptionsLoader.ResolveOutputDirectory(new SettingsReader(settings), cwd);
        }
        catch (ConfigurationException)
        {
            return Path.Combine(cwd, "data");
        }
    }
}

/// <summary>The `verify --json` document: every file's report, and whether all were clean.</summary>
internal sealed record VerifyDocument(IReadOnlyList<FileReport> Files, bool Clean);

// Source-generated, so the JSON works in a native AOT build too (reflection-based serialization is off there).
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(VerifyDocument))]
internal sealed partial class VerifyJsonContext : JsonSerializerContext;
