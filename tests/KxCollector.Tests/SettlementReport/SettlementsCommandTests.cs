using System.IO.Compression;
using System.Text;
using System.Text.Json;
using KxCollector.SettlementReport;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.SettlementReport;

/// <summary>
/// `kxcollector settlements` on recorded files with known figures: errors, agreement with results and the summary
/// are computed by hand below, so a wrong median, percentile, sign or rule fails here.
/// </summary>
public sealed class SettlementsCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Rows_and_summary_follow_from_the_recorded_numbers()
    {
        WriteDay();
        var (code, output, _) = await RunAsync([_dir.Path, "--json"]);

        code.Should().Be(0);
        using var doc = JsonDocument.Parse(output);
        var markets = doc.RootElement.GetProperty("markets").EnumerateArray().ToList();
        markets.Select(m => m.GetProperty("ticker").GetString()).Should().Equal("KXBTC15M-A", "KXBTC15M-B", "KXBTC15M-C", "KXBTC15M-D");

        // A: yes at strike 100, expiration 101: official exact, Kalshi +0.10, the proxy below the strike (says no).
        var a = markets[0];
        a.GetProperty("official").GetProperty("error").GetDecimal().Should().Be(0m);
        a.GetProperty("official").GetProperty("agrees").GetBoolean().Should().BeTrue();
        a.GetProperty("kalshi").GetProperty("error").GetDecimal().Should().Be(0.10m);
        a.GetProperty("proxy").GetProperty("error").GetDecimal().Should().Be(-1.50m);
        a.GetProperty("proxy").GetProperty("agrees").GetBoolean().Should().BeFalse();

        // B: no at 200: Kalshi's 200.50 is at or above the strike, so it says yes: disagrees.
        markets[1].GetProperty("kalshi").GetProperty("agrees").GetBoolean().Should().BeFalse();

        // C: an average equal to the strike is a yes (greater_or_equal); Kalshi's average was never received.
        markets[2].GetProperty("official").GetProperty("agrees").GetBoolean().Should().BeTrue();
        markets[2].GetProperty("kalshi").GetProperty("value").ValueKind.Should().Be(JsonValueKind.Null);
        markets[2].GetProperty("kalshi").GetProperty("agrees").ValueKind.Should().Be(JsonValueKind.Null);

        // D: no strike, so no agreement to judge.
        markets[3].GetProperty("proxy").GetProperty("agrees").ValueKind.Should().Be(JsonValueKind.Null);

        var summary = doc.RootElement.GetProperty("summary");
        Expect(summary.GetProperty("official"), count: 3, median: 0m, p99: 0m, compared: 3, agreeing: 3, percent: 100m);
        Expect(summary.GetProperty("kalshi"), count: 2, median: 0.80m, p99: 1.50m, compared: 2, agreeing: 1, percent: 50m);
        Expect(summary.GetProperty("proxy"), count: 4, median: 0.70m, p99: 1.50m, compared: 3, agreeing: 2, percent: 66.67m);
    }

    [Fact]
    public async Task The_table_shows_each_market_and_the_summary()
    {
        WriteDay();
        var (code, output, _) = await RunAsync([_dir.Path]);

        code.Should().Be(0);
        output.Should().Contain("KXBTC15M-A").And.Contain("4 settled market(s)");
        output.Split('\n').Should().Contain(l => l.StartsWith("kalshi ", StringComparison.Ordinal) && l.Contains("50.00% (1/2)", StringComparison.Ordinal));
        output.Split('\n').Should().Contain(l => l.StartsWith("KXBTC15M-A", StringComparison.Ordinal) && l.Contains("-1.50 NO", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_path_is_a_usage_error()
    {
        var (code, _, errors) = await RunAsync([Path.Combine(_dir.Path, "nope")]);
        code.Should().Be(2);
        errors.Should().Contain("no such file or folder");
    }

    private static void Expect(JsonElement s, int count, decimal median, decimal p99, int compared, int agreeing, decimal percent)
    {
        s.GetProperty("count").GetInt32().Should().Be(count);
        s.GetProperty("median_abs_error").GetDecimal().Should().Be(median);
        s.GetProperty("p99_abs_error").GetDecimal().Should().Be(p99);
        s.GetProperty("compared").GetInt32().Should().Be(compared);
        s.GetProperty("agreeing").GetInt32().Should().Be(agreeing);
        s.GetProperty("agreement_percent").GetDecimal().Should().Be(percent);
    }

    private void WriteDay()
    {
        const string tick = """{"type":"tick","ts":"2026-11-21T17:14:59.001Z","brti":100.5,"official_index":100.4,"official_index_ts":"2026-11-21T17:14:58.000Z","markets":[]}""";
        File.WriteAllText(Path.Combine(_dir.Path, "kxbtc15m-2026-11-21.jsonl"), string.Join('\n',
            tick,
            Settlement("KXBTC15M-A", "17:15", "yes", 101.00m, 100m, official: "101.00", kalshi: "101.10", proxy: "99.50"),
            Settlement("KXBTC15M-B", "17:30", "no", 199.00m, 200m, official: "199.00", kalshi: "200.50", proxy: "199.20"),
            Settlement("KXBTC15M-C", "17:45", "yes", 300.00m, 300m, official: "300.00", kalshi: "null", proxy: "300.40"),
            Settlement("KXBTC15M-D", "18:00", "yes", 400.00m, null, official: "null", kalshi: "null", proxy: "401.00")) + "\n");

        // The same market again in a second (compressed) file: reported once, from the first line read.
        using var gz = new GZipStream(File.Create(Path.Combine(_dir.Path, "kxbtc15m-2026-11-22.jsonl.gz")), CompressionLevel.Fastest);
        gz.Write(Encoding.UTF8.GetBytes(Settlement("KXBTC15M-A", "17:15", "yes", 101.00m, 100m, official: "5", kalshi: "5", proxy: "5") + "\n"));
    }

    private static string Settlement(string ticker, string close, string result, decimal expiration, decimal? strike, string official, string kalshi, string proxy) =>
        $$"""{"type":"settlement","ts":"2026-11-21T{{close}}:11.402Z","ticker":"{{ticker}}","close_time":"2026-11-21T{{close}}:00.000Z","result":"{{result}}","expiration_value":{{expiration}},"strike":{{(strike is { } k ? k.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null")}},"brti_avg60":{{proxy}},"brti_samples":60,"official_avg60":{{official}},"official_samples":60,"kalshi_avg60":{{kalshi}},"kalshi_avg60_window_size":60,"kalshi_avg60_window_start":null,"kalshi_avg60_window_end":null}""";

    private static async Task<(int Code, string Output, string Errors)> RunAsync(string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var json = args.Contains("--json");
        var paths = args.Where(a => a != "--json").ToList();
        var code = await SettlementsCommand.RunAsync(paths, json, envFile: null, output, errors);
        return (code, output.ToString(), errors.ToString());
    }
}
