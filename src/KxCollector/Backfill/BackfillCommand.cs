using KxCollector.Records;
using System.Globalization;
using System.Runtime.InteropServices;
using KxCollector.Configuration;
using KxCollector.Hosting;
using KxCollector.Kalshi.Rest;
using KxCollector.Kalshi.Signing;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;
using KxCollector.Cli;
using KxCollector.Kalshi.History;
using KxCollector.Recording;

namespace KxCollector.Backfill;

/// <summary>
/// `kxcollector backfill --series S[,…] --from DATE [--to DATE] [--what markets,trades,candles] [--interval 1m|1h|1d]`.
/// Exit 0 when everything in range is written, 1 when Kalshi refused some units (the summary says how many), 2 for
/// a usage error, 75 when Kalshi stayed unreachable or another backfill holds the folder (run again to continue),
/// 78 for a configuration error, 130 when interrupted (Ctrl-C, SIGTERM: run again to continue).
/// </summary>
internal static class BackfillCommand
{
    public static readonly string[] WhatChoices = ["markets", "trades", "candles"];

    public static async Task<int> RunAsync(
        string seriesList, string fromText, string? toText, string? whatText, string? intervalText, string? envFile, bool debug, TextWriter output, TextWriter errors)
    {
        var time = TimeProvider.System;
        if (!TryParseRequest(seriesList, fromText, toText, whatText, intervalText, time.GetUtcNow(), out var requests, out var usage))
        {
            await errors.WriteLineAsync($"kxcollector backfill: {usage}");
            return ExitCodes.UsageError;
        }

        var workingDirectory = Directory.GetCurrentDirectory();
        CollectorOptions options;
        try
        {
            options = CollectorOptionsLoader.Load(EnvironmentSources.Merge(envFile, workingDirectory, Environment.GetEnvironmentVariables()), workingDirectory);
        }
        catch (ConfigurationException ex)
        {
            await errors.WriteLineAsync($"kxcollector: configuration error: {ex.Message}");
            return ExitCodes.Config;
        }

        await using var serilog = LoggingSetup.Create(debug, options.LogFormat);
        using var loggerFactory = new SerilogLoggerFactory(serilog);
        var logger = loggerFactory.CreateLogger("KxCollector.Backfill");
        KalshiCredentials credentials;
        try
        {
            credentials = KalshiCredentials.Load(options.Kalshi, loggerFactory.CreateLogger<KalshiCredentials>());
        }
        catch (ConfigurationException ex)
        {
            await errors.WriteLineAsync($"kxcollector: configuration error: {ex.Message}");
            return ExitCodes.Config;
        }

        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        using var bucket = new TokenBucket(options.Kalshi.RestRequestsPerSecond, 1, time);
        using var rest = KalshiRestClient.Create(
            options.Kalshi, credentials, KalshiRetryPolicy.Default with { MinRequestSpacing = TimeSpan.Zero }, time, loggerFactory.CreateLogger<KalshiRestClient>(), bucket);
        var client = new KalshiHistoryClient(rest, logger);

        var exit = ExitCodes.Ok;
        foreach (var request in requests)
        {
            using var store = BackfillStore.TryOpen(options.OutputDirectory, request.Series, logger, out var holder);
            if (store is null)
            {
                await errors.WriteLineAsync(
                    $"kxcollector backfill: another process{(holder is null ? string.Empty : $" (PID {holder})")} is backfilling {DayFileName.BackfillDirectoryOf(options.OutputDirectory, request.Series)}; try again when it is done");
                return ExitCodes.AlreadyRunning;
            }

            var runner = new BackfillRunner(client, store, logger);
            var before = (rest.Attempts, rest.Retries);
            string outcome;
            await using (var progress = new BackfillProgress(
                request.Series, runner.Stats, () => (rest.Attempts - before.Attempts, rest.Retries - before.Retries), output, !Console.IsOutputRedirected, time))
            {
                progress.Start();
                try
                {
                    await runner.RunAsync(request, stop.Token);
                    outcome = runner.Stats.UnitsFailed > 0 ? "finished with refusals" : "done";
                    if (runner.Stats.UnitsFailed > 0)
                    {
                        exit = ExitCodes.ProblemsFound;
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    outcome = "interrupted (run the same command again to continue)";
                    exit = ExitCodes.Interrupted;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    await errors.WriteLineAsync($"kxcollector backfill: cannot write the backfill files: {ex.Message}");
                    outcome = "stopped (free the disk, then run the same command again to continue)";
                    exit = ExitCodes.AlreadyRunning;
                }
                catch (KalshiApiException ex)
                {
                    await errors.WriteLineAsync($"kxcollector backfill: Kalshi did not answer: {ex.Message}");
                    outcome = "stopped (run the same command again to continue)";
                    exit = ExitCodes.AlreadyRunning;
                }

                await progress.DisposeAsync();
                await output.WriteLineAsync(progress.Summary(outcome) + $"; files in {store.Directory}");
            }

            if (exit is ExitCodes.Interrupted or ExitCodes.AlreadyRunning)
            {
                return exit;
            }
        }

        return exit;

        void Cancel(PosixSignalContext context)
        {
            // Stop between requests and exit with a summary rather than being torn down mid-write.
            context.Cancel = true;
            stop.Cancel();
        }
    }

    internal static bool TryParseRequest(
        string seriesList, string fromText, string? toText, string? whatText, string? intervalText, DateTimeOffset now, out List<BackfillRequest> requests, out string error)
    {
        requests = [];
        error = string.Empty;
        var series = (seriesList ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();
        if (series.Count == 0 || series.Any(s => !s.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
        {
            error = $"--series '{seriesList}' is not valid; expected series tickers such as KXBTC15M, comma-separated";
            return false;
        }

        if (!TryParseInstant(fromText, endOfDay: false, out var from))
        {
            error = $"--from '{fromText}' is not valid; expected a UTC date (2026-10-01) or an RFC 3339 time";
            return false;
        }

        var to = now;
        if (toText is not null && !TryParseInstant(toText, endOfDay: true, out to))
        {
            error = $"--to '{toText}' is not valid; expected a UTC date (2026-10-31, included) or an RFC 3339 time";
            return false;
        }

        if (to > now)
        {
            to = now;
        }

        if (from >= to)
        {
            error = $"--from {JsonTime(from)} is not before --to {JsonTime(to)} (and --to is at most now)";
            return false;
        }

        var what = (whatText ?? string.Join(',', WhatChoices)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(w => w.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        if (what.Count == 0 || what.Any(w => !WhatChoices.Contains(w)))
        {
            error = $"--what '{whatText}' is not valid; expected a comma list of {string.Join(", ", WhatChoices)}";
            return false;
        }

        var interval = intervalText is null ? CandleInterval.OneMinute : CandleInterval.Parse(intervalText);
        if (interval is null)
        {
            error = $"--interval '{intervalText}' is not valid; expected 1m, 1h or 1d";
            return false;
        }

        requests = series.Select(s => new BackfillRequest
        {
            Series = s,
            From = from,
            To = to,
            Markets = what.Contains("markets"),
            Trades = what.Contains("trades"),
            Candles = what.Contains("candles"),
            Interval = interval,
        }).ToList();
        return true;
    }

    /// <summary>A date is a whole UTC day (--to includes it); anything else must be an RFC 3339 time with an offset or Z.</summary>
    private static bool TryParseInstant(string? text, bool endOfDay, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            instant = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            if (endOfDay)
            {
                instant = instant.AddDays(1);
            }

            return true;
        }

        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
    }

    private static string JsonTime(DateTimeOffset time) => Records.JsonTimestamps.ToText(time);
}
