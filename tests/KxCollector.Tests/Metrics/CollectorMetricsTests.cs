using System.Text;
using KxCollector.Backfill;
using KxCollector.Kalshi.Stream;
using KxCollector.Metrics;
using KxCollector.Pricing;
using KxCollector.Status;
using KxCollector.Store;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Metrics;

/// <summary>
/// /metrics reads the counters the services keep, at scrape time: each exposed value is the source's own value, the
/// optional parts (store, official index, a running gap fill) are absent rather than zero when they are not there.
/// </summary>
public sealed class CollectorMetricsTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly StatusRig _rig = new(Start);
    private readonly StreamStats _stream = new();
    private readonly FakeIndex _index = new();
    private BackfillStats? _backfill;

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task Ticks_written_skipped_and_today_s_missing_seconds_are_the_tick_stats_and_the_file_s()
    {
        var metrics = Create(store: null);
        _rig.Time.Advance(TimeSpan.FromMilliseconds(1003)); // 12:00:01.003
        _rig.Tick();
        _rig.Time.Advance(TimeSpan.FromMilliseconds(2037)); // 12:00:03.040: 12:00:02 has no tick
        _rig.Tick();
        _rig.Ticks.RecordSkippedSeconds(1);
        _rig.Time.Advance(TimeSpan.FromMilliseconds(500));

        var text = await ScrapeAsync(metrics);

        text.Should().Contain("\nkxcollector_ticks_written_total 2\n")
            .And.Contain("\nkxcollector_tick_seconds_skipped_total 1\n")
            .And.Contain("\nkxcollector_today_missing_seconds 1\n")
            .And.Contain("\nkxcollector_last_tick_age_seconds 0.5\n")
            .And.Contain("\nkxcollector_last_tick_timestamp_seconds 1795262403.04\n");
        text.Should().Contain("\nkxcollector_tick_offset_seconds_bucket{le=\"0.0025\"} 0\n")
            .And.Contain("\nkxcollector_tick_offset_seconds_bucket{le=\"0.005\"} 1\n")
            .And.Contain("\nkxcollector_tick_offset_seconds_bucket{le=\"0.025\"} 1\n")
            .And.Contain("\nkxcollector_tick_offset_seconds_bucket{le=\"0.05\"} 2\n")
            .And.Contain("\nkxcollector_tick_offset_seconds_count 2\n");
    }

    [Fact]
    public async Task Each_venue_has_its_own_labelled_series_read_from_its_feed_health_and_quote()
    {
        var metrics = Create(store: null);
        var kraken = _rig.Feeds[Exchange.Kraken];
        kraken.MarkConnected(Start);
        kraken.MarkReconnecting();
        kraken.MarkReconnecting();
        _rig.Feeds[Exchange.Bitstamp].MarkMalformed();
        _rig.PublishQuote(Exchange.Kraken, 100m, 101m);
        _rig.Time.Advance(TimeSpan.FromSeconds(2));

        var text = await ScrapeAsync(metrics);

        text.Should().Contain("\nkxcollector_feed_connected{venue=\"kraken\"} 1\n")
            .And.Contain("\nkxcollector_feed_connected{venue=\"coinbase\"} 0\n")
            .And.Contain("\nkxcollector_feed_reconnects_total{venue=\"kraken\"} 2\n")
            .And.Contain("\nkxcollector_feed_malformed_frames_total{venue=\"bitstamp\"} 1\n")
            .And.Contain("\nkxcollector_feed_quote_age_seconds{venue=\"kraken\"} 2\n")
            .And.Contain("\nkxcollector_feed_fresh{venue=\"kraken\"} 1\n");
        text.Should().NotContain("kxcollector_feed_quote_age_seconds{venue=\"coinbase\"}", "a venue that never quoted has no age");
    }

    [Fact]
    public async Task The_stream_s_counters_are_exposed_as_totals_and_open_connections()
    {
        var metrics = Create(store: null);
        _stream.Connected();
        _stream.Connected();
        _stream.Disconnected();
        _stream.Gap();
        _stream.Gap();
        _stream.Gap();
        _stream.TradeWritten();
        _stream.LifecycleRecorded();
        _stream.LifecycleRecorded();

        var text = await ScrapeAsync(metrics);

        text.Should().Contain("\nkxcollector_kalshi_stream_connections 1\n")
            .And.Contain("\nkxcollector_kalshi_stream_connects_total 2\n")
            .And.Contain("\nkxcollector_kalshi_stream_sequence_gaps_total 3\n")
            .And.Contain("\nkxcollector_kalshi_trades_written_total 1\n")
            .And.Contain("\nkxcollector_kalshi_lifecycle_written_total 2\n");
    }

    [Fact]
    public async Task The_official_index_age_is_absent_until_a_print_and_then_counts_from_the_print_s_second()
    {
        var metrics = Create(store: null);
        (await ScrapeAsync(metrics)).Should().NotContain("kxcollector_official_index_age_seconds{");

        _index.LastPrintAt = Start;
        _rig.Time.Advance(TimeSpan.FromSeconds(3));
        (await ScrapeAsync(metrics)).Should().Contain("\nkxcollector_official_index_age_seconds{index=\"BRTI\"} 3\n");

        _index.LastPrintAt = null;
        (await ScrapeAsync(metrics)).Should().NotContain("kxcollector_official_index_age_seconds{");
    }

    [Fact]
    public async Task The_store_s_series_are_absent_without_a_store_and_read_from_its_stats_with_one()
    {
        (await ScrapeAsync(Create(store: null))).Should().NotContain("\nkxcollector_store_lag_seconds ").And.NotContain("kxcollector_store_rows_total{");

        var store = new StoreStats();
        store.SetConnected(true);
        store.RecordFlush(lines: 10, skipped: 1, inserted: 7, duplicate: 2, lagMs: 1500);
        store.SetPendingBytes(4096);
        var text = await ScrapeAsync(Create(store));

        text.Should().Contain("\nkxcollector_store_connected 1\n")
            .And.Contain("\nkxcollector_store_lag_seconds 1.5\n")
            .And.Contain("\nkxcollector_store_rows_total{outcome=\"inserted\"} 7\n")
            .And.Contain("\nkxcollector_store_rows_total{outcome=\"duplicate\"} 2\n")
            .And.Contain("\nkxcollector_store_lines_skipped_total 1\n")
            .And.Contain("\nkxcollector_store_pending_bytes 4096\n");
    }

    [Fact]
    public async Task Backfill_progress_is_the_running_fill_s_units_and_absent_between_fills()
    {
        var metrics = Create(store: null);
        (await ScrapeAsync(metrics)).Should().Contain("\nkxcollector_backfill_running 0\n").And.NotContain("\nkxcollector_backfill_units_done ");

        _backfill = new BackfillStats();
        _backfill.AddUnits(10);
        _backfill.UnitDone();
        _backfill.UnitSkipped();
        _backfill.UnitFailed();
        (await ScrapeAsync(metrics)).Should().Contain("\nkxcollector_backfill_running 1\n")
            .And.Contain("\nkxcollector_backfill_units_planned 10\n")
            .And.Contain("\nkxcollector_backfill_units_done 3\n")
            .And.Contain("\nkxcollector_backfill_units_failed 1\n");

        _backfill = null;
        (await ScrapeAsync(metrics)).Should().Contain("\nkxcollector_backfill_running 0\n").And.NotContain("\nkxcollector_backfill_units_done ");
    }

    [Fact]
    public async Task Process_memory_and_GC_come_with_the_scrape()
    {
        var text = await ScrapeAsync(Create(store: null));

        text.Should().Contain("\nprocess_working_set_bytes ").And.Contain("\ndotnet_collection_count_total{generation=\"0\"} ").And.Contain("\ndotnet_total_memory_bytes ");
    }

    internal static async Task<string> ScrapeAsync(CollectorMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        return "\n" + Encoding.UTF8.GetString(stream.ToArray());
    }

    private CollectorMetrics Create(StoreStats? store) =>
        new(_rig.Builder, _rig.Ticks, _rig.Feeds, _rig.Board, _rig.Proxy, () => [], _stream, [_index], store, () => _backfill, _rig.Time);

    private sealed class FakeIndex : IOfficialIndexStatus
    {
        public string IndexId => "BRTI";

        public DateTimeOffset? LastPrintAt { get; set; }
    }
}
