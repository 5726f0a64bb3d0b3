using KxCollector.Tests.Support;

namespace KxCollector.Tests.Metrics;

/// <summary>
/// The collector's GET /metrics as a real Prometheus server sees it: the daemon runs on the fakes, Prometheus scrapes
/// it every second with the alert rules from deploy/ loaded, and its HTTP API must return the values the collector
/// recorded in its files. A real scrape also passes <c>promtool check metrics</c>.
/// </summary>
public sealed class PrometheusScrapeTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private LiveCollectorRig _rig = null!;

    public async Task InitializeAsync() => _rig = await LiveCollectorRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task Prometheus_scrapes_the_recorded_counts_per_venue_and_series_and_loads_the_alert_rules()
    {
        using var prometheus = PrometheusServer.Start(_rig.Port, RepositoryRoot.Combine("deploy", "prometheus", "kxcollector-alerts.yml"));
        await Poll.UntilAsync(() => _rig.Lines("tick").Any(t => t.GetProperty("markets").GetArrayLength() == 1) && _rig.Log.Contains("\"trade\" subscribed", StringComparison.Ordinal), Timeout, () => _rig.Log);
        await _rig.Ws.PublishTradeAsync(LiveCollectorRig.Market, "t-1", "0.4600", "0.5400", "3.00", "yes");
        await _rig.Ws.PublishTradeAsync(LiveCollectorRig.Market, "t-2", "0.4700", "0.5300", "1.00", "no");
        await _rig.Ws.PublishTradeAsync(LiveCollectorRig.Market, "t-1", "0.4600", "0.5400", "3.00", "yes");
        await Poll.UntilAsync(() => _rig.Lines("trade").Count == 2, Timeout, () => _rig.Log);

        (await prometheus.WaitForAsync("up{job=\"kxcollector\"}", s => s.Count == 1 && s[0].Value == 1, Timeout)).Should().ContainSingle();
        var trades = await prometheus.WaitForAsync("kxcollector_kalshi_trades_written_total", s => s.Count == 1 && s[0].Value == 2, Timeout);
        trades[0].Labels["job"].Should().Be("kxcollector");
        (await prometheus.WaitForAsync("kxcollector_kalshi_trade_repeats_total", s => s.Count == 1 && s[0].Value == 1, Timeout)).Should().ContainSingle("t-1 came twice and was written once");

        var connected = await prometheus.WaitForAsync("kxcollector_feed_connected == 1", s => s.Count == 3, Timeout);
        connected.Select(s => s.Labels["venue"]).Should().BeEquivalentTo("coinbase", "kraken", "bitstamp");
        (await prometheus.QueryAsync("kxcollector_feed_fresh")).Should().HaveCount(3).And.OnlyContain(s => s.Value == 1);
        (await prometheus.QueryAsync("kxcollector_feed_quote_age_seconds")).Should().HaveCount(3).And.OnlyContain(s => s.Value >= 0 && s.Value < 5);
        (await prometheus.QueryAsync("kxcollector_feed_malformed_frames_total")).Should().HaveCount(3).And.OnlyContain(s => s.Value == 0);
        var tracked = await prometheus.QueryAsync("kxcollector_kalshi_markets_tracked");
        tracked.Should().ContainSingle().Which.Labels["series"].Should().Be("KXBTC15M");
        tracked[0].Value.Should().Be(1);
        (await prometheus.QueryAsync("kxcollector_kalshi_stream_connections")).Should().ContainSingle().Which.Value.Should().Be(1);
        (await prometheus.QueryAsync("kxcollector_kalshi_stream_sequence_gaps_total")).Should().ContainSingle().Which.Value.Should().Be(0);

        // Ticks: what Prometheus last scraped is at most what the file holds now, and close behind it.
        var scraped = (await prometheus.QueryAsync("kxcollector_ticks_written_total")).Should().ContainSingle().Subject.Value;
        var inFile = _rig.Lines("tick").Count;
        scraped.Should().BeGreaterThan(0).And.BeLessThanOrEqualTo(inFile).And.BeGreaterThanOrEqualTo(inFile - 5);
        (await prometheus.QueryAsync("kxcollector_tick_offset_seconds_count")).Should().ContainSingle().Which.Value.Should().BeGreaterThan(0);
        (await prometheus.QueryAsync("kxcollector_today_missing_seconds")).Should().ContainSingle().Which.Value.Should().Be(0);
        (await prometheus.QueryAsync("kxcollector_last_tick_age_seconds")).Should().ContainSingle().Which.Value.Should().BeLessThan(5);
        (await prometheus.QueryAsync("process_working_set_bytes")).Should().ContainSingle().Which.Value.Should().BeGreaterThan(1_000_000);
        (await prometheus.QueryAsync("dotnet_collection_count_total")).Should().HaveCount(3, "one series per GC generation");

        // The fake streams one BRTI print a second: its age is that of the latest print's second, a few seconds at most.
        var official = await prometheus.WaitForAsync("kxcollector_official_index_age_seconds", s => s.Count == 1, Timeout);
        official[0].Labels["index"].Should().Be("BRTI");
        official[0].Value.Should().BeGreaterThanOrEqualTo(0).And.BeLessThan(5);

        // Absent, not zero: this collector has no database store.
        (await prometheus.QueryAsync("kxcollector_store_lag_seconds")).Should().BeEmpty();

        using var rules = await prometheus.Api.GetAsync(new Uri("/api/v1/rules", UriKind.Relative));
        var text = await rules.Content.ReadAsStringAsync();
        using var json = System.Text.Json.JsonDocument.Parse(text);
        var loaded = json.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
        loaded.Select(r => r.GetProperty("name").GetString()).Should().Contain(["KxCollectorNoTick", "KxCollectorVenueStale", "KxCollectorSequenceGapsRising", "KxCollectorStoreLagging"]);
        loaded.Should().OnlyContain(r => r.GetProperty("health").GetString() != "err", text);
    }

    [Fact]
    public async Task A_real_scrape_passes_promtool_check_metrics()
    {
        await Poll.UntilAsync(() => _rig.Lines("tick").Count >= 2, Timeout, () => _rig.Log);
        using var response = await _rig.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        response.Content.Headers.ContentType!.ToString().Should().Be("text/plain; version=0.0.4; charset=utf-8");
        var body = await response.Content.ReadAsStringAsync();
        body.Should().Contain("kxcollector_ticks_written_total ").And.Contain("kxcollector_tick_offset_seconds_bucket{le=\"0.005\"}");

        using var dir = new TempDirectory();
        var scrape = Path.Combine(dir.Path, "scrape.txt");
        await File.WriteAllTextAsync(scrape, body);
        var check = await Shell.RunAsync("bash", ["-c", "promtool check metrics < \"$1\"", "_", scrape]);
        check.ExitCode.Should().Be(0, check.ToString());
        check.Output.Trim().Should().BeEmpty("promtool prints every lint problem it finds: " + check);

        // The same check must be able to fail: a counter without _total is a lint problem.
        await File.WriteAllTextAsync(scrape, body + "# HELP kx_bad A counter.\n# TYPE kx_bad counter\nkx_bad 1\n");
        var bad = await Shell.RunAsync("bash", ["-c", "promtool check metrics < \"$1\"", "_", scrape]);
        bad.ExitCode.Should().NotBe(0, bad.ToString());
    }
}
