using KxCollector.Archive;
using KxCollector.Tests.Store.Support;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Store;

/// <summary>
/// A day compressed under the store, against the real PostgreSQL: the store finishes it from the .gz at the position
/// it reached in the plain file, so every line is stored once — none twice, none lost.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreCompressedDayTests(PostgresServer server) : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_day_compressed_while_the_store_was_stopped_is_finished_from_its_gz()
    {
        var db = await server.CreateDatabaseAsync();
        var day = _dir.Combine("kxbtc15m-2026-11-21.jsonl");
        StoreSamples.Write(day, Enumerable.Range(0, 40).Select(i => StoreSamples.Tick(i)));
        await using (var store = await StoreRig.StartAsync(server, _dir.Path, db))
        {
            await WaitForTicksAsync(db, 40);
            await store.StopAsync();
        }

        StoreSamples.Append(day, Enumerable.Range(40, 25).Select(i => StoreSamples.Tick(i)));
        var length = new FileInfo(day).Length;
        new DayCompressor(TimeProvider.System, 0).Compress(day, CancellationToken.None).Should().Be(CompressionOutcome.Compressed);
        File.Exists(day).Should().BeFalse();

        await using (var store = await StoreRig.StartAsync(server, _dir.Path, db))
        {
            await WaitForTicksAsync(db, 65);
            await store.StopAsync();
        }

        await AssertEachTickOnceAsync(db, 65);
        var position = await server.QueryAsync(db, "SELECT file_name, byte_offset, line_count FROM ingest_positions WHERE collector_id = 'test-collector'");
        position.Single().Should().Equal("kxbtc15m-2026-11-21.jsonl", length, 65L);
    }

    [Fact]
    public async Task A_day_compressed_while_the_store_reads_it_is_followed_into_the_gz()
    {
        var db = await server.CreateDatabaseAsync();
        var day = _dir.Combine("kxbtc15m-2026-11-21.jsonl");
        StoreSamples.Write(day, Enumerable.Range(0, 600).Select(i => StoreSamples.Tick(i)));

        // Small batches: the store is part-way through the file when it is compressed and removed under it.
        await using var store = await StoreRig.StartAsync(server, _dir.Path, db, batchSize: 20);
        await Poll.UntilAsync(() => server.CountSoFar(db, "SELECT count(*) FROM index_ticks") > 0, Wait, () => "the first rows stored");
        new DayCompressor(TimeProvider.System, 0).Compress(day, CancellationToken.None).Should().Be(CompressionOutcome.Compressed);
        var storedWhenCompressed = server.CountSoFar(db, "SELECT count(*) FROM index_ticks");

        await WaitForTicksAsync(db, 600);
        await store.StopAsync();

        storedWhenCompressed.Should().BeLessThan(600, "the test must compress the file before the store has read all of it");
        await AssertEachTickOnceAsync(db, 600);
    }

    [Fact]
    public async Task A_gz_day_dropped_into_the_folder_is_stored_like_a_plain_one()
    {
        var db = await server.CreateDatabaseAsync();
        var day = _dir.Combine("kxbtc15m-2026-11-21.jsonl");
        StoreSamples.Write(day, Enumerable.Range(0, 30).Select(i => StoreSamples.Tick(i)));
        new DayCompressor(TimeProvider.System, 0).Compress(day, CancellationToken.None);

        await using var store = await StoreRig.StartAsync(server, _dir.Path, db);
        await WaitForTicksAsync(db, 30);
        await store.StopAsync();

        await AssertEachTickOnceAsync(db, 30);
    }

    private async Task AssertEachTickOnceAsync(string db, long count)
    {
        (await server.CountAsync(db, "SELECT count(*) FROM index_ticks")).Should().Be(count);
        (await server.CountAsync(db, "SELECT count(DISTINCT timestamp) FROM index_ticks")).Should().Be(count);
        (await server.CountAsync(db, "SELECT count(*) FROM market_snapshots")).Should().Be(count * 2);

        // The table's unique keys would hide a line read twice; the store's own counts do not.
        var totals = await server.QueryAsync(db, "SELECT lines_read, rows_duplicate FROM collectors WHERE collector_id = 'test-collector'");
        totals.Single().Should().Equal(count, 0L);
    }

    private Task WaitForTicksAsync(string db, long count) =>
        Poll.UntilAsync(() => server.CountSoFar(db, "SELECT count(*) FROM index_ticks") >= count, Wait, () => $"{count} index ticks stored");
}
