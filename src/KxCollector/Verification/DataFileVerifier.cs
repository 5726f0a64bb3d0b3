using KxCollector.Records;
using System.Globalization;
using System.Text;
using System.Text.Json;
using KxCollector.Archive;
using KxCollector.Backfill;
using KxCollector.Recording;

namespace KxCollector.Verification;

/// <summary>
/// Reads a recorded JSONL file (plain or .gz) and checks the promises the recorder makes: every line parses, one
/// tick per second with no holes or doubles, ticks near their whole second and in the file of their UTC day.
/// </summary>
internal static partial class DataFileVerifier
{
    public const int MaxListedGaps = 5;
    public const int MaxListedBadLines = 100;
    public static readonly TimeSpan LateTickThreshold = TimeSpan.FromMilliseconds(50);

    /// <summary>No BRTI print has ever been this low: an expiration_value at or below it is not an index value.</summary>
    public const decimal PlausibleIndexFloor = 1000m;

    /// <summary>GAME_POLL_SECONDS' default: the interval game silences are measured against when none is given.</summary>
    public static readonly TimeSpan DefaultGamePoll = TimeSpan.FromSeconds(Configuration.SportsOptions.DefaultGamePollSeconds);

    public static FileReport Verify(string path) => Verify(path, gamePoll: null);

    public static FileReport Verify(string path, TimeSpan? gamePoll)
    {
        // A truncated .gz throws (InvalidDataException, reported as "cannot be read") rather than passing as a shorter day.
        using var stream = DayFiles.OpenRead(path, bufferSize: 1 << 16);
        return Verify(path, stream, gamePoll);
    }

    public static FileReport Verify(string path, Stream stream, TimeSpan? gamePoll = null)
    {
        var games = new GameLineCheck(gamePoll ?? DefaultGamePoll);
        var report = new FileReport { Path = path, Day = DayFileName.DayOf(path) };
        var seconds = new List<long>();
        var offsetsMs = new List<double>();
        var marketsTicked = new HashSet<string>(StringComparer.Ordinal);
        var marketsSettled = new HashSet<string>(StringComparer.Ordinal);
        var backfillKeys = new HashSet<UInt128>();
        var tradeIds = new HashSet<string>(StringComparer.Ordinal);

        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            report.Lines++;
            if (!TryReadRecord(line, report, seconds, offsetsMs, marketsTicked, marketsSettled, backfillKeys, tradeIds, games))
            {
                report.UnparseableLineCount++;
                if (report.UnparseableLines.Count < MaxListedBadLines)
                {
                    report.UnparseableLines.Add(report.Lines);
                }
            }
        }

