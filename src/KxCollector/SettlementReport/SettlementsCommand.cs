using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using KxCollector.Hosting;
using KxCollector.Recording;
using KxCollector.Verification;
using KxCollector.Cli;

namespace KxCollector.SettlementReport;

/// <summary>
/// `kxcollector settlements [FILES|DIR…] [--json]`: one row per settled market of the recorded files (Kalshi's
/// expiration_value beside the official prints' window mean, Kalshi's published average and our proxy's mean, each
/// one's error and whether it implies Kalshi's result), then a summary per measure: median and p99 absolute error,
/// outcome agreement in %. Exit 0, or 2 for a usage error (a path that does not exist, no data files).
/// </summary>
internal static class SettlementsCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> paths, bool json, string? envFile, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        var targets = paths.Count > 0 ? paths : [VerifyCommand.DefaultDataDirectory(envFile)];
        var files = new List<string>();
        foreach (var target in targets)
        {
            if (Directory.Exists(target))
            {
                files.AddRange(Directory.EnumerateFiles(target).Where(DayFileName.IsDataFile).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(target))
            {
                files.Add(target);
            }
            else
            {
                await errors.WriteLineAsync($"kxcollector settlements: no such file or folder: {target}");
                return ExitCodes.UsageError;
            }
        }

        if (files.Count == 0)
        {
            await errors.WriteLineAsync($"kxcollector settlements: no .jsonl or .jsonl.gz files in {string.Join(", ", targets)}");
            return ExitCodes.UsageError;
        }

        var rows = SettlementFileReader.Read(files);
        var report = new Report(
            rows,
            MeasureSummary.Of(rows.Select(r => r.Official)),
            MeasureSummary.Of(rows.Select(r => r.Kalshi)),
            MeasureSummary.Of(rows.Select(r => r.Proxy)));
        await output.WriteAsync(json ? ToJson(report) + "\n" : ToText(report));
        return ExitCodes.Ok;
    }

    internal static string ToJson(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var document = new SettlementsDocument(report.Rows, new SettlementsSummary(report.Official, report.Kalshi, report.Proxy));
        return JsonSerializer.Serialize(document, SettlementsJsonContext.Default.SettlementsDocument);
    }

    internal static string ToText(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = CultureInfo.InvariantCulture;
        var w = new StringBuilder();
        w.Append(c, $"{"ticker",-26} {"result",-6} {"expiration",11} {"official",11} {"err",7} {"ok",-3} {"kalshi",11} {"err",7} {"ok",-3} {"proxy",11} {"err",7} {"ok",-3}\n");
        foreach (var r in report.Rows)
        {
            w.Append(c, $"{r.Ticker,-26} {r.Result ?? "-",-6} {Num(r.ExpirationValue),11} {Cells(r.Official)} {Cells(r.Kalshi)} {Cells(r.Proxy)}\n");
        }

        w.Append(c, $"\n{report.Rows.Count} settled market(s)\n");
        w.Append(c, $"{"measure",-9} {"markets",7} {"median |err|",12} {"p99 |err|",10} {"agrees with result",19}\n");
        Line("official", report.Official);
        Line("kalshi", report.Kalshi);
        Line("proxy", report.Proxy);
        return w.ToString();

        void Line(string name, MeasureSummary s) =>
            w.Append(c, $"{name,-9} {s.Count,7} {Num(s.MedianAbsError),12} {Num(s.P99AbsError),10} {(s.AgreementPercent is { } p ? $"{p:0.00}% ({s.Agreeing}/{s.Compared})" : "-"),19}\n");

        string Cells(Measure m) => string.Create(c, $"{Num(m.Value),11} {Signed(m.Error),7} {(m.Agrees is { } a ? (a ? "yes" : "NO") : "-"),-3}");
    }

    private static string Num(decimal? value) => value is { } v ? v.ToString("0.00######", CultureInfo.InvariantCulture) : "-";

    private static string Signed(decimal? value) => value is { } v ? v.ToString("+0.00######;-0.00######;0.00", CultureInfo.InvariantCulture) : "-";

    internal sealed record Report(IReadOnlyList<SettlementRow> Rows, MeasureSummary Official, MeasureSummary Kalshi, MeasureSummary Proxy);
}

/// <summary>The `settlements --json` document: one object per market, then the summary of each measure.</summary>
internal sealed record SettlementsDocument(IReadOnlyList<SettlementRow> Markets, SettlementsSummary Summary);

internal sealed record SettlementsSummary(MeasureSummary Official, MeasureSummary Kalshi, MeasureSummary Proxy);

// Source-generated, so the JSON works in a native AOT build too (reflection-based serialization is off there).
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(SettlementsDocument))]
internal sealed partial class SettlementsJsonContext : JsonSerializerContext;
