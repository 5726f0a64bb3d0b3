using System.Text;
using KxCollector.Feeds;
using KxCollector.Pricing;
using KxCollector.Recording;
using KxCollector.Store;
using KxCollector.Store.Health;
using KxCollector.Tests.Store.Support;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace KxCollector.Tests.Store;

/// <summary>The live store in this process: following files, whole lines only, positions, skips, logs, health.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreServiceTests(PostgresServer server) : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_store_follows_a_growing_file_and_an_older_one_and_stores_each_line_once()
    {
        var db = await server.CreateDatabaseAsync();
        var older = _dir.Combine("kxbtc15m-2026-11-20.jsonl");
        var today = _dir.Combine("kxbtc15m-2026-11-21.jsonl");
        StoreSamples.Write(older, Enumerable.Range(0, 40).Select(i => StoreSamples.Tick(i - 86_400)));
        StoreSamples.Write(today, Enumerable.Range(0, 10).Select(i => StoreSamples.Tick(i)));

        await using var store = await StoreRig.StartAsync(server, _dir.Path, db, batchSize: 25);
        await WaitForTicksAsync(db, 50);
        StoreSamples.Append(today, Enumerable.Range(10, 20).Select(i => StoreSamples.Tick(i)));
        await WaitForTicksAsync(db, 70);
        await store.StopAsync();

        var positions = await server.QueryAsync(db, "SELECT file_name, byte_offset, line_count FROM ingest_positions WHERE collector_id = 'test-collector' ORDER BY 1");
        positions.Should().BeEquivalentTo(
            new[]
            {
                new object[] { "kxbtc15m-2026-11-20.jsonl", new FileInfo(older).Length, 40L },
                new object[] { "kxbtc15m-2026-11-21.jsonl", new FileInfo(today).Length, 30L },
            },
            o => o.WithStrictOrdering());
        var totals = await server.QueryAsync(db, "SELECT lines_read, lines_skipped, rows_inserted, rows_duplicate FROM collectors WHERE collector_id = 'test-collector'");
        totals.Single().Should().Equal(70L, 0L, 70L * 4, 0L);
        (await server.CountAsync(db, "SELECT count(*) FROM (SELECT timestamp FROM index_ticks GROUP BY 1 HAVING count(*) > 1) d")).Should().Be(0);
    }

    [Fact]
    public async Task A_line_still_being_written_is_not_stored_until_its_newline_arrives()
    {
        var db = await server.CreateDatabaseAsync();
        var file = _dir.Combine("kxbtc15m-2026-11-21.jsonl");
        StoreSamples.Write(file, Enumerable.Range(0, 10).Select(i => StoreSamples.Tick(i)));
        var eleventh = Encoding.UTF8.GetBytes(StoreSamples.Tick(10) + "\n");
        var split = eleventh.Length / 2;
        await using (var stream = new FileStream(file, FileMode.Append))
        {
            stream.Write(eleventh, 0, split);
        }

        await using var store = await StoreRig.StartAsync(server, _dir.Path, db);
        await WaitForTicksAsync(db, 10);
        var flushes = store.Stats.Flushes;
        await Poll.UntilAsync(() => store.Stats.Flushes > flushes || store.Stats.PendingBytes == split, Wait, () => "the store to look at the file again");
        store.Stats.PendingBytes.Should().Be(split, "the half line is waiting in the file, not in the database");
        (await server.CountAsync(db, "SELECT count(*) FROM index_ticks")).Should().Be(10);

        await using (var stream = new FileStream(file, FileMode.Append))
        {
            stream.Write(eleventh, split, eleventh.Length - split);
        }

        await WaitForTicksAsync(db, 11);
        var last = await server.QueryAsync(db, "SELECT brti, bitstamp FROM index_ticks ORDER BY timestamp DESC LIMIT 1");
        last.Single().Should().Equal(70241.33m + 10, 70241.5m + 10);
    }

    [Fact]
    public async Task Bad_lines_and_unknown_records_are_skipped_counted_and_logged_without_stopping_the_store()
    {
        var db = await server.CreateDatabaseAsync();
        var file = _dir.Combine("kxbtc15m-2026-11-21.jsonl");
        StoreSamples.Write(file, [
            StoreSamples.Tick(0),
            "{\"type\":\"tick\",\"ts\":\"2026-11-21T17:00:01.001Z\",\"markets\":[{\"ticker\":\"KXBTC15M-X\"", // torn long ago, newline added by hand
            StoreSamples.UnknownRecord(2),
            "{\"type\":\"trade\",\"ts\":\"2026-11-21T17:00:02.300Z\",\"ticker\":\"M\"}",
            StoreSamples.Tick(3),
        ]);

        await using var store = await StoreRig.StartAsync(server, _dir.Path, db);
        await WaitForTicksAsync(db, 2);
        await Poll.UntilAsync(
            () => server.CountSoFar(db, "SELECT count(*) FROM data_collection_logs WHERE event_id = 708") == 2,
            Wait,
            () => "two skipped-line warnings in data_collection_logs");

        var logs = await server.QueryAsync(db, "SELECT level, category, message, collector_id FROM data_collection_logs WHERE event_id = 708 ORDER BY seq");
        logs.Select(l => (string)l[2]!).Should().Equal(
            "kxbtc15m-2026-11-21.jsonl line 2: not one JSON object — skipped (the line stays in the file)",
            "kxbtc15m-2026-11-21.jsonl line 4: a record missing a key field (ts, ticker, trade_id…) — skipped (the line stays in the file)");
        logs.Should().OnlyContain(l => (string)l[0]! == "warning" && (string)l[1]! == "KxCollector.Store.StoreService" && (string)l[3]! == "test-collector");
        var totals = await server.QueryAsync(db, "SELECT lines_read, lines_skipped FROM collectors");
        totals.Single().Should().Equal(5L, 3L);
    }

    [Fact]
    public async Task Collectors_with_their_own_ids_share_one_database()
    {
        var db = await server.CreateDatabaseAsync();
        var btc = _dir.Combine("btc", "kxbtc15m-2026-11-21.jsonl");
        var nfl = _dir.Combine("nfl", "kxnflgame-2026-11-21.jsonl");
        StoreSamples.Write(btc, Enumerable.Range(0, 10).Select(i => StoreSamples.Tick(i)));
        StoreSamples.Write(nfl, Enumerable.Range(0, 10).Select(i => StoreSamples.Tick(i, withExchanges: false).Replace("KXBTC15M", "KXNFLGAME", StringComparison.Ordinal)));

        await using (var one = await StoreRig.StartAsync(server, _dir.Combine("btc"), db, collectorId: "vps-btc"))
        await using (var two = await StoreRig.StartAsync(server, _dir.Combine("nfl"), db, collectorId: "vps-nfl"))
        {
            await Poll.UntilAsync(() => one.Stats.Lines == 10 && two.Stats.Lines == 10, Wait, () => $"btc {one.Stats.Lines}, nfl {two.Stats.Lines} lines");
        }

        (await server.QueryAsync(db, "SELECT collector_id, file_name, line_count FROM ingest_positions ORDER BY 1"))
            .Should().BeEquivalentTo(new[] { new object[] { "vps-btc", "kxbtc15m-2026-11-21.jsonl", 10L }, new object[] { "vps-nfl", "kxnflgame-2026-11-21.jsonl", 10L } }, o => o.WithStrictOrdering());
        (await server.CountAsync(db, "SELECT count(*) FROM index_ticks")).Should().Be(10, "sports ticks carry no exchange prices");
        (await server.CountAsync(db, "SELECT count(*) FROM market_snapshots WHERE market_ticker LIKE 'KXNFLGAME-%'")).Should().Be(20);
        (await server.CountAsync(db, "SELECT count(*) FROM market_metadata WHERE series_ticker = 'KXNFLGAME'")).Should().Be(2);
    }

    [Fact]
    public async Task Two_processes_under_one_collector_id_are_caught_rather_than_trampling_each_others_positions()
    {
        var db = await server.CreateDatabaseAsync();
        StoreSamples.Write(_dir.Combine("a", "kxbtc15m-2026-11-21.jsonl"), Enumerable.Range(0, 30).Select(i => StoreSamples.Tick(i)));
        StoreSamples.Write(_dir.Combine("b", "kxbtc15m-2026-11-21.jsonl"), Enumerable.Range(0, 20).Select(i => StoreSamples.Tick(i)));

        await using (var first = await StoreRig.StartAsync(server, _dir.Combine("a"), db, collectorId: "same"))
        {
            await Poll.UntilAsync(() => first.Stats.Lines == 30, Wait, () => $"{first.Stats.Lines} lines from a");
            await using var second = await StoreRig.StartAsync(server, _dir.Combine("b"), db, collectorId: "same", batchSize: 5);
            StoreSamples.Append(_dir.Combine("a", "kxbtc15m-2026-11-21.jsonl"), [StoreSamples.Tick(30)]);
            await Poll.UntilAsync(
                () => server.CountSoFar(db, "SELECT count(*) FROM data_collection_logs WHERE message LIKE '%same COLLECTOR_ID%'") > 0,
                Wait,
                () => "a logged position conflict naming COLLECTOR_ID");
        }

        var saved = await server.QueryAsync(db, "SELECT line_count FROM ingest_positions WHERE collector_id = 'same'");
        saved.Single()[0].Should().BeOneOf(30L, 31L, 20L);
    }

    [Fact]
    public async Task Health_rows_reach_collection_health_with_the_next_write()
    {
        var db = await server.CreateDatabaseAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 17, 0, 30, TimeSpan.Zero));
        var ticks = new TickStats();
        var feeds = new FeedHealthRegistry();
        using var writer = new DailyJsonlWriter(_dir.Path, "kxbtc15m", time, new AppendOnlyFileOpener(new ListLogger<AppendOnlyFile>()), new ListLogger<DailyJsonlWriter>());
        await using var store = await StoreRig.StartAsync(server, _dir.Path, db);
        var sampler = new HealthSampler(time, ticks, feeds, new PrimaryFile("KXBTC15M", writer), store.Stats, store.Health);
        feeds[Exchange.Kraken].MarkReconnecting();
        feeds[Exchange.Coinbase].MarkConnected(time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(30.5));
        for (var i = 0; i < 58; i++)
        {
            ticks.RecordTick(time.GetUtcNow(), written: true);
        }

        sampler.Sample();

        await Poll.UntilAsync(() => server.CountSoFar(db, "SELECT count(*) FROM collection_health") == 1, Wait, () => "a health row");
        var row = (await server.QueryAsync(db, "SELECT collector_id, minute, ticks_written, missing_seconds, reconnects, feeds->'kraken'->>'reconnects', feeds->'coinbase'->>'connected' FROM collection_health")).Single();
        row.Should().Equal("test-collector", new DateTime(2026, 11, 21, 17, 0, 0, DateTimeKind.Utc), 58, null, 1, "1", "true");
    }

    [Fact]
    public async Task Files_in_sub_folders_such_as_the_backfills_are_followed_too()
    {
        // The backfill writes OUTPUT_DIR/backfill/<series>/…; the daily files sit at the top.
        var db = await server.CreateDatabaseAsync();
        var backfill = Path.Combine(_dir.Path, "backfill", "kxbtc15m");
        Directory.CreateDirectory(backfill);
        StoreSamples.Write(_dir.Combine("kxbtc15m-2026-11-21.jsonl"), Enumerable.Range(0, 5).Select(i => StoreSamples.Tick(i)));
        StoreSamples.Write(Path.Combine(backfill, "kxbtc15m-2026-11-20.jsonl"), Enumerable.Range(0, 7).Select(i => StoreSamples.Tick(i - 86_400)));

        await using var store = await StoreRig.StartAsync(server, _dir.Path, db);
        await WaitForTicksAsync(db, 12);
        await store.StopAsync();

        var positions = await server.QueryAsync(db, "SELECT file_name, line_count FROM ingest_positions ORDER BY 1");
        positions.Select(p => ((string)p[0]!, (long)p[1]!)).Should().Equal(("backfill/kxbtc15m/kxbtc15m-2026-11-20.jsonl", 7L), ("kxbtc15m-2026-11-21.jsonl", 5L));
    }

    private Task WaitForTicksAsync(string db, long count) =>
        Poll.UntilAsync(
            () => server.CountSoFar(db, "SELECT count(*) FROM index_ticks") >= count,
            Wait,
            () => $"{count} index ticks stored");
}