        Summarise(report, seconds, offsetsMs);
        games.Summarise(report);
        report.MarketsWithoutSettlement.AddRange(marketsTicked.Where(m => !marketsSettled.Contains(m)).Order(StringComparer.Ordinal));
        return report;
    }

    private static bool TryReadRecord(
        string line,
        FileReport report,
        List<long> seconds,
        List<double> offsetsMs,
        HashSet<string> marketsTicked,
        HashSet<string> marketsSettled,
        HashSet<UInt128> backfillKeys,
        HashSet<string> tradeIds,
        GameLineCheck games)
    {
        JsonDocument document;
        try
        {
            // One JSON value per line: two records glued together (a torn write) fail here as trailing content.
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(RecordJson.Type, out var type) || type.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            if (root.TryGetProperty(RecordJson.Src, out var src) && src.ValueKind == JsonValueKind.String && src.ValueEquals(RecordSource.Backfill))
            {
                var kind = type.GetString()!;
                report.BackfilledRecords++;
                report.BackfilledByType[kind] = report.BackfilledByType.GetValueOrDefault(kind) + 1;
                if (kind == SettlementRecord.Type && root.TryGetProperty(RecordJson.Ticker, out var settledTicker) && settledTicker.ValueKind == JsonValueKind.String)
                {
                    // A market that closed while the collector was down: its one settlement line is marked backfill.
                    marketsSettled.Add(settledTicker.GetString()!);
                    CheckExpirationValue(root, report);
                }
                else if (kind == MarketRecord.Type && BrtiExpirationValue(root) is { Value: > PlausibleIndexFloor } corrected)
                {
                    report.PlausibleBackfilledMarkets.Add(corrected.Ticker);
                }

                if (BackfillKeys.Of(Encoding.UTF8.GetBytes(line)) is { } key && !backfillKeys.Add(key))
                {
                    report.BackfillDuplicates++;
                }

                return true;
            }

            switch (type.GetString())
            {
                case TickRecord.Type:
                    return ReadTick(root, report, seconds, offsetsMs, marketsTicked);
                case SettlementRecord.Type:
                    report.Settlements++;
                    if (root.TryGetProperty(RecordJson.Ticker, out var ticker) && ticker.ValueKind == JsonValueKind.String)
                    {
                        marketsSettled.Add(ticker.GetString()!);
                    }

                    CheckExpirationValue(root, report);

                    return true;
                case TradeRecord.Type:
                    if (!root.TryGetProperty(TradeRecord.TradeIdKey, out var tradeId) || tradeId.ValueKind != JsonValueKind.String)
                    {
                        return false;
                    }

                    report.Trades++;
                    if (!tradeIds.Add(tradeId.GetString()!))
                    {
                        report.RepeatedTrades++;
                    }

                    return true;
                case LifecycleRecord.Type:
                    report.LifecycleEvents++;
                    return true;
                case Kalshi.Games.GameLine.Type:
                    return games.Add(root);
                default:
                    return true;
            }
        }
    }

    /// <summary>
    /// A settlement line of a BRTI series (KXBTC…) whose expiration_value is a number at most
    /// <see cref="PlausibleIndexFloor"/> is noted: no bitcoin index print is that low.
    /// </summary>
    private static void CheckExpirationValue(JsonElement root, FileReport report)
    {
        if (BrtiExpirationValue(root) is { Value: <= PlausibleIndexFloor } implausible)
        {
            report.ImplausibleExpirationValues.Add(implausible.Ticker);
        }
    }

    /// <summary>The ticker and numeric expiration_value of a record of a BRTI series; null otherwise (or when null).</summary>
    private static (string Ticker, decimal Value)? BrtiExpirationValue(JsonElement root) =>
        root.TryGetProperty(RecordJson.Ticker, out var ticker) && ticker.ValueKind == JsonValueKind.String &&
        Store.Records.MarketMetadataDelta.SeriesOf(ticker.GetString()!) is { } series && Configuration.CollectorOptions.SettlesOnBrti(series) &&
        root.TryGetProperty(SettlementRecord.ExpirationValueKey, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number)
            ? (ticker.GetString()!, number)
            : null;

    /// <summary>
    /// Across the files verified together: implausible settlement lines that a backfilled market record corrects are
    /// listed as corrected; the others make their file fail, with how to re-fetch them.
    /// </summary>
    public static void FlagImplausibleExpirationValues(IReadOnlyList<FileReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var corrected = reports.SelectMany(r => r.PlausibleBackfilledMarkets).ToHashSet(StringComparer.Ordinal);
        foreach (var report in reports)
        {
            report.ImplausibleCorrectedByBackfill.AddRange(report.ImplausibleExpirationValues.Where(corrected.Contains));
            var open = report.ImplausibleExpirationValues.Count - report.ImplausibleCorrectedByBackfill.Count;
            if (open > 0)
            {
                report.Problems.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{open} settlement line(s) of a BRTI series with expiration_value ≤ {PlausibleIndexFloor:0} (not an index value; re-fetch with `kxcollector backfill --what markets`)"));
            }
        }
    }

    private static bool ReadTick(JsonElement root, FileReport report, List<long> seconds, List<double> offsetsMs, HashSet<string> marketsTicked)
    {
        if (!root.TryGetProperty(RecordJson.Ts, out var tsElement) || tsElement.ValueKind != JsonValueKind.String ||
            !DateTimeOffset.TryParse(tsElement.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var ts))
        {
            return false;
        }

        report.Ticks++;
        report.FirstTick ??= ts;
        report.LastTick = ts;
        var unixMs = ts.ToUnixTimeMilliseconds();
        seconds.Add(Math.DivRem(unixMs, 1000L, out var remMs));
        var offset = remMs + ((ts.UtcTicks % TimeSpan.TicksPerMillisecond) / (double)TimeSpan.TicksPerMillisecond);
        offsetsMs.Add(offset);
        if (offset > LateTickThreshold.TotalMilliseconds)
        {
            report.TicksOffOver50Ms++;
        }

        if (report.Day is { } day && DateOnly.FromDateTime(ts.UtcDateTime) != day)
        {
            report.TicksInWrongFile++;
        }

        if (IsNull(root, TickRecord.BrtiKey))
        {
            report.BrtiNullSeconds++;
        }

        foreach (var exchange in report.ExchangeNulls.Keys.ToList())
        {
            if (IsNull(root, exchange))
            {
                report.ExchangeNulls[exchange]++;
            }
        }

        if (root.TryGetProperty(TickRecord.MarketsKey, out var markets) && markets.ValueKind == JsonValueKind.Array)
        {
            foreach (var market in markets.EnumerateArray())
            {
                if (market.ValueKind == JsonValueKind.Object && market.TryGetProperty(RecordJson.Ticker, out var t) && t.ValueKind == JsonValueKind.String)
                {
                    marketsTicked.Add(t.GetString()!);
                }
            }
        }

        return true;
    }

    /// <summary>A missing key counts as null: a tick of a series with no exchange prices (sports) has none to count.</summary>
    private static bool IsNull(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Null;

    private static void Summarise(FileReport report, List<long> seconds, List<double> offsetsMs)
    {
        if (seconds.Count > 0)
        {
            var sorted = seconds.Order().ToList();
            var gaps = new List<Gap>();
            for (var i = 1; i < sorted.Count; i++)
            {
                var delta = sorted[i] - sorted[i - 1];
                if (delta == 0)
                {
                    report.DuplicatedSeconds++;
                }
                else if (delta > 1)
                {
                    report.MissingSeconds += delta - 1;
                    gaps.Add(new Gap(DateTimeOffset.FromUnixTimeSeconds(sorted[i - 1] + 1), DateTimeOffset.FromUnixTimeSeconds(sorted[i] - 1), delta - 1));
                }
            }

            report.AllGaps.AddRange(gaps);
            report.LongestGaps.AddRange(gaps.OrderByDescending(g => g.Seconds).ThenBy(g => g.From).Take(MaxListedGaps));
            offsetsMs.Sort();
            report.OffsetP50Ms = Percentile(offsetsMs, 0.50);
            report.OffsetP99Ms = Percentile(offsetsMs, 0.99);
            report.OffsetMaxMs = offsetsMs[^1];
        }

        if (report.UnparseableLineCount > 0)
        {
            report.Problems.Add($"{report.UnparseableLineCount} unparseable line(s)");
        }

        if (report.MissingSeconds > 0)
        {
            report.Problems.Add($"{report.MissingSeconds} missing second(s)");
        }

        if (report.DuplicatedSeconds > 0)
        {
            report.Problems.Add($"{report.DuplicatedSeconds} duplicated second(s)");
        }

        if (report.RepeatedTrades > 0)
        {
            report.Problems.Add($"{report.RepeatedTrades} recorded trade(s) written twice");
        }

        if (report.BackfillDuplicates > 0)
        {
            report.Problems.Add($"{report.BackfillDuplicates} backfilled record(s) written twice");
        }

        if (report.TicksInWrongFile > 0)
        {
            report.Problems.Add($"{report.TicksInWrongFile} tick(s) in the wrong day's file");
        }
    }

    /// <summary>Nearest-rank percentile of a sorted list.</summary>
    internal static double Percentile(List<double> sorted, double fraction)
    {
        var rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
