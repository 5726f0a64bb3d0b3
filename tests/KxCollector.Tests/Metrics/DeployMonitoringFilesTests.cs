using System.Text.Json;
using System.Text.RegularExpressions;
using KxCollector.Kalshi.Stream;
using KxCollector.Metrics;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Metrics;

/// <summary>
/// deploy/'s monitoring files: the alert rules pass <c>promtool check rules</c> and their unit tests
/// (<c>promtool test rules</c>), the example config passes <c>promtool check config</c>, and every metric the rules and
/// the Grafana dashboard query is one the collector exposes (a renamed metric would otherwise leave a silent panel
/// and an alert that can never fire).
/// </summary>
public sealed partial class DeployMonitoringFilesTests
{
    private static string Prometheus(string file) => RepositoryRoot.Combine("deploy", "prometheus", file);

    private static string Dashboard => RepositoryRoot.Combine("deploy", "grafana", "kxcollector-dashboard.json");

    [Fact]
    public async Task The_alert_rules_pass_promtool_check_and_their_unit_tests()
    {
        var check = await Shell.RunAsync("promtool", ["check", "rules", Prometheus("kxcollector-alerts.yml")]);
        check.ExitCode.Should().Be(0, check.ToString());
        check.Output.Should().Contain("SUCCESS: 7 rules found");

        var test = await Shell.RunAsync("promtool", ["test", "rules", Prometheus("kxcollector-alerts.test.yml")]);
        test.ExitCode.Should().Be(0, test.ToString());
        test.Output.Should().Contain("SUCCESS");

        var config = await Shell.RunAsync("promtool", ["check", "config", Prometheus("prometheus.example.yml")]);
        config.ExitCode.Should().Be(0, config.ToString());
    }

    [Fact]
    public async Task Every_metric_the_rules_and_the_dashboard_query_is_exposed_by_the_collector()
    {
        using var rig = new StatusRig(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        var metrics = new CollectorMetrics(rig.Builder, rig.Ticks, rig.Feeds, rig.Board, rig.Proxy, () => [], new StreamStats(), [], new KxCollector.Store.StoreStats(), () => null, rig.Time);
        var scrape = await CollectorMetricsTests.ScrapeAsync(metrics);
        var exposed = TypeLine().Matches(scrape).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Dashboard));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();
        panels.Should().HaveCountGreaterThan(10);
        var expressions = panels.SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!).ToList();
        expressions.Add(await File.ReadAllTextAsync(Prometheus("kxcollector-alerts.yml")));

        var queried = expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value))
            .Select(n => HistogramSuffix().Replace(n, string.Empty))
            .ToHashSet(StringComparer.Ordinal);
        queried.Should().Contain(["kxcollector_last_tick_age_seconds", "kxcollector_feed_fresh", "kxcollector_kalshi_stream_sequence_gaps_total", "kxcollector_store_lag_seconds", "kxcollector_tick_offset_seconds"]);
        queried.Except(exposed).Should().BeEmpty("every queried metric must exist in a scrape");
    }

    [GeneratedRegex(@"^# TYPE (\S+) ", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"\b(kxcollector|process|dotnet)_[a-z0-9_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"_(bucket|count|sum)$")]
    private static partial Regex HistogramSuffix();
}
